/** What the headless page (src/app/cli.ts) hands back: plain data, typed here for the command line's use. */
import type { Comparison } from '../../src/core/compare';
import type { EpochResult, GridRow } from '../../src/core/runs';

export type { EpochResult, GridRow };

interface CategoryComparison extends Comparison {
  category: string;
  combinedTask: string;
  hierarchicalTasks: string[];
  leaves: string[];
  byRoute: unknown;
}

export interface Summary {
  id: string;
  name: string;
  source: string;
  images: number;
  classes: string[];
  splitSizes: [number, number, number];
  tree: { label: string; name: string; depth: number; total: number; splits: number[]; isClass: boolean }[];
  skipped: { path: string; reason: string }[];
  duplicates: { text: string; severe: boolean }[];
  fromCache: boolean;
}

export interface TaskInfo {
  id: string;
  name: string;
  classes: string[];
}

export interface Progress {
  training: boolean;
  trainedOn: { backend: string; label: string; reason: string } | null;
  live: {
    taskId: string;
    index: number;
    runs: number;
    epoch: number;
    epochs: number;
    batch: number;
    batchesPerEpoch: number;
    batchesDone: number;
    batchesTotal: number;
    seconds: number;
    lastLoss: number | null;
    lastValAccuracy: number | null;
  } | null;
}

export interface RunResult {
  id: string;
  jobId: string;
  cell: number;
  repeat: number;
  spec: Record<string, unknown>;
  settings: { seed: number; epochs: number; [k: string]: unknown };
  status: string;
  epochs: EpochResult[];
  bestEpoch: number;
  stoppedEarly: boolean;
  validationAccuracy: number | null;
  test: { loss: number; accuracy: number; confusion: number[][] } | null;
  backend: string;
  params: number;
  modelSaved: boolean;
  error?: string;
  startedAt: string;
  finishedAt?: string;
}

export interface TaskResult {
  task: { id: string; name: string; kind: string; classes: string[] };
  jobs: {
    id: string;
    base: Record<string, unknown>;
    grid: Record<string, number[]>;
    repeats: number;
    settings: Record<string, unknown>;
    status: string;
    error?: string;
    runs: number;
    backend: string;
    gridResult?: unknown;
  }[];
  runs: RunResult[];
  chosenRunId: string | null;
}

export type ComparisonResult = Omit<CategoryComparison, 'byRoute'> & {
  confusion: { combined: number[][]; hierarchical: number[][] };
};
