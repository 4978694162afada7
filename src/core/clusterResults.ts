/**
 * A cluster's results.zip (cluster/run_job.py, docs/cluster.md) read back into the lab's own records: per run the
 * lab's RunRecord (settings, seed, per-epoch metrics and validation confusion, the test result), marked as trained
 * elsewhere, with its kept weights in tfjs' layers format; and the job as the lab's JobRecord, so grid statistics,
 * the chosen run and the labeller treat the runs as the lab's own. Everything is checked before anything is kept.
 */
import { strFromU8, type Unzipped } from 'fflate';
import {
  JOB_FORMAT,
  JOB_VERSION,
  SPLITS,
  type ClusterJob,
  type JobSplit,
  type SplitName,
} from './clusterJob';
import { checkModel, type StoredModel } from './modelFiles';
import type { EpochResult, JobRecord, RunRecord, TestResult, TrainedElsewhere } from './runs';
import { taskSplits } from './taskData';
import type { Task } from './tasks';
import { chunksOf, zipEntries, ZipStreamError } from './zipStream';

export const RESULTS_FORMAT = 'fashion-cnn-lab/cluster-results';
export const RESULTS_VERSION = 1;
const GRID_KEYS = ['filters', 'kernel1', 'kernel2', 'dense', 'dropout'];

export type { TrainedElsewhere };

export type ImportedRun = RunRecord & { trainedElsewhere: TrainedElsewhere };

export interface ImportedResults {
  job: ClusterJob;
  jobRecord: JobRecord;
  /** Every finished run's record (its weights went to the sink as it was read). */
  runs: ImportedRun[];
  /** How many runs came with their weights. */
  kept: number;
  /** Run ids of the job that results.zip does not hold (an unfinished grid). */
  missing: string[];
  createdAt: string;
}

export class ClusterResultsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClusterResultsError';
  }
}

const isObject = (x: unknown): x is Record<string, unknown> =>
  !!x && typeof x === 'object' && !Array.isArray(x);

/** Field readers that name what is wrong and where. */
class Reader {
  constructor(readonly where: string) {}
  fail(why: string): never {
    throw new ClusterResultsError(`${this.where}: ${why}`);
  }
  object(x: unknown, what: string): Record<string, unknown> {
    return isObject(x) ? x : this.fail(`${what} must be an object.`);
  }
  string(x: unknown, what: string): string {
    return typeof x === 'string' ? x : this.fail(`${what} must be a string.`);
  }
  number(x: unknown, what: string, min = -Infinity, max = Infinity): number {
    if (typeof x !== 'number' || !Number.isFinite(x) || x < min || x > max)
      return this.fail(`${what} must be a number${min > -Infinity ? ` from ${min} to ${max}` : ''}.`);
    return x;
  }
  int(x: unknown, what: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    if (!Number.isInteger(x) || (x as number) < min || (x as number) > max)
      return this.fail(`${what} must be a whole number from ${min} to ${max}.`);
    return x as number;
  }
  list(x: unknown, what: string, length?: number): unknown[] {
    if (!Array.isArray(x)) return this.fail(`${what} must be a list.`);
    if (length !== undefined && x.length !== length)
      this.fail(`${what} has ${x.length} entries where ${length} are expected.`);
    return x;
  }
  confusion(x: unknown, what: string, k: number, total?: number): number[][] {
    const rows = this.list(x, what, k).map((r) => this.list(r, what, k));
    if (rows.some((r) => r.some((v) => !Number.isInteger(v) || (v as number) < 0)))
      this.fail(`${what} must be a ${k}×${k} matrix of counts.`);
    const m = rows as number[][];
    const sum = m.reduce((a, r) => a + r.reduce((b, v) => b + v, 0), 0);
    if (total !== undefined && sum !== total)
      this.fail(`${what} counts ${sum} images where the split has ${total}.`);
    return m;
  }
}

function parseJsonFile(files: Unzipped, name: string): unknown {
  const data = files[name];
  if (!data) throw new ClusterResultsError(`results.zip has no ${name}; is it a cluster results file?`);
  try {
    return JSON.parse(strFromU8(data));
  } catch {
    throw new ClusterResultsError(`results.zip: ${name} is not valid JSON.`);
  }
}

/** Checks job.json (as exported, or inside results.zip) and returns it typed. */
export function parseClusterJob(value: unknown, where = 'job.json'): ClusterJob {
  const r = new Reader(where);
  const j = r.object(value, 'the file');
  if (j.format !== JOB_FORMAT) r.fail(`this is not a lab cluster job (format "${String(j.format)}").`);
  if (j.version !== JOB_VERSION)
    r.fail(`job version ${String(j.version)} is not one this lab reads (it reads ${JOB_VERSION}).`);
  r.string(j.id, 'id');
  const task = r.object(j.task, 'task');
  r.string(task.id, 'task.id');
  r.string(task.name, 'task.name');
  const classes = r.list(task.classes, 'task.classes');
  if (classes.length < 2 || classes.some((c) => typeof c !== 'string'))
    r.fail('task.classes must list at least two class names.');
  const dataset = r.object(j.dataset, 'dataset');
  r.string(dataset.id, 'dataset.id');
  r.int(dataset.images, 'dataset.images', 1);
  const settings = r.object(j.settings, 'settings');
  r.int(settings.epochs, 'settings.epochs', 1);
  r.int(settings.batchSize, 'settings.batchSize', 1);
  r.number(settings.learningRate, 'settings.learningRate', 0, 10);
  r.int(settings.patience, 'settings.patience', 1);
  if (typeof settings.flip !== 'boolean') r.fail('settings.flip must be true or false.');
  const splits = r.object(j.splits, 'splits');
  for (const name of SPLITS) {
    const s = r.object(splits[name], `splits.${name}`);
    r.string(s.file, `splits.${name}.file`);
    const count = r.int(s.count, `splits.${name}.count`);
    if (s.items !== undefined) r.list(s.items, `splits.${name}.items`, count);
  }
  const cells = r.list(j.cells, 'cells');
  if (!cells.length) r.fail('the job has no cells.');
  cells.forEach((c, i) => {
    const cell = r.object(c, `cell ${i}`);
    if (cell.cell !== i) r.fail(`cell ${i} is numbered ${String(cell.cell)}.`);
    r.object(cell.spec, `cell ${i}'s spec`);
    r.list(cell.layers, `cell ${i}'s layers`);
  });
  r.string(j.createdAt, 'createdAt');
  const pre = r.object(j.preprocessing, 'preprocessing');
  if (typeof pre.flip !== 'boolean') r.fail('preprocessing.flip must be true or false.');
  // A mirrored copy of image i is item i + the dataset's size: any other offset would point at other images.
  if (pre.flipItemOffset !== dataset.images)
    r.fail(`preprocessing.flipItemOffset must be the dataset's size (${String(dataset.images)}).`);
  r.object(j.base, 'base');
  const grid = r.object(j.grid, 'grid');
  let expected = 1;
  for (const [key, values] of Object.entries(grid)) {
    if (!GRID_KEYS.includes(key)) r.fail(`grid.${key} is not a setting a grid varies.`);
    const list = r.list(values, `grid.${key}`);
    if (!list.length || list.some((x) => typeof x !== 'number' || !Number.isFinite(x)))
      r.fail(`grid.${key} must list numbers.`);
    expected *= list.length;
  }
  if (cells.length !== expected)
    r.fail(`the job has ${cells.length} cells where its grid makes ${expected}.`);
  const repeats = r.int(j.repeats, 'repeats', 1, 1000);
  const runs = r.list(j.runs, 'runs');
  if (runs.length !== cells.length * repeats)
    r.fail(
      `the job has ${runs.length} runs where ${cells.length} cells × ${repeats} repeats make ${cells.length * repeats}.`,
    );
  runs.forEach((x, i) => {
    const run = r.object(x, `run ${i}`);
    if (run.index !== i) r.fail(`run ${i} is numbered ${String(run.index)}.`);
    r.string(run.id, `run ${i}'s id`);
    r.int(run.cell, `run ${i}'s cell`, 0, cells.length - 1);
    r.int(run.seed, `run ${i}'s seed`, 0);
  });
  return j as unknown as ClusterJob;
}

/** Dataset indices of a split's rows as the runner saw them (mirrored copies after the originals). */
function splitItems(split: JobSplit, job: ClusterJob, given?: readonly number[]): number[] {
  if (given && given.length !== split.count)
    throw new ClusterResultsError(
      `the job's split has ${split.count} images where this dataset's has ${given.length}: is it the same dataset?`,
    );
  const rows = given ? [...given] : (split.items ?? Array.from({ length: split.count }, (_, i) => i));
  return job.preprocessing.flip ? [...rows, ...rows.map((i) => i + job.preprocessing.flipItemOffset)] : rows;
}

/** A stated accuracy against the one its confusion matrix gives: the file's figures are checked, not believed. */
function checkAccuracy(r: Reader, what: string, stated: number, confusion: number[][]) {
  const total = confusion.reduce((a, row) => a + row.reduce((b, v) => b + v, 0), 0);
  const right = confusion.reduce((a, row, i) => a + row[i]!, 0);
  if (total && Math.abs(stated - right / total) > 1e-6)
    r.fail(`${what} is ${stated} but its confusion matrix gives ${right} right of ${total}.`);
}

/**
 * A split's evaluation, checked against its own predictions: each column of the confusion matrix counts the
 * images predicted as that class, and, where the lab knows each image's class (`truth`), the matrix must be the
 * one the predictions make; the accuracy must be what the matrix gives.
 */
function parseEvaluation(r: Reader, x: unknown, what: string, items: number[], k: number, truth?: number[]) {
  const e = r.object(x, what);
  const n = items.length;
  const predictions = r.list(e.predictions, `${what}.predictions`, n);
  if (predictions.some((p) => !Number.isInteger(p) || (p as number) < 0 || (p as number) >= k))
    r.fail(`${what}.predictions must be class indices from 0 to ${k - 1}.`);
  const confidence = r.list(e.confidence, `${what}.confidence`, n);
  if (confidence.some((p) => typeof p !== 'number' || !(p >= 0 && p <= 1)))
    r.fail(`${what}.confidence must be probabilities from 0 to 1.`);
  const confusion = r.confusion(e.confusion, `${what}.confusion`, k, n);
  const predicted = new Array<number>(k).fill(0);
  for (const p of predictions as number[]) predicted[p]!++;
  if (predicted.some((c, j) => c !== confusion.reduce((a, row) => a + row[j]!, 0)))
    r.fail(`${what}.confusion does not count its own predictions (${predicted.join(', ')} a class).`);
  if (truth) {
    const made = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    (predictions as number[]).forEach((p, i) => made[truth[i]!]![p]!++);
    if (made.some((row, i) => row.some((v, j) => v !== confusion[i]![j])))
      r.fail(`${what}.confusion is not what its predictions give for these images' classes.`);
  }
  const accuracy = r.number(e.accuracy, `${what}.accuracy`, 0, 1);
  checkAccuracy(r, `${what}.accuracy`, accuracy, confusion);
  return {
    loss: r.number(e.loss, `${what}.loss`, 0),
    accuracy,
    confusion,
    items,
    predictions: predictions as number[],
    confidence: confidence as number[],
  } satisfies TestResult;
}

function parseElsewhere(r: Reader, x: unknown): TrainedElsewhere {
  const t = r.object(x, 'trainedOn');
  return {
    host: r.string(t.host, 'trainedOn.host'),
    framework: `PyTorch ${r.string(t.torch, 'trainedOn.torch')}`,
    device: r.string(t.device, 'trainedOn.device'),
    python: r.string(t.python, 'trainedOn.python'),
    worker: r.string(t.worker ?? '', 'trainedOn.worker'),
  };
}

type SplitItems = Partial<Record<'validation' | 'test', readonly number[]>>;

function parseRun(
  files: Unzipped,
  job: ClusterJob,
  index: number,
  datasetId: string,
  given: SplitItems,
  /** Each item's class in the task, where the lab knows it (the dataset the results come into). */
  truth?: (items: number[]) => number[],
): ImportedRun {
  const want = job.runs[index]!;
  const r = new Reader(`results.zip, run ${want.id}`);
  const x = r.object(parseJsonFile(files, `runs/${want.id}/run.json`), 'run.json');
  if (x.id !== want.id || x.index !== index || x.cell !== want.cell || x.seed !== want.seed)
    r.fail(
      `run.json describes run ${String(x.id)} (cell ${String(x.cell)}, seed ${String(x.seed)}), not the job's run ${want.id} (cell ${want.cell}, seed ${want.seed}).`,
    );
  const k = job.task.classes.length;
  const valItems = splitItems(job.splits.validation, job, given.validation);
  const testItems = splitItems(job.splits.test, job, given.test);
  const checked = (accuracy: number, confusion: number[][], what: string) => {
    checkAccuracy(r, what, accuracy, confusion);
    return accuracy;
  };
  const epochs = r.list(x.epochs, 'epochs').map((e, i): EpochResult => {
    const what = `epoch ${i + 1}`;
    const o = r.object(e, what);
    if (o.epoch !== i) r.fail(`${what} is numbered ${String(o.epoch)}.`);
    return {
      epoch: i,
      loss: r.number(o.loss, `${what}'s loss`, 0),
      accuracy: r.number(o.accuracy, `${what}'s accuracy`, 0, 1),
      valLoss: r.number(o.valLoss, `${what}'s validation loss`, 0),
      valAccuracy: checked(
        r.number(o.valAccuracy, `${what}'s validation accuracy`, 0, 1),
        r.confusion(o.confusion, `${what}'s validation confusion`, k, valItems.length),
        `${what}'s validation accuracy`,
      ),
      confusion: r.confusion(o.confusion, `${what}'s validation confusion`, k, valItems.length),
      seconds: r.number(o.seconds, `${what}'s seconds`, 0),
      samplesPerSecond: r.number(o.samplesPerSecond, `${what}'s samples per second`, 0),
    };
  });
  if (!epochs.length) r.fail('the run has no epochs.');
  if (epochs.length > job.settings.epochs)
    r.fail(`the run has ${epochs.length} epochs; the job allows ${job.settings.epochs}.`);
  const bestEpoch = r.int(x.bestEpoch, 'bestEpoch', 0, epochs.length - 1);
  const validation = parseEvaluation(r, x.validation, 'validation', valItems, k, truth?.(valItems));
  const test = parseEvaluation(r, x.test, 'test', testItems, k, truth?.(testItems));
  const trainedElsewhere = parseElsewhere(r, x.trainedOn);
  const cell = job.cells[want.cell]!;
  return {
    id: want.id,
    jobId: job.id,
    datasetId,
    taskId: job.task.id,
    taskName: job.task.name,
    classes: job.task.classes.map((c) => c.split('/').at(-1)!),
    spec: { ...cell.spec },
    settings: { ...job.settings, seed: want.seed },
    cell: want.cell,
    repeat: want.repeat,
    status: 'done',
    epochs,
    bestEpoch,
    stoppedEarly: x.stoppedEarly === true,
    test,
    validation: {
      items: validation.items,
      predictions: validation.predictions,
      confidence: validation.confidence,
    },
    backend: `${trainedElsewhere.framework} (${trainedElsewhere.device}) on ${trainedElsewhere.host}`,
    params: cell.params,
    startedAt: r.string(x.startedAt, 'startedAt'),
    finishedAt: r.string(x.finishedAt, 'finishedAt'),
    modelSaved: true,
    trainedElsewhere,
  };
}

/** The lab's dataset that results are brought into: its tasks and, where known, each image's label and split. */
type TaskLike = Pick<Task, 'id' | 'name' | 'outputs' | 'targetOf'>;
export interface ImportTarget<T extends TaskLike = TaskLike> {
  dataset: { id: string; name: string; images: number };
  tasks: readonly T[];
  labels?: readonly number[];
  split?: readonly number[];
}

/**
 * Whether a job was exported from this dataset and one of its tasks: the task and its classes, the dataset's size
 * and, where the job and the target both know them, the very images of each split. Throws, in words, when not;
 * otherwise gives the task and its validation and test images (dataset indices) when the target knows them.
 */
export function matchJob<T extends TaskLike>(job: ClusterJob, target: ImportTarget<T>) {
  const fail = (why: string): never => {
    throw new ClusterResultsError(`These results do not belong here: ${why}`);
  };
  const { dataset } = target;
  const task = target.tasks.find((t) => t.id === job.task.id);
  if (!task) fail(`they are of the task "${job.task.name}", which "${dataset.name}" does not have.`);
  const classes = task!.outputs.map((o) => o.join('/'));
  if (classes.join('\n') !== job.task.classes.join('\n'))
    fail(
      `their classes (${job.task.classes.join(', ')}) are not those of ${task!.name} here (${classes.join(', ')}).`,
    );
  if (dataset.images !== job.dataset.images)
    fail(
      `they were trained on "${job.dataset.name}" of ${job.dataset.images} images; "${dataset.name}" has ${dataset.images}.`,
    );
  if (!target.labels || !target.split) return { task: task!, items: undefined };
  const mine = taskSplits(target.labels, target.split, task!.targetOf);
  const items = {} as Record<SplitName, number[]>;
  for (const name of SPLITS) {
    const here = Array.from(mine[name].items);
    const theirs = job.splits[name];
    const same = theirs.items
      ? theirs.items.length === here.length && theirs.items.every((x, i) => x === here[i])
      : theirs.count === here.length;
    if (!same)
      fail(
        `their ${name} split (${theirs.count} images) is not ${task!.name}'s ${name} split here (${here.length} images): ` +
          'was the dataset imported with another split?',
      );
    items[name] = here;
  }
  return { task: task!, items: { validation: items.validation, test: items.test } };
}

/** The most bytes each entry of results.zip may inflate to; anything else does not belong in it. */
function capOf(name: string): number {
  const MB = 2 ** 20;
  if (name === 'results.json') return 16 * MB;
  if (name === 'job.json') return 64 * MB;
  const file = RUN_ENTRY.exec(name)?.[2];
  if (file === 'run.json') return 64 * MB;
  if (file === 'model.json') return 16 * MB;
  if (file === 'weights.bin') return 256 * MB; // the study's largest model is 77 MB
  return 0;
}
const RUN_ENTRY = /^runs\/([^/]+)\/(run\.json|model\.json|weights\.bin)$/;

/** What `readClusterResults` hands on for each run, as soon as it is checked: its record, and its weights if kept. */
export type RunSink = (run: ImportedRun, model: StoredModel | null) => void | Promise<void>;

/**
 * Reads results.zip entry by entry (core/zipStream), so that only one run's files are in memory at a time, however
 * large the grid: results.json and job.json come first (as cluster/run_job.py writes them), then each run's
 * run.json, model.json and weights.bin together. Each run is checked whole, then handed to `onRun` before the next
 * is read; a run whose weights the runner did not keep (--keep-weights best or none) comes with null. A problem
 * anywhere throws ClusterResultsError in words: read once with no sink to check a file before keeping any of it.
 *
 * `target` is the lab dataset they are brought into (checked with matchJob before any run is read; its runs are
 * filed under it); `datasetId` is the lab dataset the runs belong to (default: the one the job was exported from);
 * `items` gives the dataset indices of the task's validation and test images (core/taskData.ts taskSplits) for a
 * job exported without them; without either, items are row numbers of the split's NPZ file.
 */
export async function readClusterResults(
  zip: Uint8Array | AsyncIterable<Uint8Array>,
  options: { datasetId?: string; expectJob?: string; items?: SplitItems; target?: ImportTarget } = {},
  onRun: RunSink = () => undefined,
): Promise<ImportedResults> {
  const head = new Reader('results.zip: results.json');
  const header: Unzipped = {};
  let opened: {
    job: ClusterJob;
    truth: ((items: number[]) => number[]) | undefined;
    meta: Record<string, unknown>;
    datasetId: string;
    items: SplitItems;
    index: Map<string, number>;
  } | null = null;
  const runs: ImportedRun[] = [];
  const read = new Set<string>();
  let kept = 0;
  let group: { id: string; files: Unzipped } | null = null;

  const openHeader = () => {
    const meta = head.object(parseJsonFile(header, 'results.json'), 'the file');
    if (meta.format !== RESULTS_FORMAT)
      head.fail(`this is not a lab cluster results file (format "${String(meta.format)}").`);
    if (meta.version !== RESULTS_VERSION)
      head.fail(
        `results version ${String(meta.version)} is not one this lab reads (it reads ${RESULTS_VERSION}).`,
      );
    const job = parseClusterJob(parseJsonFile(header, 'job.json'), 'results.zip: job.json');
    if (options.expectJob && options.expectJob !== job.id)
      head.fail(`these are the results of job ${job.id}, not of job ${options.expectJob}.`);
    const target = options.target;
    const matched = target && matchJob(job, target);
    const labels = matched?.items && target?.labels;
    // A mirrored copy is item + the dataset's size: the same image, the same class.
    const truth =
      labels && ((items: number[]) => items.map((i) => matched.task.targetOf[labels[i % labels.length]!]!));
    return {
      job,
      meta,
      truth,
      datasetId: options.target?.dataset.id ?? options.datasetId ?? job.dataset.id,
      items: matched?.items ?? options.items ?? {},
      index: new Map(job.runs.map((r, i) => [r.id, i])),
    };
  };

  const finish = async ({ id, files }: { id: string; files: Unzipped }) => {
    const { job, datasetId, items, index } = opened!;
    const at = (f: string) => files[`runs/${id}/${f}`];
    if (!at('run.json'))
      throw new ClusterResultsError(`results.zip, run ${id}: it has weights but no run.json.`);
    const run = parseRun(files, job, index.get(id)!, datasetId, items, opened!.truth);
    let model: StoredModel | null = null;
    if (at('model.json') || at('weights.bin')) {
      if (!at('weights.bin'))
        throw new ClusterResultsError(`results.zip, run ${id}: weights.bin is missing.`);
      let modelJson: unknown;
      try {
        modelJson = JSON.parse(strFromU8(at('model.json') ?? new Uint8Array()));
      } catch {
        throw new ClusterResultsError(`results.zip, run ${id}: model.json is missing or not valid JSON.`);
      }
      try {
        model = checkModel(modelJson, at('weights.bin')!, job.task.classes.length, `run ${id}`);
      } catch (e) {
        throw new ClusterResultsError(`results.zip, ${(e as Error).message}`);
      }
      kept++;
    }
    run.modelSaved = model !== null;
    await onRun(run, model);
    // What the lab keeps of every run: its record, without the weights.
    runs.push(run);
  };

  try {
    const chunks = zip instanceof Uint8Array ? chunksOf(zip) : zip;
    for await (const entry of zipEntries(chunks, capOf)) {
      if (entry.name === 'results.json' || entry.name === 'job.json') {
        if (opened) head.fail(`${entry.name} comes after the runs; results.zip must begin with it.`);
        header[entry.name] = entry.bytes;
        if (header['results.json'] && header['job.json']) opened = openHeader();
        continue;
      }
      const id = RUN_ENTRY.exec(entry.name)![1]!;
      if (!opened)
        throw new ClusterResultsError(
          `results.zip has no ${header['results.json'] ? 'job.json' : 'results.json'} before its runs; ` +
            'is it a cluster results file (cluster/run_job.py writes them first)?',
        );
      if (!opened.index.has(id))
        throw new ClusterResultsError(`results.zip holds runs/${id}/, which its job does not list.`);
      if (group && group.id !== id) {
        await finish(group);
        read.add(group.id);
        group = null;
      }
      if (read.has(id))
        throw new ClusterResultsError(`results.zip: the files of run ${id} are not stored together.`);
      group ??= { id, files: {} };
      group.files[entry.name] = entry.bytes;
    }
    if (group) await finish(group);
  } catch (e) {
    if (e instanceof ZipStreamError) throw new ClusterResultsError(`results.zip: ${e.message}`);
    throw e;
  }
  if (!opened)
    throw new ClusterResultsError(
      `results.zip has no ${header['results.json'] ? 'job.json' : 'results.json'}; is it a cluster results file?`,
    );
  const { job, meta, datasetId } = opened;
  if (!runs.length) throw new ClusterResultsError('results.zip holds no finished run.');
  const finishedIds = new Set(runs.map((r) => r.id));
  const missing = job.runs.filter((r) => !finishedIds.has(r.id)).map((r) => r.id);
  const jobRecord: JobRecord = {
    id: job.id,
    datasetId,
    taskId: job.task.id,
    taskName: job.task.name,
    base: { ...job.base },
    grid: job.grid,
    repeats: job.repeats,
    settings: { ...job.settings },
    runIds: job.runs.map((x) => x.id),
    status: missing.length ? 'interrupted' : 'done',
    createdAt: job.createdAt,
    backend: runs[0]!.backend,
  };
  return {
    job,
    jobRecord,
    runs,
    kept,
    missing,
    createdAt: typeof meta.createdAt === 'string' ? meta.createdAt : '',
  };
}

/** readClusterResults keeping every run's weights, by run id: for files known to be small (tests, checks). */
export async function readClusterResultsWithModels(
  zip: Uint8Array | AsyncIterable<Uint8Array>,
  options: Parameters<typeof readClusterResults>[1] = {},
): Promise<ImportedResults & { models: Map<string, StoredModel> }> {
  const models = new Map<string, StoredModel>();
  const results = await readClusterResults(
    zip,
    options,
    (run, model) => void (model && models.set(run.id, model)),
  );
  return { ...results, models };
}
