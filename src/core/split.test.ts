import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SPLIT,
  splitSizes,
  splitSpecProblem,
  stratifiedSplit,
  TEST,
  TRAIN,
  VALIDATION,
} from './split';
import { createRng, shuffleInPlace } from './rng';

function dataset(perClass: number[]) {
  const labels: number[] = [];
  perClass.forEach((n, c) => {
    for (let i = 0; i < n; i++) labels.push(c);
  });
  const keys = labels.map((c, i) => `c${c}/img${String(i).padStart(5, '0')}.jpg`);
  const hashes = labels.map((_, i) => `h${i}`);
  return { labels, keys, hashes };
}

describe('stratifiedSplit', () => {
  it('gives 80/10/10 within every class', () => {
    const { labels, keys, hashes } = dataset([1000, 200, 50]);
    const split = stratifiedSplit(labels, keys, hashes, DEFAULT_SPLIT);
    for (const [cls, n] of [
      [0, 1000],
      [1, 200],
      [2, 50],
    ] as const) {
      const mine = labels.map((c, i) => (c === cls ? split[i]! : -1)).filter((s) => s >= 0);
      expect(splitSizes(mine)).toEqual([n * 0.8, n * 0.1, n * 0.1]);
    }
  });

  it('is the same for the same seed whatever order the images arrived in, and differs for another seed', () => {
    const { labels, keys, hashes } = dataset([100, 100]);
    const a = stratifiedSplit(labels, keys, hashes, DEFAULT_SPLIT);
    const perm = shuffleInPlace(
      labels.map((_, i) => i),
      createRng(7),
    );
    const b = stratifiedSplit(
      perm.map((i) => labels[i]!),
      perm.map((i) => keys[i]!),
      perm.map((i) => hashes[i]!),
      DEFAULT_SPLIT,
    );
    perm.forEach((orig, j) => expect(b[j]).toBe(a[orig]));
    const c = stratifiedSplit(labels, keys, hashes, { ...DEFAULT_SPLIT, seed: 43 });
    expect([...c]).not.toEqual([...a]);
  });

  it('keeps identical images of a class in one split', () => {
    const { labels, keys } = dataset([60]);
    const hashes = labels.map((_, i) => `h${i % 20}`); // every image three times
    const split = stratifiedSplit(labels, keys, hashes, DEFAULT_SPLIT);
    for (let h = 0; h < 20; h++) {
      const where = new Set(
        labels
          .map((_, i) => i)
          .filter((i) => i % 20 === h)
          .map((i) => split[i]),
      );
      expect(where.size).toBe(1);
    }
  });

  it('keeps at least one training image in tiny classes', () => {
    const { labels, keys, hashes } = dataset([1, 2, 3]);
    const split = stratifiedSplit(labels, keys, hashes, {
      train: 0.34,
      validation: 0.33,
      test: 0.33,
      seed: 1,
    });
    for (const cls of [0, 1, 2]) {
      expect(labels.some((c, i) => c === cls && split[i] === TRAIN)).toBe(true);
    }
    expect([...split].filter((s) => s === VALIDATION || s === TEST).length).toBeGreaterThan(0);
  });

  it('rejects fractions that do not add up', () => {
    expect(splitSpecProblem({ train: 0.8, validation: 0.1, test: 0.2, seed: 1 })).toMatch(/100%/);
    expect(splitSpecProblem({ train: 0, validation: 0.5, test: 0.5, seed: 1 })).toMatch(/cannot be empty/);
    expect(splitSpecProblem(DEFAULT_SPLIT)).toBeNull();
  });
});
