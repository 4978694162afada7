/** One stratified, seeded train/validation/test split per dataset. Identical images in a class stay together. */
import { createRng, shuffleInPlace } from './rng';

export const TRAIN = 0;
export const VALIDATION = 1;
export const TEST = 2;
export type SplitIndex = typeof TRAIN | typeof VALIDATION | typeof TEST;
export const SPLIT_NAMES = ['train', 'validation', 'test'] as const;

export interface SplitSpec {
  /** Fractions, summing to 1. */
  train: number;
  validation: number;
  test: number;
  seed: number;
}

export const DEFAULT_SPLIT: SplitSpec = { train: 0.8, validation: 0.1, test: 0.1, seed: 42 };

export function splitSpecProblem(spec: SplitSpec): string | null {
  const parts = [spec.train, spec.validation, spec.test];
  if (parts.some((p) => !Number.isFinite(p) || p < 0)) return 'Split fractions must be zero or more.';
  if (Math.abs(parts.reduce((a, b) => a + b, 0) - 1) > 1e-6) return 'Split fractions must add up to 100%.';
  if (spec.train <= 0) return 'The training split cannot be empty.';
  if (!Number.isInteger(spec.seed)) return 'The seed must be a whole number.';
  return null;
}

/**
 * Assigns each item a split. Items are visited in `key` order (file paths), so the result does not depend on
 * the order in which images were decoded. Within a class, items sharing a content hash form one unit and
 * land in the same split, so exact duplicates cannot leak from train into test.
 */
export function stratifiedSplit(
  labels: readonly number[],
  keys: readonly string[],
  hashes: readonly string[],
  spec: SplitSpec,
): Uint8Array {
  const problem = splitSpecProblem(spec);
  if (problem) throw new RangeError(problem);
  const out = new Uint8Array(labels.length);
  const order = labels
    .map((_, i) => i)
    .sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : a - b));
  const byClass = new Map<number, Map<string, number[]>>();
  for (const i of order) {
    const units = byClass.get(labels[i]!) ?? new Map<string, number[]>();
    byClass.set(labels[i]!, units);
    const unit = units.get(hashes[i]!) ?? [];
    unit.push(i);
    units.set(hashes[i]!, unit);
  }
  const rng = createRng(spec.seed);
  for (const cls of [...byClass.keys()].sort((a, b) => a - b)) {
    const units = shuffleInPlace([...byClass.get(cls)!.values()], rng);
    const n = units.reduce((s, u) => s + u.length, 0);
    let nTest = Math.round(n * spec.test);
    let nVal = Math.round(n * spec.validation);
    // Keep at least one training image per class.
    while (nTest + nVal > n - 1 && nTest + nVal > 0) {
      if (nVal >= nTest && nVal > 0) nVal--;
      else nTest--;
    }
    let filled = 0;
    for (const unit of units) {
      const split = filled < nTest ? TEST : filled < nTest + nVal ? VALIDATION : TRAIN;
      for (const i of unit) out[i] = split;
      filled += unit.length;
    }
  }
  return out;
}

export function splitSizes(split: ArrayLike<number>): [number, number, number] {
  const sizes: [number, number, number] = [0, 0, 0];
  for (let i = 0; i < split.length; i++) sizes[split[i] as SplitIndex]++;
  return sizes;
}
