/** The run in progress as the page shows it, updated from the training worker's events (pure functions). */
import type { EpochResult, RunRecord } from '../core/runs';
import type { TrainEvent } from './deps';

export interface LivePoint {
  /** Batches since the run started (x axis of the per-batch curve). */
  step: number;
  loss: number;
  accuracy: number;
}

export interface LiveRun {
  jobId: string;
  taskId: string;
  runId: string;
  /** Position of this run in its job, and the job's number of runs. */
  index: number;
  runs: number;
  epoch: number;
  epochs: number;
  batch: number;
  batchesPerEpoch: number;
  points: LivePoint[];
  results: EpochResult[];
  bestEpoch: number;
  /** Batches trained in this job since it (re)started here, and when it did, for the time left. */
  batchesDone: number;
  batchesTotal: number;
  startedMs: number;
  nowMs: number;
}

const MAX_POINTS = 2000;

type RunStart = Extract<TrainEvent, { type: 'run-start' }>;
type Batch = Extract<TrainEvent, { type: 'batch' }>;
type Epoch = Extract<TrainEvent, { type: 'epoch' }>;

/** A run starts (or resumes): a job's later runs carry on its batch count and clock. */
export function liveStart(
  prev: LiveRun | null,
  job: { id: string; taskId: string },
  e: RunStart,
  now: number,
): LiveRun {
  const same = prev?.jobId === job.id ? prev : null;
  const perRun = e.run.settings.epochs * e.batchesPerEpoch;
  const before = same ? same.batchesDone : 0;
  return {
    jobId: job.id,
    taskId: job.taskId,
    runId: e.run.id,
    index: e.index,
    runs: e.runs,
    epoch: e.resumedAt,
    epochs: e.run.settings.epochs,
    batch: 0,
    batchesPerEpoch: e.batchesPerEpoch,
    points: [],
    results: [...e.run.epochs],
    bestEpoch: e.run.bestEpoch,
    batchesDone: before,
    batchesTotal: before + (e.runs - e.index) * perRun - e.resumedAt * e.batchesPerEpoch,
    startedMs: same ? same.startedMs : now,
    nowMs: now,
  };
}

export function liveBatch(l: LiveRun, e: Batch, now: number): LiveRun {
  const step = e.epoch * e.batches + e.batch + 1;
  const added = Math.max(1, step - (l.epoch * l.batchesPerEpoch + l.batch));
  const points = [...l.points, { step, loss: e.loss, accuracy: e.accuracy }];
  return {
    ...l,
    epoch: e.epoch,
    batch: e.batch + 1,
    points: points.length > MAX_POINTS ? points.filter((_, i) => i % 2 === 0) : points,
    batchesDone: l.batchesDone + added,
    nowMs: now,
  };
}

export function liveEpoch(l: LiveRun, e: Epoch, now: number): LiveRun {
  return {
    ...l,
    results: [...l.results, e.result],
    bestEpoch: e.bestEpoch,
    epoch: e.result.epoch + 1,
    batch: 0,
    nowMs: now,
  };
}

/** Early stopping skips the rest of the run's planned batches. */
export function liveEnd(l: LiveRun, run: RunRecord): LiveRun {
  const planned = l.epochs * l.batchesPerEpoch;
  const trained = run.epochs.length * l.batchesPerEpoch;
  return { ...l, batchesTotal: l.batchesTotal - Math.max(0, planned - trained) };
}
