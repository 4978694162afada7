/** A task's view of a dataset: per split, the images that belong to the task and their output index. */
import { TEST, TRAIN, VALIDATION } from './split';

export interface TaskSplit {
  /** Dataset image indices. */
  items: Int32Array;
  /** The task's output index for each item. */
  labels: Int32Array;
}

export interface TaskSplits {
  train: TaskSplit;
  validation: TaskSplit;
  test: TaskSplit;
}

export function taskSplits(
  labels: readonly number[],
  split: readonly number[],
  targetOf: readonly number[],
): TaskSplits {
  const pick = (which: number): TaskSplit => {
    const items: number[] = [];
    const out: number[] = [];
    labels.forEach((label, i) => {
      const target = targetOf[label] ?? -1;
      if (split[i] !== which || target < 0) return;
      items.push(i);
      out.push(target);
    });
    return { items: Int32Array.from(items), labels: Int32Array.from(out) };
  };
  return { train: pick(TRAIN), validation: pick(VALIDATION), test: pick(TEST) };
}

/** Why a task cannot be trained on these splits, in words, or null. */
export function taskSplitProblem(s: TaskSplits, outputs: number): string | null {
  if (s.train.items.length === 0) return 'no training images for this task';
  if (s.validation.items.length === 0)
    return 'no validation images for this task: give the validation split a larger share';
  const seen = new Set(s.train.labels);
  if (seen.size < outputs) return `only ${seen.size} of ${outputs} classes have training images`;
  return null;
}
