/**
 * The labelling step: which labeller (the open dataset's chosen runs, or an imported one), the flat route or the
 * route per category, labelled images, route comparisons, and labellers and models out as zips.
 */
import { findFlatTask } from '../core/flatRoute';
import { labellerFromRuns, modelDataset, type Labeller } from '../core/labeller';
import { routeTasks, twoRouteCategories, type Route } from '../core/pipeline';
import { deriveTasks } from '../core/tasks';
import type { LabDeps } from './deps';
import type { ImportSession } from './importSession';
import {
  bundleBlob,
  compareCategory,
  compareThree,
  labelFiles,
  modelZipBlob,
  readCheckedLabeller,
  threeRoutesMissing,
  type CategoryComparison,
  type LabelledImage,
  type ThreeRoutesResult,
} from './labelling';
import { Observable } from './observable';
import type { Predictor, Saliency, SaliencyMethod } from './deps';
import type { TrainingQueue } from './trainingQueue';
import type { WorkerConnection } from './workerConnection';

export interface LabellingState {
  imported: Labeller[];
  /** "dataset" for the open dataset's trained models, or an imported labeller's id. */
  labellerChoice: string;
  routeChoice: Record<string, Route>;
  /** The person's pick of the flat route (one model over every leaf) over the pipeline; null: the default. */
  flatChoice: boolean | null;
  comparisons: Record<string, CategoryComparison>;
  /** The three-way comparison (flat, hierarchical, combined) on the whole test split, once it has run. */
  threeRoutes: ThreeRoutesResult | null;
  /** Why there is no three-way comparison ("Flat (all 17 leaves) has not been trained"). */
  threeRoutesNote: string | null;
  comparing: string | null;
  labelled: LabelledImage[];
  labelling: boolean;
  labelError: string | null;
}

/** The route a category takes: the user's pick, else the comparison's winner, else whichever models exist. */
export function routeFor(
  s: Pick<LabellingState, 'routeChoice' | 'comparisons'>,
  l: Labeller,
  category: string,
): Route {
  const chosen = s.routeChoice[category] ?? l.routes[category];
  if (chosen) return chosen;
  const c = s.comparisons[category];
  if (c) return c.hierarchical.leafAccuracy > c.combined.leafAccuracy ? 'hierarchical' : 'combined';
  const tasks = deriveTasks(l.classes);
  const has = (r: Route) =>
    routeTasks(tasks, category, r).every((t) => l.models.some((m) => m.taskId === t.id));
  return has('combined') || !has('hierarchical') ? 'combined' : 'hierarchical';
}

/**
 * Whether images go through the flat model alone: the person's pick, else the labeller's, else whether the flat
 * route ranked first in a three-way comparison of these very models, else only when the pipeline has no Primary.
 */
export function usesFlat(s: Pick<LabellingState, 'flatChoice' | 'threeRoutes'>, l: Labeller): boolean {
  const tasks = deriveTasks(l.classes);
  const has = (id: string | undefined) => l.models.some((m) => m.taskId === id);
  if (!has(findFlatTask(tasks)?.id)) return false;
  if (s.flatChoice !== null) return s.flatChoice;
  if (l.flat !== undefined) return l.flat;
  const t = s.threeRoutes;
  if (t && t.modelIds.every((id) => l.models.some((m) => m.modelId === id))) return t.ranking[0] === 'flat';
  return !has(tasks.find((t) => t.kind === 'primary')?.id);
}

const message = (e: unknown) => (e as Error)?.message ?? String(e);

export class LabellingSession {
  readonly state = new Observable<LabellingState>({
    imported: [],
    labellerChoice: 'dataset',
    routeChoice: {},
    flatChoice: null,
    comparisons: {},
    threeRoutes: null,
    threeRoutesNote: null,
    comparing: null,
    labelled: [],
    labelling: false,
    labelError: null,
  });
  private imports = 0;

  constructor(
    private readonly deps: Pick<LabDeps, 'storage' | 'host' | 'clock'>,
    private readonly data: ImportSession,
    private readonly training: TrainingQueue,
    private readonly predictor: WorkerConnection<Predictor>,
  ) {}

  private get s() {
    return this.state.get();
  }
  private set(patch: Partial<LabellingState> | ((s: LabellingState) => Partial<LabellingState>)) {
    this.state.set(patch);
  }
  private get backend() {
    return this.training.state.get().backendOverride;
  }

  /** The labeller in use: the open dataset's chosen runs, or an imported one. */
  current(): Labeller | null {
    if (this.s.labellerChoice !== 'dataset')
      return this.s.imported.find((l) => l.id === this.s.labellerChoice) ?? null;
    const open = this.data.opened;
    if (!open) return null;
    const m = open.manifest;
    return labellerFromRuns(
      { id: m.id, name: m.name, classes: m.classes, resize: m.resize },
      this.training.state.get().runs.filter((r) => r.datasetId === m.id),
      {},
    );
  }

  routeFor(l: Labeller, category: string): Route {
    return routeFor(this.s, l, category);
  }

  usesFlat(l: Labeller): boolean {
    return usesFlat(this.s, l);
  }

  async refreshLabellers(): Promise<void> {
    this.set({ imported: await this.deps.storage.listLabellers() });
  }

  chooseLabeller(labellerChoice: string) {
    this.set({ labellerChoice, labelled: [], routeChoice: {}, flatChoice: null, labelError: null });
  }

  /** Labels through the flat model alone (true) or the pipeline with a route per category (false). */
  setFlatRoute(flat: boolean) {
    this.set({ flatChoice: flat });
  }

  setRoute(category: string, route: Route) {
    this.set((s) => ({ routeChoice: { ...s.routeChoice, [category]: route } }));
  }

  /** An error from something the page did (a download), shown where labelling errors are. */
  showError(labelError: string | null) {
    this.set({ labelError });
  }

  async labelImages(files: File[]): Promise<void> {
    const l = this.current();
    if (!l || !files.length) return;
    this.set({ labelling: true, labelError: null });
    try {
      const labelled = await this.predictor.call((p) =>
        labelFiles(
          (n) => this.deps.host.decoder(n),
          p,
          files,
          l,
          (c) => this.routeFor(l, c),
          this.backend,
          this.usesFlat(l),
        ),
      );
      this.set({ labelled });
    } catch (e) {
      this.set({ labelError: message(e) });
    } finally {
      this.set({ labelling: false });
    }
  }

  async compare(category: string): Promise<void> {
    const l = this.current();
    const open = this.data.opened;
    if (!l || !open) return;
    this.set({ comparing: category, labelError: null });
    try {
      const m = open.manifest;
      const data = { classes: m.classes, labels: m.labels, split: m.split, images: open.images };
      const c = await this.predictor.call((p) => compareCategory(p, data, l, category, this.backend));
      this.set((s) => ({ comparisons: { ...s.comparisons, [category]: c } }));
    } catch (e) {
      this.set({ labelError: message(e) });
      return;
    } finally {
      this.set({ comparing: null });
    }
    // With a flat model trained, the routes are compared three ways too (once for these models).
    const done = this.s.threeRoutes;
    if (done && done.modelIds.every((id) => l.models.some((m) => m.modelId === id))) return;
    await this.compareThree();
  }

  /** The flat model against both pipelines on the whole test split; or, in words, what it still needs. */
  async compareThree(): Promise<void> {
    const l = this.current();
    const open = this.data.opened;
    if (!l || !open) return;
    const missing = threeRoutesMissing(l);
    if (missing) return this.set({ threeRoutes: null, threeRoutesNote: `${missing}.` });
    this.set({ comparing: 'three routes', labelError: null });
    try {
      const m = open.manifest;
      const data = { classes: m.classes, labels: m.labels, split: m.split, images: open.images };
      const threeRoutes = await this.predictor.call((p) => compareThree(p, data, l, this.backend));
      this.set({ threeRoutes, threeRoutesNote: null });
    } catch (e) {
      this.set({ threeRoutes: null, threeRoutesNote: message(e) });
    } finally {
      this.set({ comparing: null });
    }
  }

  async importLabeller(file: File): Promise<void> {
    this.set({ labelError: null });
    try {
      const read = await this.predictor.call((p) => readCheckedLabeller(p, file, this.backend));
      const now = this.deps.clock.date();
      const id = `import-${now.getTime().toString(36)}-${(this.imports++).toString(36)}`;
      const labeller: Labeller = {
        ...read.labeller,
        id,
        createdAt: now.toISOString(),
        models: read.labeller.models.map((m, i) => ({ ...m, modelId: `${id}-${i}` })),
      };
      await this.deps.storage.saveLabeller(labeller, read.stored);
      await this.refreshLabellers();
      this.set({ labellerChoice: labeller.id, labelled: [], routeChoice: {}, flatChoice: null });
    } catch (e) {
      this.set({ labelError: `${file.name} was not imported: ${message(e)}` });
    }
  }

  async deleteImported(id: string): Promise<void> {
    const l = this.s.imported.find((x) => x.id === id);
    if (!l) return;
    await this.predictor.current?.forgetModels(
      modelDataset(l),
      l.models.map((m) => m.modelId),
    );
    await this.deps.storage.deleteLabeller(l);
    if (this.s.labellerChoice === id) this.set({ labellerChoice: 'dataset', labelled: [] });
    await this.refreshLabellers();
  }

  /**
   * Why a run's saved model decided on one image of the open dataset (`item` as in its predictions: numbers past
   * the dataset's images are mirrored copies), computed in the prediction worker.
   */
  async explainImage(runId: string, item: number, method: SaliencyMethod = 'grad-cam'): Promise<Saliency> {
    const open = this.data.opened;
    const run = this.training.state.get().runs.find((r) => r.id === runId);
    if (!open || !run || run.datasetId !== open.manifest.id)
      throw new Error('Open the dataset this run was trained on first.');
    if (!run.modelSaved) throw new Error('This run has no stored model (it may not have fitted in storage).');
    const count = open.images.count;
    const pixels = open.images.image(item % count).slice();
    return this.predictor.call((p) =>
      p.saliency(run.datasetId, run.id, pixels, { method, mirror: item >= count }, this.backend),
    );
  }

  /** One run's model as a zip (the tfjs layers files and what the model was trained on). */
  async modelZip(runId: string): Promise<Blob> {
    const t = this.training.state.get();
    const run = t.runs.find((r) => r.id === runId);
    const open = this.data.opened;
    const task = t.tasks.find((x) => x.id === run?.taskId);
    if (!run || !open || !task) throw new Error('Open the dataset this run was trained on first.');
    return modelZipBlob(this.deps.storage, run, task, open.manifest.classes, open.manifest.resize);
  }

  /** The labeller in use as one zip, with the route each two-level category takes and whether it labels flat. */
  async labellerBundle(): Promise<Blob> {
    const l = this.current();
    if (!l || !l.models.length) throw new Error('Train at least one task first.');
    const routes = Object.fromEntries(
      twoRouteCategories(deriveTasks(l.classes)).map((c) => [c, this.routeFor(l, c)]),
    );
    return bundleBlob(this.deps.storage, { ...l, routes, flat: this.usesFlat(l) });
  }
}
