/**
 * Training runs and jobs as plain records (kept in IndexedDB), and what the page shows about them: grid results
 * with mean, sd and 95% interval per cell, the best cell, and whether the leading cells differ beyond noise.
 */
import { describeModel, gridCells, type Grid, type ModelSpec, type TrainSettings } from './models';
import { summarise, type Summary } from './metrics';

export interface EpochResult {
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss: number;
  valAccuracy: number;
  /** Validation confusion matrix, rows = true, columns = predicted (counts). */
  confusion: number[][];
  seconds: number;
  samplesPerSecond: number;
}

export interface TestResult {
  loss: number;
  accuracy: number;
  confusion: number[][];
  /** Per test image: dataset index, predicted output, its softmax probability. */
  items: number[];
  predictions: number[];
  confidence: number[];
}

export type RunStatus = 'running' | 'done' | 'stopped' | 'interrupted' | 'failed';

export interface RunRecord {
  id: string;
  jobId: string;
  datasetId: string;
  taskId: string;
  taskName: string;
  /** Output class names, in output order. */
  classes: string[];
  spec: ModelSpec;
  settings: TrainSettings;
  cell: number;
  repeat: number;
  status: RunStatus;
  epochs: EpochResult[];
  /** The epoch whose weights the model keeps (lowest validation loss); -1 before the first epoch. */
  bestEpoch: number;
  stoppedEarly: boolean;
  test: TestResult | null;
  /** The kept weights' predictions on the validation split (what the kept epoch's matrix counts). */
  validation?: Omit<TestResult, 'loss' | 'accuracy' | 'confusion'>;
  backend: string;
  params: number;
  startedAt: string;
  finishedAt?: string;
  error?: string;
  /** False when the weights could not be stored (for example, storage full). */
  modelSaved: boolean;
  /** Set on a run imported from a cluster's results.zip (docs/cluster.md); absent on the lab's own runs. */
  trainedElsewhere?: TrainedElsewhere;
}

/** Where and with what a run was trained, when not in the lab. */
export interface TrainedElsewhere {
  host: string;
  /** "PyTorch 1.13.1". */
  framework: string;
  /** "cpu", "cuda:0 (NVIDIA A100)". */
  device: string;
  python?: string;
  worker?: string;
}

/** "PyTorch 1.13.1 on host node-3, cpu". */
export function elsewhereLabel(t: TrainedElsewhere): string {
  return `${t.framework} on host ${t.host}, ${t.device}`;
}

export type JobStatus = 'running' | 'done' | 'stopped' | 'interrupted' | 'failed';

/** One request to train: a single run is a grid of one cell and one repeat. */
export interface JobRecord {
  id: string;
  datasetId: string;
  taskId: string;
  taskName: string;
  base: ModelSpec;
  grid: Grid;
  repeats: number;
  /** Repeat r uses seed settings.seed + r. */
  settings: TrainSettings;
  /** Filled as runs start; run i is cell ⌊i / repeats⌋, repeat i mod repeats. */
  runIds: string[];
  status: JobStatus;
  createdAt: string;
  error?: string;
  /** Backend requested ('auto' lets the lab choose). */
  backend: string;
}

export function jobCells(job: Pick<JobRecord, 'base' | 'grid'>): ModelSpec[] {
  return gridCells(job.base, job.grid);
}

export function jobRunCount(job: Pick<JobRecord, 'base' | 'grid' | 'repeats'>): number {
  return jobCells(job).length * job.repeats;
}

/** The run at position i of a job: its cell, repeat and seed. */
export function jobRunAt(
  job: JobRecord,
  i: number,
): { cell: number; repeat: number; spec: ModelSpec; seed: number } {
  const cells = jobCells(job);
  const cell = Math.floor(i / job.repeats);
  const repeat = i % job.repeats;
  return { cell, repeat, spec: cells[cell]!, seed: job.settings.seed + repeat };
}

/** Why a task's newest job failed, or null when it did not (what the report names among what is missing). */
export function lastFailure(
  jobs: readonly Pick<JobRecord, 'status' | 'error' | 'createdAt'>[],
): string | null {
  const newest = [...jobs].sort((a, b) => a.createdAt.localeCompare(b.createdAt)).at(-1);
  return newest?.status === 'failed' ? (newest.error ?? 'it failed without saying why') : null;
}

/** The validation accuracy a run is judged by: that of the epoch whose weights it kept. */
export function runScore(run: RunRecord): number | null {
  const e = run.epochs.find((x) => x.epoch === run.bestEpoch);
  return e ? e.valAccuracy : null;
}

export interface GridRow {
  cell: number;
  spec: ModelSpec;
  /** What differs between cells: "kernel1 5 · filters 64". */
  label: string;
  scores: number[];
  summary: Summary;
  runIds: string[];
}

export interface GridResult {
  rows: GridRow[];
  best: GridRow | null;
  /** A plain warning when the intervals of the leading cells overlap. */
  noise: string | null;
}

export function cellLabel(spec: ModelSpec, grid: Grid): string {
  const keys = Object.keys(grid) as (keyof Grid)[];
  return keys.length ? keys.map((k) => `${k} ${spec[k]}`).join(' · ') : describeModel(spec);
}

/** Grid results sorted by mean validation accuracy, best first; cells without a finished run last. */
export function gridResult(job: JobRecord, runs: readonly RunRecord[]): GridResult {
  const cells = jobCells(job);
  const byId = new Map(runs.map((r) => [r.id, r]));
  const rows = cells.map((spec, cell): GridRow => {
    const mine = job.runIds
      .map((id, i) => ({ run: byId.get(id), i }))
      .filter((x) => Math.floor(x.i / job.repeats) === cell && x.run && x.run.status === 'done')
      .map((x) => x.run!);
    const scores = mine.map(runScore).filter((s): s is number => s !== null);
    const summary = summarise(scores);
    return {
      cell,
      spec,
      label: cellLabel(spec, job.grid),
      scores,
      // An accuracy lies in [0, 1]: with few runs, Student's t reaches past both ends.
      summary: { ...summary, low: Math.max(0, summary.low), high: Math.min(1, summary.high) },
      runIds: mine.map((r) => r.id),
    };
  });
  rows.sort((a, b) => (b.summary.n ? b.summary.mean : -1) - (a.summary.n ? a.summary.mean : -1));
  const best = rows[0]?.summary.n ? rows[0] : null;
  return { rows, best, noise: noiseWarning(rows) };
}

function noiseWarning(rows: readonly GridRow[]): string | null {
  const done = rows.filter((r) => r.summary.n > 0);
  if (done.length < 2) return null;
  const [first, second] = done as [GridRow, GridRow];
  if (first.summary.n < 2 || second.summary.n < 2)
    return 'Each cell has a single run, so the ranking may be noise: repeat each cell (3 or more runs) to tell.';
  if (first.summary.low <= second.summary.high)
    return `The 95% intervals of the leading cells overlap (${first.label} and ${second.label}): these differences may be noise.`;
  return null;
}

/** Seconds left for a job: the measured time per batch times the batches still to run (early stopping may cut it). */
export function jobSecondsLeft(p: {
  batchesDone: number;
  batchesTotal: number;
  secondsSoFar: number;
}): number {
  if (p.batchesDone <= 0 || p.secondsSoFar <= 0) return Number.NaN;
  return (p.secondsSoFar / p.batchesDone) * Math.max(0, p.batchesTotal - p.batchesDone);
}
