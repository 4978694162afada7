import { describe, expect, it } from 'vitest';
import { holm, pairedGrid } from './pairedCells';
import { STUDY_TRAINING } from './models';
import type { JobRecord, RunRecord } from './runs';

const base = { family: 'model2', filters: 32, kernel1: 3, kernel2: 3, dense: 0, dropout: 0 } as const;

/** A job over kernel1 with one row of validation accuracies per cell (NaN: that run failed). */
function grid(cells: number[][]): { job: JobRecord; runs: RunRecord[] } {
  const repeats = cells[0]!.length;
  const runs: RunRecord[] = [];
  cells.forEach((scores, c) =>
    scores.forEach((acc, r) =>
      runs.push({
        id: `c${c}r${r}`,
        status: Number.isNaN(acc) ? 'failed' : 'done',
        epochs: Number.isNaN(acc)
          ? []
          : [
              {
                epoch: 0,
                loss: 1,
                accuracy: 0.5,
                valLoss: 0.5,
                valAccuracy: acc,
                confusion: [],
                seconds: 1,
                samplesPerSecond: 1,
              },
            ],
        bestEpoch: Number.isNaN(acc) ? -1 : 0,
      } as unknown as RunRecord),
    ),
  );
  const job: JobRecord = {
    id: 'j',
    datasetId: 'd',
    taskId: 't',
    taskName: 'T',
    base,
    grid: { kernel1: cells.map((_, c) => 3 + 2 * c) },
    repeats,
    settings: { ...STUDY_TRAINING, epochs: 3, flip: false, seed: 1 },
    runIds: runs.map((r) => r.id),
    status: 'done',
    createdAt: '',
    backend: 'auto',
  };
  return { job, runs };
}

const best = [0.82, 0.83, 0.8, 0.84, 0.85, 0.81, 0.78, 0.83];
const diffs = [0.02, 0.03, 0.01, 0.02, 0.04, 0.02, -0.01, 0.03];
const second = best.map((x, i) => x - diffs[i]!);

describe('grid cells compared seed by seed', () => {
  it('tests the best cell against the runner-up over the same seeds', () => {
    // Listed second, the best cell still leads: the grid ranks by mean.
    const { job, runs } = grid([second, best]);
    const { comparisons, repeats } = pairedGrid(job, runs);
    expect(comparisons).toHaveLength(1);
    const c = comparisons[0]!;
    expect(c.best.label).toBe('kernel1 5');
    expect(c.other.label).toBe('kernel1 3');
    expect(c).toMatchObject({ n: 8, wins: 7, losses: 1, ties: 0, df: 7 });
    // scipy.stats.ttest_rel on the same numbers: t = 3.7417, p = 0.007247.
    expect(c.t).toBeCloseTo(3.7417, 4);
    expect(c.p).toBeCloseTo(0.007247, 5);
    expect(c.pAdjusted).toBeCloseTo(c.p, 12);
    expect(c.words).toBe(
      'kernel1 5 beats kernel1 3 in 7 of 8 paired seeds; p = 0.007 — very likely a real difference.',
    );
    // Effect 1.32 sd: scipy's noncentral t gives 73.6% power with 6 pairs and 82.9% with 7.
    expect(repeats!.effect).toBeCloseTo(1.3229, 4);
    expect(repeats!.needed).toBe(7);
    expect(repeats!.words).toMatch(/needs about 7 repeats per cell .* the 8 seeds run so far are enough\.$/);
  });

  it('pairs by seed, leaving out a seed one cell did not finish', () => {
    const broken = [...second];
    broken[6] = Number.NaN; // the one seed the runner-up won
    const { job, runs } = grid([best, broken]);
    const c = pairedGrid(job, runs).comparisons[0]!;
    expect(c.repeats).toEqual([0, 1, 2, 3, 4, 5, 7]);
    expect(c).toMatchObject({ n: 7, wins: 7, losses: 0 });
  });

  it('adjusts for several runner-ups and says when that changes the verdict', () => {
    const noisy = best.map((x, i) => x - [0.03, -0.01, 0.02, 0.0, 0.03, -0.01, 0.02, 0.01][i]!);
    const { job, runs } = grid([best, second, noisy]);
    const { comparisons } = pairedGrid(job, runs);
    expect(comparisons.map((c) => c.other.label)).toEqual(['kernel1 7', 'kernel1 5']);
    const [near, far] = comparisons as [(typeof comparisons)[0], (typeof comparisons)[0]];
    // scipy.stats.ttest_rel: p = 0.09384 for the noisy cell.
    expect(near.p).toBeCloseTo(0.09384, 5);
    expect(near.pAdjusted).toBeCloseTo(near.p, 12);
    expect(far.pAdjusted).toBeCloseTo(2 * far.p, 10);
    expect(near.words).toMatch(/p = 0\.09 — perhaps a difference, perhaps noise/);
    expect(far.words).toMatch(
      /p = 0\.007 — very likely a real difference \(0\.01 allowing for 2 comparisons: likely a real difference\)\.$/,
    );
  });

  it('says what is missing instead of a number', () => {
    const single = grid([[0.8], [0.7]]);
    const r = pairedGrid(single.job, single.runs);
    expect(r.comparisons[0]!.p).toBeNaN();
    expect(r.comparisons[0]!.words).toMatch(/needs at least 2 seeds/);
    expect(r.repeats!.needed).toBeNull();
    expect(r.repeats!.words).toMatch(/^Run each cell at least twice/);
    const same = grid([
      [0.8, 0.9],
      [0.8, 0.9],
    ]);
    const s = pairedGrid(same.job, same.runs);
    expect(s.comparisons[0]!.words).toMatch(/scored the same on every seed/);
    expect(s.repeats!.words).toMatch(/no number of repeats would separate them/);
    const one = grid([[0.8, 0.9]]);
    expect(pairedGrid(one.job, one.runs)).toEqual({ comparisons: [], repeats: null });
  });

  it("Holm's adjustment", () => {
    // Worked example: p = 0.01, 0.04, 0.03 over three tests → 0.03, 0.06, 0.06.
    const out = holm([0.01, 0.04, 0.03, Number.NaN]);
    expect(out.slice(0, 3).map((x) => +x.toFixed(10))).toEqual([0.03, 0.06, 0.06]);
    expect(out[3]).toBeNaN();
  });
});
