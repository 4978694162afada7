/**
 * A cluster's results.zip (cluster/run_job.py, docs/cluster.md) read back into the lab's own records: per run the
 * lab's RunRecord (settings, seed, per-epoch metrics and validation confusion, the test result), marked as trained
 * elsewhere, with its kept weights in tfjs' layers format; and the job as the lab's JobRecord, so grid statistics,
 * the chosen run and the labeller treat the runs as the lab's own. Everything is checked before anything is kept
 * (the fields of each file: clusterRunChecks.ts).
 */
import { strFromU8, type Unzipped } from 'fflate';
import { SPLITS, type ClusterJob, type SplitName } from './clusterJob';
import {
  ClusterResultsError,
  parseClusterJob,
  parseJsonFile,
  parseRun,
  Reader,
  RESULTS_FORMAT,
  RESULTS_VERSION,
  type ImportedRun,
  type SplitItems,
} from './clusterRunChecks';
import { checkModel, type StoredModel } from './modelFiles';
import type { JobRecord, TrainedElsewhere } from './runs';
import { taskSplits } from './taskData';
import type { Task } from './tasks';
import { chunksOf, zipEntries, ZipStreamError } from './zipStream';

export {
  ClusterResultsError,
  parseClusterJob,
  RESULTS_FORMAT,
  RESULTS_VERSION,
  type ImportedRun,
  type TrainedElsewhere,
};

/** What results.zip brings: the job, its finished runs' records, and what is missing. */
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
