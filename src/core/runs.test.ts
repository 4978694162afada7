import { describe, expect, it } from 'vitest';
import { gridResult, jobRunAt, jobRunCount, jobSecondsLeft, type JobRecord, type RunRecord } from './runs';
import { STUDY_TRAINING } from './models';

const base = { family: 'model2', filters: 32, kernel1: 3, kernel2: 3, dense: 0, dropout: 0 } as const;
const job = (repeats: number): JobRecord => ({
  id: 'j',
  datasetId: 'd',
  taskId: 't',
  taskName: 'T',
  base,
  grid: { kernel1: [3, 5], filters: [32, 64] },
  repeats,
  settings: { ...STUDY_TRAINING, epochs: 3, flip: false, seed: 10 },
  runIds: [],
  status: 'done',
  createdAt: '',
  backend: 'auto',
});

function run(id: string, valAccuracy: number, status: RunRecord['status'] = 'done'): RunRecord {
  const epoch = (e: number, acc: number) => ({
    epoch: e,
    loss: 1,
    accuracy: 0.5,
    valLoss: 1 - acc,
    valAccuracy: acc,
    confusion: [],
    seconds: 1,
    samplesPerSecond: 1,
  });
  // The kept epoch (lowest validation loss) decides, not the last one.
  return {
    id,
    status,
    epochs: [epoch(0, valAccuracy), epoch(1, valAccuracy - 0.1)],
    bestEpoch: 0,
  } as unknown as RunRecord;
}

describe('jobs', () => {
  it('walks cells and repeats, one seed per repeat', () => {
    const j = job(3);
    expect(jobRunCount(j)).toBe(12);
    expect(jobRunAt(j, 0)).toMatchObject({ cell: 0, repeat: 0, seed: 10, spec: { kernel1: 3, filters: 32 } });
    expect(jobRunAt(j, 5)).toMatchObject({ cell: 1, repeat: 2, seed: 12, spec: { kernel1: 3, filters: 64 } });
    expect(jobRunAt(j, 11)).toMatchObject({ cell: 3, repeat: 2, spec: { kernel1: 5, filters: 64 } });
  });

  it('ranks cells by mean validation accuracy with an interval, and warns when the leaders overlap', () => {
    const j = { ...job(3), runIds: ['a0', 'a1', 'a2', 'b0', 'b1', 'b2', 'c0', 'c1', 'c2'] };
    const runs = [
      run('a0', 0.7),
      run('a1', 0.72),
      run('a2', 0.74),
      run('b0', 0.8),
      run('b1', 0.9),
      run('b2', 0.85),
      run('c0', 0.5),
      run('c1', 0.5, 'stopped'),
    ];
    const r = gridResult(j, runs);
    expect(r.rows.map((x) => [x.label, x.summary.n])).toEqual([
      ['kernel1 3 · filters 64', 3],
      ['kernel1 3 · filters 32', 3],
      ['kernel1 5 · filters 32', 1],
      ['kernel1 5 · filters 64', 0],
    ]);
    expect(r.best?.summary.mean).toBeCloseTo(0.85);
    // sd 0.05, t(2) = 4.303: ±0.124, so 0.726–0.974 against a's 0.72 ± 0.05: overlapping.
    expect(r.best?.summary.low).toBeCloseTo(0.85 - (4.303 * 0.05) / Math.sqrt(3), 3);
    expect(r.noise).toMatch(/overlap .*may be noise/);

    const clear = gridResult(j, [...runs.slice(0, 3), run('b0', 0.9), run('b1', 0.91), run('b2', 0.9)]);
    expect(clear.noise).toBeNull();

    // Two runs far apart: t(1) = 12.7 would put the interval past 0% and 100%; an accuracy cannot go there.
    const wide = gridResult({ ...job(2), runIds: ['w0', 'w1'] }, [run('w0', 0.4), run('w1', 0.95)]);
    expect(wide.rows[0]!.summary).toMatchObject({ low: 0, high: 1 });
  });

  it('says single runs cannot be ranked', () => {
    const j = { ...job(1), runIds: ['a', 'b'] };
    expect(gridResult(j, [run('a', 0.6), run('b', 0.7)]).noise).toMatch(/single run/);
  });

  it('estimates time left from the time per batch', () => {
    expect(jobSecondsLeft({ batchesDone: 10, batchesTotal: 40, secondsSoFar: 5 })).toBe(15);
    expect(jobSecondsLeft({ batchesDone: 0, batchesTotal: 40, secondsSoFar: 0 })).toBeNaN();
  });
});
