/**
 * What the command line (`npm run lab`, scripts/lab/) calls on the headless page, cli.html: the Lab's own methods,
 * so a headless run does exactly what a person clicking would, read back as plain data that crosses
 * page.evaluate. scripts/lab/session.ts types its calls from LabCliApi.
 */
import type { BackendName } from '../core/backendChoice';
import { chosenRun } from '../core/chosenRun';
import { gridCells, type Grid } from '../core/models';
import { CLASS_PRESETS, npzFileInfo, presetFor } from '../core/npzDataset';
import { twoRouteCategories } from '../core/pipeline';
import { pairWords, rankingWords } from '../core/threeRoutes';
import { gridResult, jobRunCount, runScore } from '../core/runs';
import { quickDraft, studyDraft, withPreset } from '../core/trainDraft';
import { flattenTree } from '../core/tree';
import type { Lab } from './lab';
import { isNpzName } from './npz';

export interface TrainRequest {
  taskId: string;
  grid: 'none' | 'study' | Grid;
  repeats?: number;
  epochs?: number;
  seed?: number;
  patience?: number;
  quick?: boolean;
}

/** The page's side of files: what Playwright put in an input, and a download as the page's buttons send it. */
export interface CliIo {
  inputFiles(input: 'folder' | 'files'): File[];
  saveBlob(blob: Blob, name: string): void;
}

export function labCliApi(lab: Lab, io: CliIo) {
  const { data, training, labelling } = lab;

  const fail = (): never => {
    throw new Error(data.state.get().error ?? 'the import did not finish');
  };

  const summary = () => {
    const d = data.state.get().dataset;
    if (!d) return fail();
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
  };

  // NPZ files without class names leave the import waiting for them, as the page's form does.
  const npzSummary = () => {
    const pending = data.state.get().npzPending;
    if (pending)
      throw new Error(
        `${pending.group} has no class names: add a sidecar JSON ({"classes": ["A/B", …]}) beside the files` +
          (pending.preset
            ? ` or give --classes study (the study's "${pending.preset}" order fits its name)`
            : ' or give --classes FILE.json'),
      );
    return summary();
  };

  /** The study's class order for the files' dataset name, as the page's form offers it. */
  const studyClasses = (files: File[]): string[][] => {
    const npz = files.find((f) => isNpzName(f.name));
    if (!npz) throw new Error('No .npz files were chosen.');
    const group = npzFileInfo(npz.name).group;
    const preset = presetFor(group);
    if (!preset)
      throw new Error(
        `--classes study: no order of the study fits "${group}" (the study's: ${CLASS_PRESETS.map((p) => p.name).join(', ')})`,
      );
    return preset.classes;
  };

  return {
    async ingestFolder() {
      await data.importFileList(io.inputFiles('folder'));
      return npzSummary();
    },
    async ingestDemo(perClass: number) {
      await data.importDemo(perClass);
      return summary();
    },
    async ingestNpz(classes?: string[][] | 'study') {
      const files = io.inputFiles('files');
      await data.importNpz(files, classes === 'study' ? studyClasses(files) : classes);
      return npzSummary();
    },
    /** The open dataset's label and split of every image: what results from elsewhere are checked against. */
    datasetSplit() {
      const m = data.opened?.manifest;
      if (!m) return fail();
      return { labels: [...m.labels], split: [...m.split] };
    },
    async openTraining() {
      const d = data.state.get().dataset;
      if (!d) return fail();
      await training.openTraining(d.id, d.classes);
      return training.state
        .get()
        .tasks.map((t) => ({ id: t.id, name: t.name, classes: t.outputs.map((o) => o.join(' / ')) }));
    },
    setBackend(b: BackendName | 'auto') {
      training.overrideBackend(b);
    },
    async train(req: TrainRequest) {
      const task = training.state.get().tasks.find((t) => t.id === req.taskId);
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
      training.updateDraft(task.id, draft);
      const kind =
        req.grid === 'none' || gridCells(draft.spec, draft.grid).length * draft.repeats < 2
          ? 'single'
          : 'grid';
      await training.train(task.id, kind);
      const after = training.state.get();
      const job = after.jobs.filter((j) => j.taskId === task.id).at(-1) ?? null;
      return { job, error: after.trainError };
    },
    progress() {
      const s = training.state.get();
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
    stop() {
      return training.stop();
    },
    results() {
      const s = training.state.get();
      return s.tasks.map((t) => {
        const jobs = s.jobs.filter((j) => j.taskId === t.id);
        const runs = s.runs.filter((r) => r.taskId === t.id);
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
          chosenRunId: chosenRun(runs)?.id ?? null,
        };
      });
    },
    comparableCategories() {
      return twoRouteCategories(training.state.get().tasks);
    },
    async compare(category: string) {
      await labelling.compare(category);
      const s = labelling.state.get();
      const c = s.comparisons[category];
      if (!c) throw new Error(s.labelError ?? `no comparison for ${category}`);
      const { byRoute, ...rest } = c;
      return {
        ...rest,
        confusion: { combined: byRoute.combined.confusion, hierarchical: byRoute.hierarchical.confusion },
      };
    },
    /** The flat model against both pipelines on the whole test split, or `missing`: why not, in words. */
    async compareThree() {
      await labelling.compareThree();
      const s = labelling.state.get();
      if (!s.threeRoutes) return { missing: s.threeRoutesNote ?? 'the three routes were not compared' };
      const { modelIds: _ids, ...c } = s.threeRoutes;
      return { missing: null, ...c, ranked: rankingWords(c), pairWords: c.pairs.map(pairWords) };
    },
    /** Sends a file out as the page's download buttons do. */
    async download(what: 'model' | 'labeller' | 'npz', name: string, runId?: string) {
      const blob =
        what === 'model'
          ? await labelling.modelZip(runId ?? '')
          : what === 'labeller'
            ? await labelling.labellerBundle()
            : await data.exportNpz();
      io.saveBlob(blob, name);
    },
    labellerModels() {
      return labelling.current()?.models.length ?? 0;
    },
    async importLabeller() {
      const [file] = io.inputFiles('files');
      if (!file) throw new Error('no bundle given');
      await labelling.importLabeller(file);
      const s = labelling.state.get();
      if (s.labelError) throw new Error(s.labelError);
      return s.imported.find((l) => l.id === s.labellerChoice)!;
    },
    async label() {
      await labelling.labelImages(io.inputFiles('files'));
      const s = labelling.state.get();
      if (s.labelError) throw new Error(s.labelError);
      return s.labelled.map(({ pixels: _p, ...x }) => x);
    },
  };
}

export type LabCliApi = ReturnType<typeof labCliApi>;
