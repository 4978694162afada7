/**
 * Grid cells compared seed by seed: every cell of a job runs the same seeds (repeat r uses seed + r), so the
 * best cell and each runner-up form pairs, and a paired t-test says whether their difference is beyond the
 * run-to-run noise. For the best two cells, the repeats the paired test would need to tell them apart (80%
 * power at the 5% level) at the spread seen so far.
 */
import { gridResult, runScore, type GridResult, type GridRow, type JobRecord, type RunRecord } from './runs';
import { pairedTTest, pairsNeeded, type PairedTTest } from './tTest';

export const PAIRED_POWER = 0.8;
export const PAIRED_ALPHA = 0.05;
/** The most repeats the estimate reports; past this it says "more than". */
export const MAX_REPEATS = 1000;

export interface CellRef {
  cell: number;
  label: string;
}

export interface PairedCellComparison extends PairedTTest {
  best: CellRef;
  other: CellRef;
  /** The seeds (repeat numbers) both cells finished. */
  repeats: number[];
  /** Holm's adjustment of p over all the runner-ups compared (NaN where p is). */
  pAdjusted: number;
  /** "Cell A beats cell B in 7 of 8 paired seeds; p = 0.03 — likely a real difference." */
  words: string;
}

export interface RepeatsEstimate {
  best: CellRef;
  other: CellRef;
  /** Pairs the estimate rests on. */
  pairs: number;
  /** Mean difference over the sd of the differences (Cohen's d for paired samples). */
  effect: number;
  /** Repeats per cell for 80% power at the 5% level; null when none would do (or more than MAX_REPEATS). */
  needed: number | null;
  words: string;
}

export interface PairedGrid {
  /** Best cell against each other cell that finished a run, in the grid's order (best mean first). */
  comparisons: PairedCellComparison[];
  /** For the best two cells; null with fewer than two cells run. */
  repeats: RepeatsEstimate | null;
}

const ref = (row: GridRow): CellRef => ({ cell: row.cell, label: row.label });

/** Validation accuracy per repeat number of one cell's finished runs. */
function scoresByRepeat(job: JobRecord, runs: ReadonlyMap<string, RunRecord>, cell: number) {
  const out = new Map<number, number>();
  job.runIds.forEach((id, i) => {
    if (Math.floor(i / job.repeats) !== cell) return;
    const run = runs.get(id);
    const score = run && run.status === 'done' ? runScore(run) : null;
    if (score !== null) out.set(i % job.repeats, score);
  });
  return out;
}

export const pText = (p: number) =>
  !Number.isFinite(p)
    ? 'no p-value'
    : p < 0.001
      ? 'p < 0.001'
      : `p = ${p < 0.01 ? p.toFixed(3) : p.toFixed(2)}`;

/** Holm's step-down adjustment: controls the chance of any false "real difference" among m comparisons. */
export function holm(ps: readonly number[]): number[] {
  const order = ps
    .map((p, i) => ({ p, i }))
    .filter((x) => Number.isFinite(x.p))
    .sort((a, b) => a.p - b.p);
  const out = ps.map(() => Number.NaN);
  let running = 0;
  order.forEach(({ p, i }, k) => {
    running = Math.max(running, Math.min(1, (order.length - k) * p));
    out[i] = running;
  });
  return out;
}

function verdict(p: number): string {
  if (p < 0.01) return 'very likely a real difference';
  if (p < 0.05) return 'likely a real difference';
  if (p < 0.2) return 'perhaps a difference, perhaps noise: more repeats would tell';
  return 'within run-to-run noise';
}

function comparisonWords(c: Omit<PairedCellComparison, 'words'>, compared: number): string {
  const a = c.best.label;
  const b = c.other.label;
  if (c.n === 0) return `${a} and ${b} have no seed both finished, so they cannot be compared seed by seed.`;
  const tally = `${a} beats ${b} in ${c.wins} of ${c.n} paired seed${c.n === 1 ? '' : 's'}${c.ties ? ` (${c.ties} tied)` : ''}`;
  if (c.n < 2) return `${tally}; a paired test needs at least 2 seeds both cells finished.`;
  if (!Number.isFinite(c.p)) {
    return c.meanDifference === 0
      ? `${tally}; the two cells scored the same on every seed.`
      : `${tally}, by the same margin on every seed, so the test has no spread to judge it by.`;
  }
  const adjusted =
    compared > 1 && Number.isFinite(c.pAdjusted) && verdict(c.pAdjusted) !== verdict(c.p)
      ? ` (${c.pAdjusted < 0.001 ? '< 0.001' : c.pAdjusted.toFixed(2)} allowing for ${compared} comparisons: ${verdict(c.pAdjusted)})`
      : '';
  return `${tally}; ${pText(c.p)} — ${verdict(c.p)}${adjusted}.`;
}

function repeatsWords(e: Omit<RepeatsEstimate, 'words'>, runsSoFar: number): string {
  const pair = `${e.best.label} and ${e.other.label}`;
  if (e.pairs < 2)
    return `Run each cell at least twice on the same seeds to estimate how many repeats would tell ${pair} apart.`;
  if (!Number.isFinite(e.effect))
    return `${pair} differed by exactly the same amount on every seed, so their spread cannot be estimated yet: run more repeats.`;
  if (e.effect === 0) return `${pair} scored the same on average: no number of repeats would separate them.`;
  const size = `at the spread seen over ${e.pairs} seeds (a mean difference of ${Math.abs(e.effect).toFixed(2)} standard deviations)`;
  if (e.needed === null)
    return `Telling ${pair} apart would take more than ${MAX_REPEATS} repeats per cell ${size}: for practical purposes they are equally good.`;
  const have = e.needed <= runsSoFar ? `; the ${runsSoFar} seeds run so far are enough` : '';
  return `Telling ${pair} apart reliably (80% power, 5% level) needs about ${e.needed} repeats per cell ${size}${have}.`;
}

/** The paired comparisons of a job's grid; `result` defaults to the job's gridResult. */
export function pairedGrid(
  job: JobRecord,
  runs: readonly RunRecord[],
  result: GridResult = gridResult(job, runs),
): PairedGrid {
  const rows = result.rows.filter((r) => r.summary.n > 0);
  const [first, ...others] = rows;
  if (!first || !others.length) return { comparisons: [], repeats: null };
  const byId = new Map(runs.map((r) => [r.id, r]));
  const bestScores = scoresByRepeat(job, byId, first.cell);
  const raw = others.map((row) => {
    const mine = scoresByRepeat(job, byId, row.cell);
    const repeats = [...bestScores.keys()].filter((r) => mine.has(r)).sort((x, y) => x - y);
    const test = pairedTTest(
      repeats.map((r) => bestScores.get(r)!),
      repeats.map((r) => mine.get(r)!),
    );
    return { ...test, best: ref(first), other: ref(row), repeats };
  });
  const adjusted = holm(raw.map((c) => c.p));
  const comparisons = raw.map((c, i) => {
    const full = { ...c, pAdjusted: adjusted[i]! };
    return { ...full, words: comparisonWords(full, raw.length) };
  });
  const top = comparisons[0]!;
  // NaN: too few pairs, or no spread to measure the difference against.
  let effect = Number.NaN;
  if (top.n >= 2 && top.meanDifference === 0) effect = 0;
  else if (top.n >= 2 && top.sdDifference > 0) effect = top.meanDifference / top.sdDifference;
  const estimate = {
    best: top.best,
    other: top.other,
    pairs: top.n,
    effect,
    needed:
      Number.isFinite(effect) && effect !== 0
        ? pairsNeeded(effect, PAIRED_POWER, PAIRED_ALPHA, MAX_REPEATS)
        : null,
  };
  return { comparisons, repeats: { ...estimate, words: repeatsWords(estimate, top.n) } };
}
