/**
 * The report's input from what the page holds: the open dataset's tasks, runs and jobs, and the route
 * comparisons run so far. The chosen run and the grid summaries are the rules the Train step uses
 * (chosenRun.ts, runs.ts), so the report says what the page says.
 */
import { chosenRun } from '../chosenRun';
import type { Comparison } from '../compare';
import type { DatasetSource } from '../dataset';
import { labelText } from '../labels';
import { routeTasks, twoRouteCategories } from '../pipeline';
import { gridResult, jobRunCount, lastFailure, type JobRecord, type RunRecord } from '../runs';
import type { Task } from '../tasks';
import type { ThreeRouteComparison } from '../threeRoutes';
import { comparisonReason, type ReportInput } from './model';

/** A category's comparison as the Lab keeps it (src/lab/labelling.ts CategoryComparison). */
export interface LabComparison extends Comparison {
  category: string;
  combinedTask: string;
  hierarchicalTasks: string[];
  leaves: string[];
  byRoute: { combined: { confusion: number[][] }; hierarchical: { confusion: number[][] } };
}

export interface LabReportState {
  dataset: {
    name: string;
    source: DatasetSource;
    images: number;
    classes: readonly unknown[];
    splitSizes: readonly number[];
    skipped: readonly unknown[];
  };
  tasks: readonly Task[];
  runs: readonly RunRecord[];
  jobs: readonly JobRecord[];
  comparisons: Readonly<Record<string, LabComparison>>;
  threeRoutes?: ThreeRouteComparison | null;
  threeRoutesNote?: string | null;
  /** The backend that trained, in words. */
  backend?: string | null;
  createdAt: string;
}

export function reportInputFromLab(s: LabReportState): ReportInput {
  const chosen = new Map(s.tasks.map((t) => [t.id, chosenRun(s.runs, t.id)]));
  const comparable = [...new Set([...twoRouteCategories(s.tasks), ...Object.keys(s.comparisons)])];
  return {
    dataset: {
      name: s.dataset.name,
      images: s.dataset.images,
      classes: s.dataset.classes.length,
      splitSizes: s.dataset.splitSizes,
      skipped: s.dataset.skipped.length,
      demo: s.dataset.source === 'demo',
    },
    createdAt: s.createdAt,
    notes: s.backend ? [`Backend: ${s.backend}.`] : [],
    tasks: s.tasks.map((t) => {
      const runs = s.runs.filter((r) => r.taskId === t.id);
      return {
        task: { id: t.id, name: t.name, classes: t.outputs.map(labelText) },
        runs,
        chosenRunId: chosen.get(t.id)?.id ?? null,
        grids: s.jobs.filter((j) => j.taskId === t.id && jobRunCount(j) > 1).map((j) => gridResult(j, runs)),
        failure: lastFailure(s.jobs.filter((j) => j.taskId === t.id)),
      };
    }),
    comparisons: comparable.map((category) => {
      const c = s.comparisons[category];
      if (c) {
        const { byRoute, ...rest } = c;
        const confusion = {
          combined: byRoute.combined.confusion,
          hierarchical: byRoute.hierarchical.confusion,
        };
        return { category, result: { ...rest, confusion } };
      }
      const needed = [
        ...routeTasks(s.tasks, category, 'combined'),
        ...routeTasks(s.tasks, category, 'hierarchical'),
      ].map((t) => ({ name: t.name, trained: !!chosen.get(t.id) }));
      return { category, result: null, reason: comparisonReason(needed) };
    }),
    threeRoutes: s.threeRoutes ?? null,
    threeRoutesNote: s.threeRoutesNote ?? null,
  };
}

/** The categories whose two routes could be compared now: every model of both routes has a chosen run. */
export function comparableNow(tasks: readonly Task[], runs: readonly RunRecord[]): string[] {
  return twoRouteCategories(tasks).filter((category) =>
    [...routeTasks(tasks, category, 'combined'), ...routeTasks(tasks, category, 'hierarchical')].every(
      (t) => chosenRun(runs, t.id) !== null,
    ),
  );
}
