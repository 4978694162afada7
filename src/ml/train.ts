/**
 * The training loop: seeded shuffles, batches from a feeder (uint8 to float on the GPU where it can), Adam on
 * softmax cross-entropy from logits, early stopping on validation loss with the best weights restored (tfjs
 * 4.22's earlyStopping cannot). On a GPU the loop never waits for the device per batch: losses and hits are summed
 * on the device and read once per epoch, and the live curve gets every k-th batch's values from reads that run
 * while later batches are already queued (at most a few in flight).
 */
import * as tf from '@tensorflow/tfjs';
import { accuracyOf, confusionMatrix } from '../core/metrics';
import type { SavedTensor, TrainCheckpoint } from '../core/checkpoint';
import type { TrainSettings } from '../core/models';
import { createRng, shuffleInPlace } from '../core/rng';
import type { EpochResult } from '../core/runs';
import type { ImageSource } from './batches';
import { EpochSums, SampleReads } from './deviceReads';
import { createFeeder, type BatchFeeder, type InputInfo } from './feed';
import { createAdam } from './webgpu/adam';

/** A split of a task: dataset image indices and the task's label for each. */
export interface SplitData {
  items: Int32Array;
  labels: Int32Array;
  /** Items at or past this index are mirrored copies of item − flipFrom (flip augmentation). */
  flipFrom?: number;
}

export type { EpochResult };

/** One batch's loss and accuracy, as read back from the device (on a GPU, some batches after it was queued). */
export interface BatchSample {
  batch: number;
  loss: number;
  accuracy: number;
}

export interface TrainCallbacks {
  /**
   * Awaited after each batch is queued: a worker yields here so that messages (Stop) get through. `sample` is the
   * newest batch whose values came back since the last call, or null.
   */
  onBatch?: (batch: number, batches: number, sample: BatchSample | null) => void | Promise<void>;
  /** How the images reach the backend, once the run's feeder exists (before the first batch). */
  onInput?: (info: InputInfo) => void;
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

export interface TrainOptions {
  /** Where batches come from; by default one made for the train and validation splits (and disposed after). */
  feeder?: BatchFeeder;
  /**
   * Read every k-th batch's loss for the live curve (the last batch is always read). Default: 8 on a GPU, where a
   * read drains the queue, and 1 elsewhere, where reading costs nothing.
   */
  readEvery?: number;
  /** Reads in flight before the loop waits for the oldest (a GPU can run this many reads' worth of batches ahead). */
  maxReadsInFlight?: number;
  /** Wait for each sampled read before the next batch. Default: off on a GPU, on elsewhere (the curve is current). */
  waitForReads?: boolean;
  /** The optimizer for this run (default: Adam at the settings' rate, fused on WebGPU); trainModel disposes it. */
  optimizer?: tf.Optimizer;
  /** After each epoch's training batches and their sums are read, before validation (benchmarks count here). */
  onEpochTrained?: () => void;
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

const onGpu = () => tf.getBackend() === 'webgpu' || tf.getBackend() === 'webgl';

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
  options: TrainOptions = {},
): Promise<TrainResult> {
  const { batchSize, epochs, patience, seed } = settings;
  const read = raceWith(callbacks.abandon);
  // tfjs' Adam, with each variable's update fused into one dispatch on WebGPU.
  const optimizer = options.optimizer ?? createAdam(settings.learningRate);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const feeder = options.feeder ?? createFeeder(source, [train, validation]);
  callbacks.onInput?.(feeder.info);
  const readEvery = Math.max(1, options.readEvery ?? (onGpu() ? 8 : 1));
  const maxInFlight = Math.max(1, options.maxReadsInFlight ?? 3);
  const waitForReads = options.waitForReads ?? !onGpu();
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
      let lossSum = 0;
      let correct = 0;
      const order = epochOrder(n, seed, epoch);
      const sums = new EpochSums();
      const samples = new SampleReads(read, maxInFlight);
      try {
        for (let b = 0; b < batches; b++) {
          if (callbacks.shouldStop?.()) {
            cancelled = true;
            break;
          }
          const pick = order.slice(b * batchSize, (b + 1) * batchSize);
          const items = pick.map((k) => train.items[k]!);
          const labels = pick.map((k) => train.labels[k]!);
          const { x, y } = feeder.batch(items, labels, train.flipFrom ?? NO_FLIPS);
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
          tf.dispose([x, y]);
          sums.add(loss, hits!, items.length);
          if ((b + 1) % readEvery === 0 || b === batches - 1) {
            await samples.start(b, loss, hits!, items.length);
            if (waitForReads) await samples.drain();
          }
          await callbacks.onBatch?.(b, batches, samples.newest());
        }
        await samples.drain();
        const last = samples.newest();
        if (last && !cancelled) await callbacks.onBatch?.(batches - 1, batches, last);
        if (!cancelled && !callbacks.shouldStop?.()) {
          const [sumLoss, sumHits] = await sums.read(read);
          lossSum = sumLoss;
          correct = sumHits;
          options.onEpochTrained?.();
        }
      } finally {
        sums.dispose();
        samples.dispose();
      }
      if (cancelled || callbacks.shouldStop?.()) {
        cancelled = true;
        break;
      }
      const val = await evaluate(model, feeder, validation, classes, batchSize, callbacks.abandon);
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
    if (!options.feeder) feeder.dispose();
  }
  return {
    epochs: results,
    bestEpoch,
    stoppedEarly: !cancelled && results.length < epochs,
    cancelled,
  };
}
