import { describe, expect, it } from 'vitest';
import { accuracyOf, confusionMatrix, perClassScores, rowNormalised, summarise } from './metrics';

describe('metrics', () => {
  const m = confusionMatrix([0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2], 3);
  it('counts rows = true, columns = predicted', () => {
    expect(m).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
    expect(accuracyOf(m)).toBeCloseTo(4 / 6);
    expect(rowNormalised(m)[0]).toEqual([0.67, 0.33, 0]);
  });
  it('gives precision, recall and F1 per class', () => {
    const s = perClassScores(m);
    expect(s[0]).toEqual({ precision: 1, recall: 2 / 3, f1: 0.8, support: 3 });
    expect(s[1]!.precision).toBeCloseTo(0.5);
    expect(s[2]!.recall).toBe(1);
  });
  it('summarises repeated runs with a t interval', () => {
    const s = summarise([0.8, 0.82, 0.78]);
    expect(s.mean).toBeCloseTo(0.8);
    expect(s.sd).toBeCloseTo(0.02);
    expect(s.high - s.mean).toBeCloseTo((4.303 * 0.02) / Math.sqrt(3), 5);
    expect(summarise([0.5])).toMatchObject({ sd: 0, low: 0.5, high: 0.5 });
  });
});
