/**
 * The study's chosen run for a task: of its finished runs, the one with the best validation accuracy (the epoch
 * it kept). A run counts only if its model was saved: the chosen model is the one a person downloads and the
 * labeller labels with, so a run whose weights did not fit in storage (a full disk) keeps its numbers in the
 * runs table but cannot be chosen; otherwise the page would show one model while the labeller used another.
 * Ties go to the run that started first (runs are listed oldest first).
 */
import { runScore, type RunRecord } from './runs';

export function countsAsChosen(run: RunRecord): boolean {
  return run.status === 'done' && run.modelSaved && run.test !== null && runScore(run) !== null;
}

/** The chosen run among `runs` for `taskId` (or among all of them when no task is named), or null. */
export function chosenRun(runs: readonly RunRecord[], taskId?: string): RunRecord | null {
  let best: RunRecord | null = null;
  for (const r of runs) {
    if ((taskId !== undefined && r.taskId !== taskId) || !countsAsChosen(r)) continue;
    if (!best || runScore(r)! > runScore(best)!) best = r;
  }
  return best;
}
