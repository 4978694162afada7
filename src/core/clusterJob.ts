/**
 * A task's grid as a job for another machine (docs/cluster.md): `job.json` (schema-versioned: the task, its classes,
 * every cell's model and layers, every run's seed, the training settings, the preprocessing and flips as the lab does
 * them), the task's splits as the study's NPZ files, and a README saying how to run it with cluster/run_job.py.
 */
import { strToU8 } from 'fflate';
import { writeNpz } from './npz';
import { taskNpz } from './npzDataset';
import {
  describeModel,
  layersOf,
  type Grid,
  type LayerSpec,
  type ModelSpec,
  type TrainSettings,
} from './models';
import { summariseModel } from './modelSummary';
import { cellLabel, jobCells, jobRunAt, jobRunCount, type JobRecord } from './runs';
import { TEST, TRAIN, VALIDATION, type SplitIndex } from './split';
import type { Task } from './tasks';
import { IMAGE_CHANNELS, IMAGE_HEIGHT, IMAGE_WIDTH } from './image';

export const JOB_FORMAT = 'fashion-cnn-lab/cluster-job';
export const JOB_VERSION = 1;

export type SplitName = 'train' | 'validation' | 'test';
export const SPLITS: readonly SplitName[] = ['train', 'validation', 'test'];
const SPLIT_INDEX: Record<SplitName, SplitIndex> = { train: TRAIN, validation: VALIDATION, test: TEST };

export interface JobSplit {
  /** The study's NPZ file beside job.json ("Shoes - All - Train.npz"). */
  file: string;
  count: number;
  /** Dataset image index of each row of the file, when the exporter knew them (the page does). */
  items?: number[];
}

export interface JobCell {
  cell: number;
  label: string;
  description: string;
  spec: ModelSpec;
  /** The lab's layer list (core/models.ts layersOf); the last layer gives logits. */
  layers: LayerSpec[];
  params: number;
}

export interface JobRun {
  /** The id the lab gives this run: `<job id>-<index>`. */
  id: string;
  index: number;
  cell: number;
  repeat: number;
  seed: number;
}

export interface ClusterJob {
  format: typeof JOB_FORMAT;
  version: typeof JOB_VERSION;
  id: string;
  createdAt: string;
  dataset: { id: string; name: string; images: number };
  task: { id: string; name: string; kind: string; classes: string[] };
  input: { shape: [number, number, number]; layout: 'NHWC'; dtype: 'uint8' };
  preprocessing: {
    scale: 'x / 255';
    /** Mirrored copies (left-right) of every image appended to each split: train, validation and test. */
    flip: boolean;
    /** A mirrored copy of dataset image i is item i + dataset.images in the lab's run records. */
    flipItemOffset: number;
  };
  /** Batches of an epoch: mulberry32(imul(seed, 1000003) + epoch) shuffles 0…n−1 by Fisher–Yates (core/rng.ts). */
  shuffle: 'mulberry32-fisher-yates';
  optimizer: { name: 'adam'; learningRate: number; beta1: 0.9; beta2: 0.999; epsilon: 1e-7 };
  /** Early stopping on validation loss after `patience` epochs without a lower one; the best epoch's weights kept. */
  settings: TrainSettings;
  base: ModelSpec;
  grid: Grid;
  repeats: number;
  splits: Record<SplitName, JobSplit>;
  cells: JobCell[];
  runs: JobRun[];
}

export interface JobInput {
  job: JobRecord;
  task: Pick<Task, 'id' | 'name' | 'kind' | 'outputs'>;
  dataset: { id: string; name: string; images: number };
  splits: Record<SplitName, JobSplit>;
  now?: Date;
}

/** job.json for a job the lab would otherwise train itself: the same cells, seeds and settings. */
export function clusterJob({ job, task, dataset, splits, now = new Date() }: JobInput): ClusterJob {
  const classes = task.outputs.length;
  const cells = jobCells(job).map((spec, cell): JobCell => ({
    cell,
    label: cellLabel(spec, job.grid),
    description: describeModel(spec),
    spec,
    layers: layersOf(spec, classes),
    params: summariseModel(spec, classes).params,
  }));
  const runs = Array.from({ length: jobRunCount(job) }, (_, index): JobRun => {
    const at = jobRunAt(job, index);
    return { id: `${job.id}-${index}`, index, cell: at.cell, repeat: at.repeat, seed: at.seed };
  });
  return {
    format: JOB_FORMAT,
    version: JOB_VERSION,
    id: job.id,
    createdAt: now.toISOString(),
    dataset: { ...dataset },
    task: { id: task.id, name: task.name, kind: task.kind, classes: task.outputs.map((o) => o.join('/')) },
    input: { shape: [IMAGE_HEIGHT, IMAGE_WIDTH, IMAGE_CHANNELS], layout: 'NHWC', dtype: 'uint8' },
    preprocessing: { scale: 'x / 255', flip: job.settings.flip, flipItemOffset: dataset.images },
    shuffle: 'mulberry32-fisher-yates',
    optimizer: {
      name: 'adam',
      learningRate: job.settings.learningRate,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
    },
    settings: { ...job.settings },
    base: { ...job.base },
    grid: job.grid,
    repeats: job.repeats,
    splits,
    cells,
    runs,
  };
}

export interface DatasetView {
  id: string;
  name: string;
  classes: string[][];
  labels: readonly number[];
  split: readonly number[];
  image: (i: number) => Uint8Array;
}

/** The whole export folder from the lab's dataset (what the page's "Run elsewhere…" zips): file name → bytes. */
export function clusterJobFiles(job: JobRecord, task: Task, dataset: DatasetView, now = new Date()) {
  const files: Record<string, Uint8Array> = {};
  const splits = {} as Record<SplitName, JobSplit>;
  for (const name of SPLITS) {
    const npz = taskNpz(task, SPLIT_INDEX[name], dataset, dataset.image);
    files[npz.fileName] = writeNpz(npz.arrays);
    const items: number[] = [];
    dataset.labels.forEach((l, i) => {
      if (dataset.split[i] === SPLIT_INDEX[name] && task.targetOf[l]! >= 0) items.push(i);
    });
    splits[name] = { file: npz.fileName, count: npz.sidecar.count, items };
  }
  for (const name of ['train', 'validation'] as const)
    if (!splits[name].count)
      throw new Error(`${task.name} has no ${name} images in this dataset: a job needs them to train.`);
  const value = clusterJob({
    job,
    task,
    dataset: { id: dataset.id, name: dataset.name, images: dataset.labels.length },
    splits,
    now,
  });
  files['job.json'] = strToU8(JSON.stringify(value, null, 1));
  files['README.md'] = strToU8(jobReadme(value));
  return { job: value, files };
}

/** The export folder's own README: what is in it and the three ways to run it. */
export function jobReadme(job: ClusterJob): string {
  const s = job.settings;
  return `# ${job.task.name}: ${job.cells.length} cells × ${job.repeats} seeds = ${job.runs.length} runs

Exported by Fashion CNN Lab on ${job.createdAt} from the dataset "${job.dataset.name}".
Classes, in output order: ${job.task.classes.join(', ')}.
Training: up to ${s.epochs} epochs, batch ${s.batchSize}, Adam ${s.learningRate}, early stopping on validation
loss with patience ${s.patience} (best weights kept), flips ${s.flip ? 'on' : 'off'}, seeds from ${s.seed}.

Files: \`job.json\` (format ${JOB_FORMAT}, version ${JOB_VERSION}: every cell's model and every run's seed) and the
task's splits in the study's layout: ${SPLITS.map((n) => `\`${job.splits[n].file}\``).join(', ')}
(arrays \`images\` (N, 120, 90, 3) uint8 and \`labels\` (N,) int64).

## Run it

You need the lab's repository (for \`cluster/run_job.py\`), Python 3 with PyTorch, NumPy and Dask distributed
(Debian: \`apt-get install python3-torch python3-distributed python3-numpy\`).

- On this machine (a Dask LocalCluster): \`python3 cluster/run_job.py THIS_FOLDER --workers 4\`
- On a running Dask cluster: \`python3 cluster/run_job.py THIS_FOLDER --scheduler tcp://HOST:8786\`
- On SLURM or Kubernetes: start a Dask cluster there with dask-jobqueue or dask-kubernetes and pass its
  scheduler address; cluster/README.md in the repository has both recipes.

Every run is written to \`runs/<id>/\` as soon as it finishes; run the same command again after an interruption and
finished runs are skipped. When all are done the runner writes \`results.zip\`: bring it back with the lab's
"Import results" (or \`npm run lab -- import-results <source> results.zip --out OUT\`).
`;
}
