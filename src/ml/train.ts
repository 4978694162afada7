/**
 * The training loop: seeded shuffles, uint8 → float per batch, Adam on softmax cross-entropy from logits,
 * early stopping on validation loss with the best weights restored (tfjs 4.22's earlyStopping cannot).
 */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_CHANNELS, IMAGE_HEIGHT, IMAGE_WIDTH } from '../core/image';
import { accuracyOf, confusionMatrix } from '../core/metrics';
import type { SavedTensor, TrainCheckpoint } from '../core/checkpoint';
import type { TrainSettings } from '../core/models';
import { createRng, shuffleInPlace } from '../core/rng';
import type { EpochResult } from '../core/runs';
import { fillBatch, type ImageSource } from './batches';

/** A split of a task: dataset image indices and the task's label for each. */
export interface SplitData {
  items: Int32Array;
  labels: Int32Array;
  /** Items at or past this index are mirrored copies of item − flipFrom (flip augmentation). */
  flipFrom?: number;
}

export type { EpochResult };

export interface TrainCallbacks {
  /** Awaited: a worker yields here so that messages (Stop) get through between batches. */
  onBatch?: (batch: number, batches: number, loss: number, accuracy: number) => void | Promise<void>;
  onEpoch?: (result: EpochResult) => void;
  /** After each epoch, what is needed to resume from it (given only when asked for: it copies the weights). */
  onCheckpoint?: (checkpoint: TrainCheckpoint) => Promise<void>;
  /** Checked between batches: true stops training (the best weights so far are kept). */
  shouldStop?: () => boolean;
  /**
   * Rejects when the backend has gone (a lost GPU): every read from the device races it, since a read from a lost
   * WebGL context may never settle.
   */
  abandon?: Promise<never>;
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

const raceWith =
  (abandon?: Promise<never>) =>
  <T>(p: Promise<T>): Promise<T> =>
    abandon ? Promise.race([p, abandon]) : p;

export async function evaluate(
  model: tf.LayersModel,
  source: ImageSource,
  split: SplitData,
  classes: number,
  batchSize: number,
  abandon?: Promise<never>,
): Promise<Evaluation> {
  const read = raceWith(abandon);
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
    lossSum += (await read(lossT.data()))[0]!;
    predictions.set(await read(predT.data()), start);
    confidence.set(await read(confT.data()), start);
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

async function save(tensors: tf.Tensor[], names?: string[]): Promise<SavedTensor[]> {
  return Promise.all(
    tensors.map(async (t, i) => ({
      name: names?.[i] ?? String(i),
      shape: t.shape.slice(),
      dtype: t.dtype === 'int32' ? ('int32' as const) : ('float32' as const),
      data: (await t.data()) as Float32Array | Int32Array,
    })),
  );
}

const restore = (saved: SavedTensor[]) => saved.map((s) => tf.tensor(s.data, s.shape, s.dtype));

/** The order of an epoch's batches: from the seed and the epoch alone, so a resumed run sees the same batches. */
export function epochOrder(n: number, seed: number, epoch: number): number[] {
  return shuffleInPlace(
    Array.from({ length: n }, (_, i) => i),
    createRng(Math.imul(seed, 1_000_003) + epoch),
  );
}

export async function trainModel(
  model: tf.LayersModel,
  source: ImageSource,
  train: SplitData,
  validation: SplitData,
  classes: number,
  settings: TrainSettings,
  callbacks: TrainCallbacks = {},
  resume?: TrainCheckpoint,
): Promise<TrainResult> {
  const { batchSize, epochs, patience, seed } = settings;
  const read = raceWith(callbacks.abandon);
  const optimizer = tf.train.adam(settings.learningRate);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const buf = new Float32Array(batchSize * IMAGE_HEIGHT * IMAGE_WIDTH * IMAGE_CHANNELS);
  const results: EpochResult[] = resume ? [...resume.epochs] : [];
  let best = resume?.bestLoss ?? Infinity;
  let bestEpoch = resume?.bestEpoch ?? -1;
  let bestWeights: tf.Tensor[] | null = null;
  let wait = resume?.wait ?? 0;
  let cancelled = false;
  let stop = false;
  const n = train.items.length;
  const batches = Math.ceil(n / batchSize);
  try {
    if (resume) {
      const weights = restore(resume.weights);
      model.setWeights(weights);
      tf.dispose(weights);
      bestWeights = resume.bestWeights ? restore(resume.bestWeights) : null;
      if (!bestWeights && bestEpoch >= 0) bestWeights = model.getWeights().map((w) => w.clone());
      if (resume.optimizer.length) {
        // Adam copies these into variables of its own.
        const opt = restore(resume.optimizer);
        await optimizer.setWeights(opt.map((tensor, i) => ({ name: resume.optimizer[i]!.name, tensor })));
        tf.dispose(opt);
      }
      stop = resume.wait >= patience;
    }
    for (let epoch = resume?.epochsDone ?? 0; epoch < epochs && !cancelled && !stop; epoch++) {
      const t0 = performance.now();
      const order = epochOrder(n, seed, epoch);
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
        const value = (await read(loss.data()))[0]!;
        const hit = (await read(hits!.data()))[0]!;
        correct += hit;
        lossSum += value * items.length;
        tf.dispose([x, y, loss, hits!]);
        await callbacks.onBatch?.(b, batches, value, hit / items.length);
      }
      if (cancelled || callbacks.shouldStop?.()) {
        cancelled = true;
        break;
      }
      const val = await evaluate(model, source, validation, classes, batchSize, callbacks.abandon);
      const seconds = (performance.now() - t0) / 1000;
      const result: EpochResult = {
        epoch,
        loss: lossSum / n,
        accuracy: correct / n,
        valLoss: val.loss,
        valAccuracy: val.accuracy,
        confusion: val.confusion,
        seconds,
        samplesPerSecond: n / seconds,
      };
      results.push(result);
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
      if (callbacks.onCheckpoint) {
        const opt = await optimizer.getWeights();
        await callbacks.onCheckpoint({
          epochsDone: epoch + 1,
          epochs: [...results],
          bestLoss: best,
          bestEpoch,
          wait,
          weights: await save(model.getWeights()),
          optimizer: await save(
            opt.map((w) => w.tensor),
            opt.map((w) => w.name),
          ),
          bestWeights: bestEpoch === epoch || !bestWeights ? null : await save(bestWeights),
        });
        // getWeights hands out Adam's own variables for the moments, but a fresh tensor for the step count.
        tf.dispose(opt.filter((w) => w.name === 'iter').map((w) => w.tensor));
      }
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
