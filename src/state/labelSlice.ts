/** The labelling step's state: which labeller, routes per category, labelled images, route comparisons. */
import type { StateCreator } from 'zustand';
import { labellerFromRuns, type Labeller } from '../core/labeller';
import { routeTasks, twoRouteCategories, type Route } from '../core/pipeline';
import { deriveTasks } from '../core/tasks';
import {
  bundleBlob,
  compareCategory,
  deleteLabeller,
  importLabeller,
  labelFiles,
  listLabellers,
  modelZipBlob,
  type CategoryComparison,
  type LabelledImage,
} from '../services/labelling';
import { loadedDataset } from './dataSlice';
import type { TrainSlice } from './trainSlice';

export interface LabelSlice {
  imported: Labeller[];
  /** "dataset" for the open dataset's trained models, or an imported labeller's id. */
  labellerChoice: string;
  routeChoice: Record<string, Route>;
  comparisons: Record<string, CategoryComparison>;
  comparing: string | null;
  labelled: LabelledImage[];
  labelling: boolean;
  labelError: string | null;
  refreshLabellers(): Promise<void>;
  chooseLabeller(id: string): void;
  setRoute(category: string, route: Route): void;
  labelImages(files: File[]): Promise<void>;
  compare(category: string): Promise<void>;
  importLabeller(file: File): Promise<void>;
  deleteImported(id: string): Promise<void>;
  modelZip(runId: string): Promise<Blob>;
  labellerBundle(): Promise<Blob>;
}

type Needs = LabelSlice & TrainSlice & { dataset: { id: string; name: string } | null };

/** The labeller in use: the open dataset's best runs, or an imported one. */
export function currentLabeller(s: Needs): Labeller | null {
  if (s.labellerChoice !== 'dataset') return s.imported.find((l) => l.id === s.labellerChoice) ?? null;
  const open = loadedDataset();
  if (!open || !s.dataset || open.manifest.id !== s.dataset.id) return null;
  const m = open.manifest;
  return labellerFromRuns(
    { id: m.id, name: m.name, classes: m.classes, resize: m.resize },
    s.runs.filter((r) => r.datasetId === m.id),
    {},
  );
}

/** The route a category takes: the user's pick, else the comparison's winner, else whichever models exist. */
export function routeFor(s: Needs, l: Labeller, category: string): Route {
  const chosen = s.routeChoice[category] ?? l.routes[category];
  if (chosen) return chosen;
  const c = s.comparisons[category];
  if (c) return c.hierarchical.leafAccuracy > c.combined.leafAccuracy ? 'hierarchical' : 'combined';
  const tasks = deriveTasks(l.classes);
  const has = (r: Route) =>
    routeTasks(tasks, category, r).every((t) => l.models.some((m) => m.taskId === t.id));
  return has('combined') || !has('hierarchical') ? 'combined' : 'hierarchical';
}

const message = (e: unknown) => (e as Error)?.message ?? String(e);

export const createLabelSlice: StateCreator<Needs, [], [], LabelSlice> = (set, get) => ({
  imported: [],
  labellerChoice: 'dataset',
  routeChoice: {},
  comparisons: {},
  comparing: null,
  labelled: [],
  labelling: false,
  labelError: null,
  async refreshLabellers() {
    set({ imported: await listLabellers() });
  },
  chooseLabeller: (labellerChoice) =>
    set({ labellerChoice, labelled: [], routeChoice: {}, labelError: null }),
  setRoute: (category, route) => set((s) => ({ routeChoice: { ...s.routeChoice, [category]: route } })),
  async labelImages(files) {
    const l = currentLabeller(get());
    if (!l || !files.length) return;
    set({ labelling: true, labelError: null });
    try {
      const labelled = await labelFiles(files, l, (c) => routeFor(get(), l, c), get().backendOverride);
      set({ labelled });
    } catch (e) {
      set({ labelError: message(e) });
    } finally {
      set({ labelling: false });
    }
  },
  async compare(category) {
    const l = currentLabeller(get());
    const open = loadedDataset();
    if (!l || !open) return;
    set({ comparing: category, labelError: null });
    try {
      const m = open.manifest;
      const c = await compareCategory(
        { id: m.id, classes: m.classes, labels: m.labels, split: m.split },
        l,
        category,
        get().backendOverride,
      );
      set((s) => ({ comparisons: { ...s.comparisons, [category]: c } }));
    } catch (e) {
      set({ labelError: message(e) });
    } finally {
      set({ comparing: null });
    }
  },
  async importLabeller(file) {
    set({ labelError: null });
    try {
      const l = await importLabeller(file, get().backendOverride);
      await get().refreshLabellers();
      set({ labellerChoice: l.id, labelled: [], routeChoice: {} });
    } catch (e) {
      set({ labelError: `${file.name} was not imported: ${message(e)}` });
    }
  },
  async deleteImported(id) {
    const l = get().imported.find((x) => x.id === id);
    if (!l) return;
    await deleteLabeller(l);
    if (get().labellerChoice === id) set({ labellerChoice: 'dataset', labelled: [] });
    await get().refreshLabellers();
  },
  async modelZip(runId) {
    const run = get().runs.find((r) => r.id === runId);
    const open = loadedDataset();
    const task = get().tasks.find((t) => t.id === run?.taskId);
    if (!run || !open || !task) throw new Error('Open the dataset this run was trained on first.');
    return modelZipBlob(run, task, open.manifest.classes, open.manifest.resize);
  },
  async labellerBundle() {
    const s = get();
    const l = currentLabeller(s);
    if (!l || !l.models.length) throw new Error('Train at least one task first.');
    const routes = Object.fromEntries(
      twoRouteCategories(deriveTasks(l.classes)).map((c) => [c, routeFor(s, l, c)]),
    );
    return bundleBlob({ ...l, routes });
  },
});
