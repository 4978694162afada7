/** A model on a split: loss, accuracy, confusion and per-item predictions, all read from the device at once. */
import * as tf from '@tensorflow/tfjs';
import { accuracyOf, confusionMatrix } from '../core/metrics';
import type { ImageSource } from './batches';
import { createFeeder, type BatchFeeder } from './feed';
import { NO_FLIPS, type SplitData } from './splits';

export interface Evaluation {
  loss: number;
  accuracy: number;
  confusion: number[][];
  predictions: Int32Array;
  /** Softmax probability of the predicted class, per item. */
  confidence: Float32Array;
}

/** A read that rejects when the backend is abandoned (a lost GPU): a read from a lost WebGL context may never settle. */
export const raceWith =
  (abandon?: Promise<never>) =>
  <T>(p: Promise<T>): Promise<T> =>
    abandon ? Promise.race([p, abandon]) : p;

/**
 * Loss, accuracy, confusion and per-item predictions of `model` on a split: everything stays on the device until
 * one read at the end.
 */
export async function evaluate(
  model: tf.LayersModel,
  source: ImageSource | BatchFeeder,
  split: SplitData,
  classes: number,
  batchSize: number,
  abandon?: Promise<never>,
): Promise<Evaluation> {
  const read = raceWith(abandon);
  const feeder = 'batch' in source ? source : createFeeder(source, [split]);
  const n = split.items.length;
  const parts: tf.Tensor[] = [];
  let lossSum: tf.Tensor = tf.scalar(0);
  try {
    for (let start = 0; start < n; start += batchSize) {
      const items = split.items.subarray(start, start + batchSize);
      const labels = split.labels.subarray(start, start + batchSize);
      const { x, y } = feeder.batch(items, labels, split.flipFrom ?? NO_FLIPS);
      const [part, sum] = tf.tidy(() => {
        const logits = model.predict(x) as tf.Tensor2D;
        const loss = tf.losses.softmaxCrossEntropy(
          tf.oneHot(y, classes),
          logits,
          undefined,
          undefined,
          tf.Reduction.SUM,
        );
        const probs = tf.softmax(logits);
        // Class indices are small integers: exact in float32, so one tensor carries predictions and confidences.
        return [tf.stack([probs.argMax(1).toFloat(), probs.max(1)], 1), lossSum.add(loss)];
      });
      tf.dispose([x, y, lossSum]);
      lossSum = sum;
      parts.push(part);
    }
    const all = tf.tidy(() => tf.concat([lossSum.reshape([1]), ...parts.map((p) => p.reshape([-1]))]));
    const values = (await read(all.data())) as Float32Array;
    all.dispose();
    const predictions = new Int32Array(n);
    const confidence = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      predictions[i] = values[1 + 2 * i]!;
      confidence[i] = values[2 + 2 * i]!;
    }
    const confusion = confusionMatrix(split.labels, predictions, classes);
    return {
      loss: values[0]! / Math.max(1, n),
      accuracy: accuracyOf(confusion),
      confusion,
      predictions,
      confidence,
    };
  } finally {
    tf.dispose([...parts, lossSum]);
    if (feeder !== source) feeder.dispose();
  }
}
