/**
 * The headless lab (cli.html) that `npm run lab` drives: the page's own store, so a headless run does exactly what
 * a person clicking would, read back as plain data. Files come in through the two inputs (Playwright sets them);
 * downloads go out the way the page's buttons send them.
 */
import { chosenRun } from '../core/chosenRun';
import { gridResult, jobRunCount, runScore } from '../core/runs';
import { gridCells, type Grid } from '../core/models';
import { flattenTree } from '../core/tree';
import { quickDraft, studyDraft, withPreset } from '../core/trainDraft';
import type { BackendName } from '../core/backendChoice';
import { twoRouteCategories } from '../core/pipeline';
import { useLab } from '../state/store';
import { currentLabeller } from '../state/labelSlice';
import { saveBlob } from '../ui/download';

const store = useLab;
const inputFiles = (id: string) => [...((document.getElementById(id) as HTMLInputElement).files ?? [])];

function fail(): never {
  throw new Error(store.getState().error ?? 'the import did not finish');
}

function summary() {
  const d = store.getState().dataset;
  if (!d) fail();
  return {
    id: d.id,
    name: d.name,
    source: d.source,
    images: d.images,
    classes: d.classes.map((c) => c.join(' / ')),
    splitSizes: d.splitSizes,
    tree: flattenTree(d.tree).map(({ node, depth }) => ({
      label: node.path.join(' / '),
      name: node.name,
      depth,
      total: node.total,
      splits: node.splits,
      isClass: node.classIndex !== undefined,
    })),
    skipped: d.skipped,
    duplicates: d.duplicates,
    fromCache: d.fromCache,
  };
}

async function openTraining() {
  const d = store.getState().dataset;
  if (!d) fail();
  await store.getState().openTraining(d.id, d.classes);
  return store
    .getState()
    .tasks.map((t) => ({ id: t.id, name: t.name, classes: t.outputs.map((o) => o.join(' / ')) }));
}

export interface TrainRequest {
  taskId: string;
  grid: 'none' | 'study' | Grid;
  repeats?: number;
  epochs?: number;
  seed?: number;
  patience?: number;
  quick?: boolean;
}

const lab = {
  async ingestFolder() {
    await store.getState().importFileList(inputFiles('folder'));
    return summary();
  },
  async ingestDemo(perClass: number) {
    await store.getState().importDemo(perClass);
    return summary();
  },
  async ingestNpz(classes?: string[][]) {
    await store.getState().importNpz(inputFiles('files'), classes);
    const pending = store.getState().npzPending;
    if (pending)
      throw new Error(
        `${pending.group} has no class names: add a sidecar JSON ({"classes": ["A/B", …]}) beside the files` +
          (pending.preset ? ` (the study's "${pending.preset}" order fits its name)` : ''),
      );
    return summary();
  },
  openTraining,
  setBackend(b: BackendName | 'auto') {
    store.getState().overrideBackend(b);
  },
  async train(req: TrainRequest) {
    const s = store.getState();
    const task = s.tasks.find((t) => t.id === req.taskId);
    if (!task) throw new Error(`no task ${req.taskId}`);
    let draft = req.quick ? quickDraft(task) : studyDraft(task);
    if (req.grid !== 'none' && req.grid !== 'study') draft = { ...draft, grid: req.grid };
    if (req.grid === 'study') draft = withPreset(task, draft, 0);
    draft = {
      ...draft,
      repeats: req.repeats ?? draft.repeats,
      settings: {
        ...draft.settings,
        epochs: req.epochs ?? draft.settings.epochs,
        seed: req.seed ?? draft.settings.seed,
        patience: req.patience ?? draft.settings.patience,
      },
    };
    s.updateDraft(task.id, draft);
    const kind =
      req.grid === 'none' || gridCells(draft.spec, draft.grid).length * draft.repeats < 2 ? 'single' : 'grid';
    await s.train(task.id, kind);
    const after = store.getState();
    const job = after.jobs.filter((j) => j.taskId === task.id).at(-1);
    return { job, error: after.trainError };
  },
  progress() {
    const s = store.getState();
    const l = s.live;
    return {
      training: s.training,
      trainedOn: s.trainedOn,
      live: l && {
        taskId: l.taskId,
        index: l.index,
        runs: l.runs,
        epoch: l.epoch,
        epochs: l.epochs,
        batch: l.batch,
        batchesPerEpoch: l.batchesPerEpoch,
        batchesDone: l.batchesDone,
        batchesTotal: l.batchesTotal,
        seconds: (l.nowMs - l.startedMs) / 1000,
        lastLoss: l.points.at(-1)?.loss ?? null,
        lastValAccuracy: l.results.at(-1)?.valAccuracy ?? null,
      },
    };
  },
  async stop() {
    await store.getState().stop();
  },
  results() {
    const s = store.getState();
    return s.tasks.map((t) => {
      const jobs = s.jobs.filter((j) => j.taskId === t.id);
      const runs = s.runs.filter((r) => r.taskId === t.id);
      const chosen = chosenRun(runs);
      return {
        task: { id: t.id, name: t.name, kind: t.kind, classes: t.outputs.map((o) => o.join(' / ')) },
        jobs: jobs.map((j) => ({
          ...j,
          runs: jobRunCount(j),
          gridResult: jobRunCount(j) > 1 ? gridResult(j, runs) : null,
        })),
        runs: runs.map(({ validation: _v, ...r }) => ({
          ...r,
          validationAccuracy: runScore(r),
          test: r.test && { loss: r.test.loss, accuracy: r.test.accuracy, confusion: r.test.confusion },
        })),
        chosenRunId: chosen?.id ?? null,
      };
    });
  },
  comparableCategories() {
    return twoRouteCategories(store.getState().tasks);
  },
  async compare(category: string) {
    await store.getState().compare(category);
    const s = store.getState();
    const c = s.comparisons[category];
    if (!c) throw new Error(s.labelError ?? `no comparison for ${category}`);
    const { byRoute, ...rest } = c;
    return {
      ...rest,
      confusion: { combined: byRoute.combined.confusion, hierarchical: byRoute.hierarchical.confusion },
    };
  },
  /** Sends a file out as the page's download buttons do. */
  async download(what: 'model' | 'labeller' | 'npz', name: string, runId?: string) {
    const s = store.getState();
    const blob =
      what === 'model'
        ? await s.modelZip(runId!)
        : what === 'labeller'
          ? await s.labellerBundle()
          : await s.exportNpz();
    saveBlob(blob, name);
  },
  labellerModels() {
    return currentLabeller(store.getState())?.models.length ?? 0;
  },
  async importLabeller() {
    const [file] = inputFiles('files');
    if (!file) throw new Error('no bundle given');
    await store.getState().importLabeller(file);
    const s = store.getState();
    if (s.labelError) throw new Error(s.labelError);
    return s.imported.find((l) => l.id === s.labellerChoice)!;
  },
  async label() {
    await store.getState().labelImages(inputFiles('files'));
    const s = store.getState();
    if (s.labelError) throw new Error(s.labelError);
    return s.labelled.map(({ pixels: _p, ...x }) => x);
  },
};

(window as unknown as { lab: typeof lab }).lab = lab;
document.title += ' · ready';

export type HeadlessLab = typeof lab;
