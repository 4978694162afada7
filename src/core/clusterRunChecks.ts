/**
 * The files of a cluster's results.zip checked field by field, each problem named with its run and field:
 * job.json (parseClusterJob) and each run's run.json as the lab's RunRecord (parseRun), its figures recomputed
 * from its predictions. Reading the zip and matching it to a dataset is clusterResults.ts.
 */
import { strFromU8, type Unzipped } from 'fflate';
import { JOB_FORMAT, JOB_VERSION, SPLITS, type ClusterJob, type JobSplit } from './clusterJob';
import type { EpochResult, RunRecord, TestResult, TrainedElsewhere } from './runs';

export const RESULTS_FORMAT = 'fashion-cnn-lab/cluster-results';
export const RESULTS_VERSION = 1;
const GRID_KEYS = ['filters', 'kernel1', 'kernel2', 'dense', 'dropout'];

export type ImportedRun = RunRecord & { trainedElsewhere: TrainedElsewhere };

export class ClusterResultsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClusterResultsError';
  }
}

const isObject = (x: unknown): x is Record<string, unknown> =>
  !!x && typeof x === 'object' && !Array.isArray(x);

/** Field readers that name what is wrong and where. */
export class Reader {
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

export function parseJsonFile(files: Unzipped, name: string): unknown {
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

export type SplitItems = Partial<Record<'validation' | 'test', readonly number[]>>;

export function parseRun(
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
