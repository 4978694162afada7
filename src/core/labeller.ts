/**
 * A labeller: the label tree and one trained model per task, enough to give every label of a new image. It comes
 * from a dataset's chosen runs, or from a bundle (one zip) exported by the lab, or from a single model's zip.
 */
import { strToU8, zipSync, type Unzipped } from 'fflate';
import { labelKey } from './labels';
import type { ResizePolicy } from './image';
import {
  checkModel,
  json,
  ModelFileError,
  modelJson,
  parseJson,
  safeUnzip,
  type ModelMetadata,
  type StoredModel,
} from './modelFiles';
import type { Route } from './pipeline';
import { chosenRun } from './chosenRun';
import { runScore, type RunRecord } from './runs';
import { deriveTasks } from './tasks';

export interface LabellerModel {
  taskId: string;
  taskName: string;
  /** Key of the stored model (a run id, or an imported model's id). */
  modelId: string;
  outputs: string[][];
  validationAccuracy: number | null;
  testAccuracy: number | null;
}

export interface Labeller {
  id: string;
  name: string;
  classes: string[][];
  resize: ResizePolicy;
  source: 'dataset' | 'bundle' | 'model';
  createdAt: string;
  models: LabellerModel[];
  /** Route per category with two levels, when known (the comparison's winner). */
  routes: Record<string, Route>;
  /** Whether it labels through the flat model over every leaf instead of the pipeline, when known. */
  flat?: boolean;
  /** The dataset whose runs its models are; absent for an imported labeller, whose models are its own. */
  datasetId?: string;
}

/** Where an imported labeller's models are stored: under no dataset (a dataset's id is never empty). */
export const NO_DATASET = '';

/** The dataset under which a labeller's models are stored. */
export const modelDataset = (l: Pick<Labeller, 'datasetId'>): string => l.datasetId ?? NO_DATASET;

interface BundleJson {
  format: 'fashion-cnn-lab/labeller';
  version: 1;
  name: string;
  classes: string[][];
  resize: ResizePolicy;
  routes: Record<string, Route>;
  /** Added after version 1 shipped; a bundle without it leaves the choice to the lab. */
  flat?: boolean;
  models: (Omit<LabellerModel, 'modelId'> & { path: string })[];
}

export function bundleZip(l: Labeller, models: ReadonlyMap<string, StoredModel>): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  const entries = l.models.map((m, k) => {
    const stored = models.get(m.modelId);
    if (!stored) throw new Error(`the model of ${m.taskName} is not stored`);
    files[`models/${k}/model.json`] = json(modelJson(stored));
    files[`models/${k}/weights.bin`] = new Uint8Array(stored.weightData);
    const { modelId: _drop, ...rest } = m;
    return { ...rest, path: `models/${k}/` };
  });
  const bundle: BundleJson = {
    format: 'fashion-cnn-lab/labeller',
    version: 1,
    name: l.name,
    classes: l.classes,
    resize: l.resize,
    routes: l.routes,
    ...(l.flat !== undefined ? { flat: l.flat } : {}),
    models: entries,
  };
  files['labeller.json'] = json(bundle);
  files['README.txt'] = strToU8(
    'A Fashion CNN Lab labeller: labeller.json names the label tree and the model of each task; each models/N/ ' +
      'holds a TensorFlow.js layers model (load it with tf.loadLayersModel). Inputs: 120x90 RGB, scaled to [0, 1].\n',
  );
  return zipSync(files);
}

const isLabelList = (x: unknown): x is string[][] =>
  Array.isArray(x) &&
  x.length >= 2 &&
  x.length <= 10_000 &&
  x.every(
    (c) => Array.isArray(c) && c.length >= 1 && c.every((s) => typeof s === 'string' && s.length < 500),
  );
const RESIZE = ['letterbox', 'stretch', 'crop'];

export interface ReadLabeller {
  labeller: Omit<Labeller, 'id' | 'createdAt'>;
  /** Models in the order of labeller.models (their modelId to be assigned on storing). */
  stored: StoredModel[];
  /** The raw files of each model, for loading with tf.loadLayersModel as is. */
  files: { modelJson: Uint8Array; weights: Uint8Array }[];
}

/** Reads a labeller bundle or a single model's zip; throws ModelFileError with the reason when anything is off. */
export function readLabellerZip(bytes: Uint8Array, fileName: string): ReadLabeller {
  const files = safeUnzip(bytes);
  if (files['labeller.json']) return readBundle(files);
  if (files['metadata.json'] && files['model.json']) return readSingle(files, fileName);
  throw new ModelFileError(
    'This zip holds neither a labeller (labeller.json) nor a model exported by the lab.',
  );
}

function tasksFor(classes: string[][]) {
  const keys = new Set(classes.map(labelKey));
  if (keys.size !== classes.length) throw new ModelFileError('The label tree lists a class twice.');
  return deriveTasks(classes);
}

function readBundle(files: Unzipped): ReadLabeller {
  const b = parseJson(files, 'labeller.json') as Partial<BundleJson>;
  if (b?.format !== 'fashion-cnn-lab/labeller' || b.version !== 1)
    throw new ModelFileError('labeller.json is not a Fashion CNN Lab labeller (version 1).');
  if (!isLabelList(b.classes)) throw new ModelFileError('labeller.json has no valid list of classes.');
  if (!Array.isArray(b.models) || b.models.length === 0 || b.models.length > 100)
    throw new ModelFileError('labeller.json lists no models.');
  const tasks = tasksFor(b.classes);
  const models: LabellerModel[] = [];
  const stored: StoredModel[] = [];
  const raw: ReadLabeller['files'] = [];
  for (const m of b.models) {
    const task = tasks.find((t) => t.id === m?.taskId);
    if (!task)
      throw new ModelFileError(
        `labeller.json names a task the label tree does not have (${String(m?.taskId)}).`,
      );
    if (JSON.stringify(m.outputs) !== JSON.stringify(task.outputs))
      throw new ModelFileError(`${task.name}: its classes do not match the label tree.`);
    if (typeof m.path !== 'string' || !files[`${m.path}model.json`] || !files[`${m.path}weights.bin`])
      throw new ModelFileError(`${task.name}: its model files are missing.`);
    const weights = files[`${m.path}weights.bin`]!;
    stored.push(checkModel(parseJson(files, `${m.path}model.json`), weights, task.outputs.length, task.name));
    raw.push({ modelJson: files[`${m.path}model.json`]!, weights });
    models.push({
      taskId: task.id,
      taskName: task.name,
      modelId: '',
      outputs: task.outputs,
      validationAccuracy: typeof m.validationAccuracy === 'number' ? m.validationAccuracy : null,
      testAccuracy: typeof m.testAccuracy === 'number' ? m.testAccuracy : null,
    });
  }
  const routes: Record<string, Route> = {};
  for (const [k, v] of Object.entries(b.routes ?? {}))
    if (v === 'combined' || v === 'hierarchical') routes[k] = v;
  return {
    labeller: {
      name: typeof b.name === 'string' ? b.name.slice(0, 200) : 'Imported labeller',
      classes: b.classes,
      resize: RESIZE.includes(b.resize as string) ? (b.resize as ResizePolicy) : 'letterbox',
      source: 'bundle',
      models,
      routes,
      ...(typeof b.flat === 'boolean' ? { flat: b.flat } : {}),
    },
    stored,
    files: raw,
  };
}

function readSingle(files: Unzipped, fileName: string): ReadLabeller {
  const meta = parseJson(files, 'metadata.json') as Partial<ModelMetadata>;
  if (meta?.format !== 'fashion-cnn-lab/model' || !isLabelList(meta.datasetClasses))
    throw new ModelFileError('metadata.json is not the metadata of a model exported by the lab.');
  const tasks = tasksFor(meta.datasetClasses);
  const task = tasks.find((t) => t.id === meta.task?.id);
  if (!task) throw new ModelFileError('metadata.json names a task its label tree does not have.');
  const weights = files['weights.bin'];
  if (!weights) throw new ModelFileError('weights.bin is missing from the zip.');
  const stored = checkModel(parseJson(files, 'model.json'), weights, task.outputs.length, task.name);
  return {
    labeller: {
      name: `${task.name} (${fileName})`,
      classes: meta.datasetClasses,
      resize: RESIZE.includes(meta.preprocessing?.resize as string)
        ? meta.preprocessing!.resize
        : 'letterbox',
      source: 'model',
      models: [
        {
          taskId: task.id,
          taskName: task.name,
          modelId: '',
          outputs: task.outputs,
          validationAccuracy: meta.metrics?.validationAccuracy ?? null,
          testAccuracy: meta.metrics?.testAccuracy ?? null,
        },
      ],
      routes: {},
    },
    stored: [stored],
    files: [{ modelJson: files['model.json']!, weights }],
  };
}

/** A dataset's labeller: per task, its chosen run (see chosenRun.ts). */
export function labellerFromRuns(
  dataset: { id: string; name: string; classes: string[][]; resize: ResizePolicy },
  runs: readonly RunRecord[],
  routes: Record<string, Route> = {},
): Labeller {
  const tasks = deriveTasks(dataset.classes);
  const models: LabellerModel[] = [];
  for (const task of tasks) {
    const best = chosenRun(runs, task.id);
    if (best)
      models.push({
        taskId: task.id,
        taskName: task.name,
        modelId: best.id,
        outputs: task.outputs,
        validationAccuracy: runScore(best),
        testAccuracy: best.test?.accuracy ?? null,
      });
  }
  return {
    id: `dataset:${dataset.id}`,
    datasetId: dataset.id,
    name: dataset.name,
    classes: dataset.classes,
    resize: dataset.resize,
    source: 'dataset',
    createdAt: '',
    models,
    routes,
  };
}
