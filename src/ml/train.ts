/**
 * The training loop: seeded shuffles, uint8 → float per batch, Adam on softmax cross-entropy from logits,
 * early stopping on validation loss with the best weights restored (tfjs 4.22's earlyStopping cannot).
 */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_CHANNELS, IMAGE_HEIGHT, IMAGE_WIDTH } from '../core/image';
import { accuracyOf, confusionMatrix } from '../core/metrics';
import type { TrainSettings } from '../core/models';
import { createRng, shuffleInPlace } from '../core/rng';
import { fillBatch, type ImageSource } from './batches';

/** A split of a task: dataset image indices and the task's label for each. */
export interface SplitData {
  items: Int32Array;
  labels: Int32Array;
  /** Items at or past this index are mirrored copies of item − flipFrom (flip augmentation). */
  flipFrom?: number;
}

export interface EpochResult {
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss: number;
  valAccuracy: number;
  /** Validation confusion matrix, rows = true, columns = predicted (counts). */
  confusion: number[][];
  seconds: number;
  samplesPerSecond: number;
}

export interface TrainCallbacks {
  onBatch?: (batch: number, batches: number, loss: number) => void;
  onEpoch?: (result: EpochResult) => void;
  /** Checked between batches: true stops training (the best weights so far are kept). */
  shouldStop?: () => boolean;
}

export interface TrainResult {
  epochs: EpochResult[];
  bestEpoch: number;
  stoppedEarly: boolean;
  cancelled: boolean;
}

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

const NO_FLIPS = Number.MAX_SAFE_INTEGER;

function batchTensors(
  source: ImageSource,
  items: ArrayLike<number>,
  labels: ArrayLike<number>,
  flipFrom: number,
  buf: Float32Array,
) {
  const n = items.length;
  const x = tf.tensor4d(
    fillBatch(source, items, flipFrom, buf).subarray(0, n * IMAGE_HEIGHT * IMAGE_WIDTH * IMAGE_CHANNELS),
    [n, IMAGE_HEIGHT, IMAGE_WIDTH, IMAGE_CHANNELS],
  );
  const y = tf.tensor1d(Array.from(labels), 'int32');
  return { x, y };
}

export interface Evaluation {
  loss: number;
  accuracy: number;
  confusion: number[][];
  predictions: Int32Array;
  /** Softmax probability of the predicted class, per item. */
  confidence: Float32Array;
}

export async function evaluate(
  model: tf.LayersModel,
  source: ImageSource,
  split: SplitData,
  classes: number,
  batchSize: number,
): Promise<Evaluation> {
  const buf = new Float32Array(batchSize * IMAGE_HEIGHT * IMAGE_WIDTH * IMAGE_CHANNELS);
  const predictions = new Int32Array(split.items.length);
  const confidence = new Float32Array(split.items.length);
  let lossSum = 0;
  for (let start = 0; start < split.items.length; start += batchSize) {
    const items = split.items.subarray(start, start + batchSize);
    const labels = split.labels.subarray(start, start + batchSize);
    const { x, y } = batchTensors(source, items, labels, split.flipFrom ?? NO_FLIPS, buf);
    const [lossT, predT, confT] = tf.tidy(() => {
      const logits = model.predict(x) as tf.Tensor2D;
      const loss = tf.losses.softmaxCrossEntropy(
        tf.oneHot(y, classes),
        logits,
        undefined,
        undefined,
        tf.Reduction.SUM,
      );
      const probs = tf.softmax(logits);
      return [loss, probs.argMax(1), probs.max(1)];
    });
    lossSum += (await lossT.data())[0]!;
    predictions.set(await predT.data(), start);
    confidence.set(await confT.data(), start);
    tf.dispose([x, y, lossT, predT, confT]);
  }
  const confusion = confusionMatrix(split.labels, predictions, classes);
  return {
    loss: lossSum / Math.max(1, split.items.length),
    accuracy: accuracyOf(confusion),
    confusion,
    predictions,
    confidence,
  };
}

export async function trainModel(
  model: tf.LayersModel,
  source: ImageSource,
  train: SplitData,
  validation: SplitData,
  classes: number,
  settings: TrainSettings,
  callbacks: TrainCallbacks = {},
): Promise<TrainResult> {
  const { batchSize, epochs, patience, seed } = settings;
  const optimizer = tf.train.adam(settings.learningRate);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const buf = new Float32Array(batchSize * IMAGE_HEIGHT * IMAGE_WIDTH * IMAGE_CHANNELS);
  const rng = createRng(seed);
  const order = Array.from(train.items.keys());
  const results: EpochResult[] = [];
  let best = Infinity;
  let bestEpoch = -1;
  let bestWeights: tf.Tensor[] | null = null;
  let wait = 0;
  let cancelled = false;
  const batches = Math.ceil(order.length / batchSize);
  try {
    for (let epoch = 0; epoch < epochs && !cancelled; epoch++) {
      const t0 = performance.now();
      shuffleInPlace(order, rng);
      let lossSum = 0;
      let correct = 0;
      for (let b = 0; b < batches; b++) {
        if (callbacks.shouldStop?.()) {
          cancelled = true;
          break;
        }
        const pick = order.slice(b * batchSize, (b + 1) * batchSize);
        const items = pick.map((k) => train.items[k]!);
        const labels = pick.map((k) => train.labels[k]!);
        const { x, y } = batchTensors(source, items, labels, train.flipFrom ?? NO_FLIPS, buf);
        let hits: tf.Tensor | null = null;
        const loss = optimizer.minimize(
          () => {
            const logits = model.apply(x, { training: true }) as tf.Tensor2D;
            hits = tf.keep(logits.argMax(1).equal(y).sum());
            return tf.losses.softmaxCrossEntropy(tf.oneHot(y, classes), logits) as tf.Scalar;
          },
          true,
          vars,
        )!;
        const value = (await loss.data())[0]!;
        correct += (await hits!.data())[0]!;
        lossSum += value * items.length;
        tf.dispose([x, y, loss, hits!]);
        callbacks.onBatch?.(b, batches, value);
      }
      if (cancelled) break;
      const val = await evaluate(model, source, validation, classes, batchSize);
      const seconds = (performance.now() - t0) / 1000;
      const result: EpochResult = {
        epoch,
        loss: lossSum / order.length,
        accuracy: correct / order.length,
        valLoss: val.loss,
        valAccuracy: val.accuracy,
        confusion: val.confusion,
        seconds,
        samplesPerSecond: order.length / seconds,
      };
      results.push(result);
      let stop = false;
      if (val.loss < best) {
        best = val.loss;
        bestEpoch = epoch;
        tf.dispose(bestWeights ?? []);
        bestWeights = model.getWeights().map((w) => w.clone());
        wait = 0;
      } else {
        stop = ++wait >= patience;
      }
      callbacks.onEpoch?.(result);
      if (stop) break;
    }
    if (bestWeights) model.setWeights(bestWeights);
  } finally {
    tf.dispose(bestWeights ?? []);
    optimizer.dispose();
  }
  return {
    epochs: results,
    bestEpoch,
    stoppedEarly: !cancelled && results.length < epochs,
    cancelled,
  };
}
