/**
 * The training loop: seeded shuffles, batches from a feeder (uint8 to float on the GPU where it can), Adam on
 * softmax cross-entropy from logits, early stopping on validation loss with the best weights restored (tfjs
 * 4.22's earlyStopping cannot). On a GPU the loop never waits for the device per batch: losses and hits are summed
 * on the device and read once per epoch, and the live curve gets every k-th batch's values from reads that run
 * while later batches are already queued (at most a few in flight).
 */
import * as tf from '@tensorflow/tfjs';
import { applyForTraining } from './trainingForward';
import type { TrainCheckpoint } from '../core/checkpoint';
import type { TrainSettings } from '../core/models';
import type { EpochResult } from '../core/runs';
import type { ImageSource } from './batches';
import { restoreCheckpoint, takeCheckpoint } from './checkpointTensors';
import { EpochSums, SampleReads } from './deviceReads';
import { evaluate, raceWith } from './evaluate';
import { createFeeder, type BatchFeeder, type InputInfo } from './feed';
import { epochOrder, NO_FLIPS, type SplitData } from './splits';
import { createTrainingAdam } from './wasm/adam';

export { evaluate, type Evaluation } from './evaluate';
export { epochOrder, withFlips, type SplitData } from './splits';

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
  /** The optimizer for this run (default: Adam at the settings' rate, fused on WASM and WebGPU); trainModel disposes it. */
  optimizer?: tf.Optimizer;
  /** After each epoch's training batches and their sums are read, before validation (benchmarks count here). */
  onEpochTrained?: () => void;
  /** Conv layers as one FusedConv2D each (trainingForward.ts; default); false: tfjs' layers as they are. */
  fusedConv?: boolean;
}

export interface TrainResult {
  epochs: EpochResult[];
  bestEpoch: number;
  stoppedEarly: boolean;
  cancelled: boolean;
}

const onGpu = () => tf.getBackend() === 'webgpu' || tf.getBackend() === 'webgl';

interface EpochRun {
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
  vars: tf.Variable[];
  feeder: BatchFeeder;
  train: SplitData;
  classes: number;
  batchSize: number;
  order: number[];
  readEvery: number;
  maxInFlight: number;
  waitForReads: boolean;
  fusedConv: boolean;
  read: <T>(p: Promise<T>) => Promise<T>;
  callbacks: TrainCallbacks;
}

/** One epoch's training batches, queued without waiting on the device; the sums of loss and hits, or null if stopped. */
async function trainEpoch(run: EpochRun): Promise<{ lossSum: number; correct: number } | null> {
  const { model, optimizer, vars, feeder, train, classes, batchSize, order, readEvery, callbacks } = run;
  const batches = Math.ceil(train.items.length / batchSize);
  const sums = new EpochSums();
  const samples = new SampleReads(run.read, run.maxInFlight);
  try {
    let stopped = false;
    for (let b = 0; b < batches; b++) {
      if (callbacks.shouldStop?.()) {
        stopped = true;
        break;
      }
      const pick = order.slice(b * batchSize, (b + 1) * batchSize);
      const items = pick.map((k) => train.items[k]!);
      const labels = pick.map((k) => train.labels[k]!);
      const { x, y } = feeder.batch(items, labels, train.flipFrom ?? NO_FLIPS);
      let hits: tf.Tensor | null = null;
      const loss = optimizer.minimize(
        () => {
          const logits = (
            run.fusedConv ? applyForTraining(model, x) : model.apply(x, { training: true })
          ) as tf.Tensor2D;
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
        if (run.waitForReads) await samples.drain();
      }
      await callbacks.onBatch?.(b, batches, samples.newest());
    }
    await samples.drain(); // reads in flight finish before their tensors go
    if (stopped) return null;
    const last = samples.newest();
    if (last) await callbacks.onBatch?.(batches - 1, batches, last);
    if (callbacks.shouldStop?.()) return null;
    const [lossSum, correct] = await sums.read(run.read);
    return { lossSum, correct };
  } finally {
    sums.dispose();
    samples.dispose();
  }
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
  const optimizer = options.optimizer ?? createTrainingAdam(settings.learningRate);
  const feeder = options.feeder ?? createFeeder(source, [train, validation]);
  callbacks.onInput?.(feeder.info);
  const run: Omit<EpochRun, 'order'> = {
    model,
    optimizer,
    vars: model.trainableWeights.map((w) => w.read() as tf.Variable),
    feeder,
    train,
    classes,
    batchSize,
    readEvery: Math.max(1, options.readEvery ?? (onGpu() ? 8 : 1)),
    maxInFlight: Math.max(1, options.maxReadsInFlight ?? 3),
    waitForReads: options.waitForReads ?? !onGpu(),
    fusedConv: options.fusedConv ?? true,
    read,
    callbacks,
  };
  const results: EpochResult[] = resume ? [...resume.epochs] : [];
  let best = resume?.bestLoss ?? Infinity;
  let bestEpoch = resume?.bestEpoch ?? -1;
  let bestWeights: tf.Tensor[] | null = null;
  let wait = resume?.wait ?? 0;
  let cancelled = false;
  let stop = !!resume && resume.wait >= patience;
  const n = train.items.length;
  try {
    if (resume) bestWeights = await restoreCheckpoint(model, optimizer, resume);
    for (let epoch = resume?.epochsDone ?? 0; epoch < epochs && !stop; epoch++) {
      const t0 = performance.now();
      const trained = await trainEpoch({ ...run, order: epochOrder(n, seed, epoch) });
      if (!trained || callbacks.shouldStop?.()) {
        cancelled = true;
        break;
      }
      options.onEpochTrained?.();
      const val = await evaluate(model, feeder, validation, classes, batchSize, callbacks.abandon);
      const seconds = (performance.now() - t0) / 1000;
      const result: EpochResult = {
        epoch,
        loss: trained.lossSum / n,
        accuracy: trained.correct / n,
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
        const progress = { epochsDone: epoch + 1, epochs: [...results], bestLoss: best, bestEpoch, wait };
        await callbacks.onCheckpoint(await takeCheckpoint(model, optimizer, progress, bestWeights));
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
