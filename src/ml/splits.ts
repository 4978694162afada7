/** A task's splits as the training loop sees them: image indices, labels, mirrored copies, the epoch's order. */
import { createRng, shuffleInPlace } from '../core/rng';

/** A split of a task: dataset image indices and the task's label for each. */
export interface SplitData {
  items: Int32Array;
  labels: Int32Array;
  /** Items at or past this index are mirrored copies of item − flipFrom (flip augmentation). */
  flipFrom?: number;
}

/** `flipFrom` of a split without mirrored copies. */
export const NO_FLIPS = Number.MAX_SAFE_INTEGER;

/** Items with their flipped copies appended, when flip augmentation is on (as the study did, for every split). */
export function withFlips(split: SplitData, flip: boolean, flipFrom: number): SplitData {
  if (!flip) return split;
  const n = split.items.length;
  const items = new Int32Array(2 * n);
  const labels = new Int32Array(2 * n);
  items.set(split.items);
  labels.set(split.labels);
  for (let i = 0; i < n; i++) {
    items[n + i] = split.items[i]! + flipFrom;
    labels[n + i] = split.labels[i]!;
  }
  return { items, labels, flipFrom };
}

/** The order of an epoch's batches: from the seed and the epoch alone, so a resumed run sees the same batches. */
export function epochOrder(n: number, seed: number, epoch: number): number[] {
  return shuffleInPlace(
    Array.from({ length: n }, (_, i) => i),
    createRng(Math.imul(seed, 1_000_003) + epoch),
  );
}
