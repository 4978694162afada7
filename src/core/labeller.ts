/**
 * A labeller: the label tree and one trained model per task, enough to give every label of a new image. It comes
 * from a dataset's chosen runs, or from a bundle (one zip) exported by the lab, or from a single model's zip.
 */
import { strToU8, zipSync, type Unzipped } from 'fflate';
import * as v from 'valibot';
import { labelKey } from './labels';
import type { ResizePolicy } from './image';
import {
  checkModel,
  json,
  ModelFileError,
  modelJson,
  parseJson,
  safeUnzip,
  type StoredModel,
} from './modelFiles';
import type { Route } from './pipeline';
import { parseWith } from './validate';
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

const text = (max: number) => v.pipe(v.string(), v.minLength(1), v.maxLength(max));
const labelPath = v.pipe(v.array(text(500)), v.minLength(1), v.maxLength(20));
const labelList = v.pipe(v.array(labelPath), v.minLength(2), v.maxLength(10_000));
const accuracy = v.nullable(v.pipe(v.number(), v.minValue(0), v.maxValue(1)));
/** The most models a bundle may hold: the tasks of a very large label tree. */
export const MAX_BUNDLE_MODELS = 100;
const RESIZE = ['letterbox', 'stretch', 'crop'] as const;

/** labeller.json: the label tree, the route choices and per task its model's folder in the zip. */
export const BundleSchema = v.object({
  format: v.literal('fashion-cnn-lab/labeller'),
  version: v.literal(1),
  name: v.optional(v.pipe(v.string(), v.maxLength(200)), 'Imported labeller'),
  classes: labelList,
  resize: v.optional(v.picklist(RESIZE), 'letterbox'),
  routes: v.optional(v.record(text(500), v.picklist(['combined', 'hierarchical'])), {}),
  /** Added after version 1 shipped; a bundle without it leaves the choice to the lab. */
  flat: v.optional(v.boolean()),
  models: v.pipe(
    v.array(
      v.object({
        taskId: text(500),
        taskName: text(500),
        outputs: v.pipe(v.array(labelPath), v.maxLength(10_000)),
        validationAccuracy: v.optional(accuracy, null),
        testAccuracy: v.optional(accuracy, null),
        path: v.pipe(v.string(), v.regex(/^models\/\d{1,3}\/$/, 'must be a folder models/N/')),
      }),
    ),
    v.minLength(1, 'lists no models.'),
    v.maxLength(
      MAX_BUNDLE_MODELS,
      (i) => `lists ${i.received} models; a labeller has at most ${MAX_BUNDLE_MODELS} (one per task).`,
    ),
  ),
});
type BundleJson = v.InferInput<typeof BundleSchema>;

/** What a single model's metadata.json must give to be labelled with (ModelMetadata is what the lab writes). */
export const ModelMetadataSchema = v.object({
  format: v.literal('fashion-cnn-lab/model'),
  task: v.object({ id: text(500) }),
  datasetClasses: labelList,
  preprocessing: v.optional(v.object({ resize: v.optional(v.picklist(RESIZE), 'letterbox') }), {}),
  metrics: v.optional(
    v.object({ validationAccuracy: v.optional(accuracy, null), testAccuracy: v.optional(accuracy, null) }),
    {},
  ),
});

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

export interface ReadLabeller {
  labeller: Omit<Labeller, 'id' | 'createdAt'>;
  /** Models in the order of labeller.models (their modelId to be assigned on storing). */
  stored: StoredModel[];
  /** The raw files of each model, for loading with tf.loadLayersModel as is; `name` says which in messages. */
  files: { modelJson: Uint8Array; weights: Uint8Array; name: string }[];
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

const bad = (m: string) => new ModelFileError(m);

function readBundle(files: Unzipped): ReadLabeller {
  const b = parseWith(BundleSchema, parseJson(files, 'labeller.json'), 'labeller.json', bad);
  const tasks = tasksFor(b.classes);
  const models: LabellerModel[] = [];
  const stored: StoredModel[] = [];
  const raw: ReadLabeller['files'] = [];
  const seen = new Set<string>();
  for (const [k, m] of b.models.entries()) {
    const task = tasks.find((t) => t.id === m.taskId);
    if (!task)
      throw bad(
        `labeller.json: models[${k}].taskId: the label tree has no task ${JSON.stringify(m.taskId)}.`,
      );
    if (seen.has(task.id)) throw bad(`labeller.json: models[${k}]: a second model for ${task.name}.`);
    if (seen.has(m.path)) throw bad(`labeller.json: models[${k}].path: ${m.path} is another task's model.`);
    seen.add(task.id).add(m.path);
    if (JSON.stringify(m.outputs) !== JSON.stringify(task.outputs))
      throw bad(`${task.name}: its classes do not match the label tree.`);
    const weights = files[`${m.path}weights.bin`];
    if (!files[`${m.path}model.json`] || !weights) throw bad(`${task.name}: its model files are missing.`);
    const where = `${task.name} (${m.path})`;
    const json = parseJson(files, `${m.path}model.json`, `${task.name}: `);
    stored.push(checkModel(json, weights, task.outputs.length, where));
    raw.push({
      modelJson: files[`${m.path}model.json`]!,
      weights,
      name: `${m.path}model.json (${task.name})`,
    });
    models.push({
      taskId: task.id,
      taskName: task.name,
      modelId: '',
      outputs: task.outputs,
      validationAccuracy: m.validationAccuracy,
      testAccuracy: m.testAccuracy,
    });
  }
  return {
    labeller: {
      name: b.name,
      classes: b.classes,
      resize: b.resize,
      source: 'bundle',
      models,
      routes: b.routes,
      ...(b.flat !== undefined ? { flat: b.flat } : {}),
    },
    stored,
    files: raw,
  };
}

function readSingle(files: Unzipped, fileName: string): ReadLabeller {
  const meta = parseWith(ModelMetadataSchema, parseJson(files, 'metadata.json'), 'metadata.json', bad);
  const tasks = tasksFor(meta.datasetClasses);
  const task = tasks.find((t) => t.id === meta.task.id);
  if (!task) throw bad('metadata.json: task.id: names a task its label tree does not have.');
  const weights = files['weights.bin'];
  if (!weights) throw bad('weights.bin is missing from the zip.');
  const stored = checkModel(parseJson(files, 'model.json'), weights, task.outputs.length, task.name);
  return {
    labeller: {
      name: `${task.name} (${fileName.slice(0, 200)})`,
      classes: meta.datasetClasses,
      resize: meta.preprocessing.resize,
      source: 'model',
      models: [
        {
          taskId: task.id,
          taskName: task.name,
          modelId: '',
          outputs: task.outputs,
          validationAccuracy: meta.metrics.validationAccuracy,
          testAccuracy: meta.metrics.testAccuracy,
        },
      ],
      routes: {},
    },
    stored: [stored],
    files: [{ modelJson: files['model.json']!, weights, name: `model.json (${task.name})` }],
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
