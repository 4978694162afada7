import { describe, expect, it } from 'vitest';
import { summariseModel } from './modelSummary';

describe('summariseModel', () => {
  it("counts parameters as Keras does for the study's primary model", () => {
    const s = summariseModel(
      { family: 'model2', filters: 32, kernel1: 3, kernel2: 3, dense: 0, dropout: 0 },
      3,
    );
    expect(s.layers.map((l) => [l.name, l.outputShape, l.params])).toEqual([
      ['conv2d_1', [118, 88, 32], 896],
      ['max_pooling2d_1', [59, 44, 32], 0],
      ['conv2d_2', [57, 42, 32], 9248],
      ['max_pooling2d_2', [28, 21, 32], 0],
      ['flatten_1', [18816], 0],
      ['dense_1', [3], 56451],
    ]);
    expect(s.params).toBe(66595);
    expect(s.problem).toBeNull();
  });

  it('names a kernel that no longer fits', () => {
    const s = summariseModel(
      { family: 'model1', filters: 8, kernel1: 200, kernel2: 3, dense: 0, dropout: 0 },
      2,
    );
    expect(s.problem).toMatch(/200×200 kernel does not fit 120×90/);
  });
});
