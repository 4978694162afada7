/** The report's input (what the page and the command line hand it) and its model (what the renderers draw). */
import type { Comparison } from '../compare';
import type { Summary } from '../metrics';
import type { ModelSpec, TrainSettings } from '../models';
import type { EpochResult, RunStatus } from '../runs';
import type { ThreeRouteComparison } from '../threeRoutes';

/** What the report needs of a run (a stored RunRecord, or the command line's copy of one). */
export interface ReportRunInput {
  id: string;
  cell: number;
  repeat: number;
  status: RunStatus;
  spec: ModelSpec;
  settings: TrainSettings;
  epochs: readonly Omit<EpochResult, 'seconds'>[];
  bestEpoch: number;
  stoppedEarly: boolean;
  params: number;
  backend: string;
  test: { accuracy: number; confusion: number[][] } | null;
}

export interface ReportGridInput {
  rows: readonly { label: string; summary: Summary }[];
  noise: string | null;
}

export interface ReportTaskInput {
  task: { id: string; name: string; classes: string[] };
  runs: readonly ReportRunInput[];
  /** src/core/chosenRun.ts's choice. */
  chosenRunId: string | null;
  /** The task's grids and repeated runs (jobs of more than one run), summarised by src/core/runs.ts. */
  grids: readonly ReportGridInput[];
  /** The chosen model's file, where the report sits beside it (the command line's models/…zip). */
  modelFile?: string | null;
  /** Why the task's newest job failed (core/runs lastFailure), when it did. */
  failure?: string | null;
}

export interface ReportComparisonInput extends Comparison {
  category: string;
  combinedTask?: string;
  hierarchicalTasks?: string[];
  leaves: string[];
  confusion: { combined: number[][]; hierarchical: number[][] };
}

export interface ReportInput {
  dataset: {
    name: string;
    images: number;
    classes: number;
    splitSizes: readonly number[];
    skipped: number;
    /** The demo catalog's tree is the study's: its figures go beside the lab's. */
    demo: boolean;
  };
  createdAt: string;
  /** Lines under the title: the command, the backend, an interruption. */
  notes?: readonly string[];
  tasks: readonly ReportTaskInput[];
  /** Every category with both routes: its comparison, or why there is none. */
  comparisons: readonly { category: string; result: ReportComparisonInput | null; reason?: string }[];
  threeRoutes?: ThreeRouteComparison | null;
  /** Why there is no three-way comparison, in words, where one was asked for. */
  threeRoutesNote?: string | null;
  labellerFile?: string | null;
}

/** A confusion matrix to draw (src/core/results.ts drawConfusion) and embed under its id. */
export interface ReportPicture {
  id: string;
  title: string;
  matrix: number[][];
  classes: string[];
}

export type Cell = string;

export interface ReportTable {
  head: Cell[];
  rows: Cell[][];
}

export interface ReportTask {
  id: string;
  name: string;
  /** Plain words for a task without a chosen model; null when it has one. */
  missing: string | null;
  /** Label/value lines about the chosen model. */
  facts: [string, string][];
  epochs: ReportTable | null;
  grids: { title: string; table: ReportTable; noise: string | null }[];
  /** Validation (kept epoch) and test matrices. */
  pictures: ReportPicture[];
  modelFile: string | null;
}

export interface ReportComparisonSection {
  category: string;
  missing: string | null;
  table: ReportTable | null;
  lines: string[];
  pictures: ReportPicture[];
}

export interface ReportModel {
  title: string;
  lines: string[];
  overview: ReportTable;
  /** Where the study's figures come from, when they are shown. */
  studySource: string | null;
  /** Which tasks' figures are first looks (src/core/explain.ts firstLookCaveat), said under the overview. */
  firstLooks: string | null;
  missing: string[];
  tasks: ReportTask[];
  comparisons: ReportComparisonSection[];
  threeRoutes: { table: ReportTable; byCategory: ReportTable; lines: string[] } | null;
  labellerFile: string | null;
}
