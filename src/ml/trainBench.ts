/**
 * Training speed on the current backend: the lab's own loop (`trainModel`) on synthetic uint8 images, timed from
 * the end of the first batch (which pays for start-up: shader compilation, allocation). The training worker's
 * benchmark (bench:train, the timed backend choice) and bench:gpu (Node, Dawn) both run this. `countTraining`
 * counts what a step and an epoch ask of the device, the same on any hardware.
 */
import * as tf from '@tensorflow/tfjs';
import { applyForTraining } from './trainingForward';
import { IMAGE_BYTES, IMAGE_CHANNELS, IMAGE_HEIGHT, IMAGE_WIDTH } from '../core/image';
import { layersOf, type ModelSpec } from '../core/models';
import { countDevice, countsBetween, type DeviceCounts, type KernelLaunch } from './deviceCounters';
import { createFeeder, type BatchFeeder, type InputInfo } from './feed';
import { buildModel } from './model';
import { trainModel, type TrainOptions } from './train';
import { FUSED_ADAM, fusedAdamWork } from './webgpu/adam';
import { createTrainingAdam } from './wasm/adam';
import {
  registerWebGpuTrainingKernels,
  unregisterWebGpuTrainingKernels,
  webGpuTrainingKernelsRegistered,
} from './webgpu/register';

export interface TrainBenchOptions {
  spec: ModelSpec;
  classes: number;
  batchSize: number;
  /** Batches timed, after a warm-up run of one. */
  batches: number;
  /** Awaited after every batch (a worker yields to its event loop here, as the lab's jobs do). */
  afterBatch?: () => Promise<void>;
  /** performance.now() when the caller started (before the backend did): warm-up is counted from here. */
  startedAt?: number;
  /** tfjs' own path, as `CountOptions.stock`. */
  stock?: boolean;
  /** Override the loop's read schedule (WASM: compare reading every batch with reading every 8th). */
  readEvery?: number;
  waitForReads?: boolean;
  /** Conv layers unfused, as tfjs' layers run them (`TrainOptions.fusedConv`), to measure what fusing gives. */
  unfused?: boolean;
}

export interface TrainBenchTiming {
  samplesPerSecond: number;
  /** From `startedAt` (or the call) to the end of the warm-up run of one batch. */
  warmUpSeconds: number;
  /** Where a timed batch's wall time went, median milliseconds over the timed batches. */
  phases: BatchPhases;
}

/**
 * One batch of the loop, split: `feed` the batch's images to float32 tensors, `step` the optimizer's minimize
 * (forward, gradients, Adam), `rest` everything else between two batches (reads, the callback, the yield);
 * `setup` the timed run's one-time work before its first batch (model, feeder), in total.
 */
export interface BatchPhases {
  feedMs: number;
  stepMs: number;
  restMs: number;
  batchMs: number;
  setupMs: number;
  /** The first batch's minimize: Adam's moments created, every kernel's first call. */
  firstStepMs: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2 : 0;
};
const tenths = (ms: number) => Math.round(ms * 10) / 10;

/** Records the time spent in the feeder's batch() and the optimizer's minimize(), per batch. */
function timedParts(feeder: BatchFeeder, optimizer: tf.Optimizer) {
  const feed: number[] = [];
  const step: number[] = [];
  const timed =
    <A extends unknown[], R>(into: number[], f: (...a: A) => R) =>
    (...a: A): R => {
      const t = performance.now();
      try {
        return f(...a);
      } finally {
        into.push(performance.now() - t);
      }
    };
  const wrappedFeeder: BatchFeeder = {
    info: feeder.info,
    batch: timed(feed, feeder.batch.bind(feeder)),
    dispose: () => feeder.dispose(),
  };
  optimizer.minimize = timed(step, optimizer.minimize.bind(optimizer)) as typeof optimizer.minimize;
  return { feeder: wrappedFeeder, optimizer, feed, step };
}

/** Items 0..n−1 with labels cycling through the classes. */
const syntheticSplit = (n: number, classes: number) => ({
  items: Int32Array.from({ length: n }, (_, k) => k),
  labels: Int32Array.from({ length: n }, (_, k) => k % classes),
});

/** Synthetic images, the same on every backend (a pattern, so no two images are alike). */
export function syntheticImages(n: number): Uint8Array[] {
  return Array.from({ length: n }, (_, i) =>
    Uint8Array.from({ length: IMAGE_BYTES }, (_, p) => (p * 31 + i * 17) % 256),
  );
}

export async function timeTraining(o: TrainBenchOptions): Promise<TrainBenchTiming> {
  const started = o.startedAt ?? performance.now();
  const images = syntheticImages(o.batchSize * o.batches);
  const source = { image: (i: number) => images[i]! };
  const options: TrainOptions = o.stock ? stockTrainOptions() : {};
  if (o.readEvery) options.readEvery = o.readEvery;
  if (o.waitForReads !== undefined) options.waitForReads = o.waitForReads;
  if (o.unfused) options.fusedConv = false;
  // A run ends with a read, so the device has done all of it: warm up with a run of one batch (shaders compiled,
  // buffers allocated; the pipelines are cached for the backend, not the model), then time a whole run.
  let phases: BatchPhases = { feedMs: 0, stepMs: 0, restMs: 0, batchMs: 0, setupMs: 0, firstStepMs: 0 };
  const run = async (batches: number) => {
    const t0 = performance.now();
    const n = o.batchSize * batches;
    const model = buildModel(layersOf(o.spec, o.classes), 1);
    const train = syntheticSplit(n, o.classes);
    const validation = { items: new Int32Array(0), labels: new Int32Array(0) };
    const parts = timedParts(
      createFeeder(source, [train, validation]),
      o.stock ? tf.train.adam(0.001) : createTrainingAdam(0.001),
    );
    const ends: number[] = [];
    try {
      await trainModel(
        model,
        source,
        train,
        validation,
        o.classes,
        { epochs: 1, batchSize: o.batchSize, learningRate: 0.001, patience: 9, flip: false, seed: 1 },
        {
          onBatch: async (b) => {
            await o.afterBatch?.();
            if (ends.length === b) ends.push(performance.now());
          },
        },
        undefined,
        { ...options, feeder: parts.feeder, optimizer: parts.optimizer },
      );
    } finally {
      parts.feeder.dispose();
      model.dispose();
    }
    // Batch b runs from the end of batch b − 1 to its own end; the first from when the run started.
    const batchMs = ends.map((end, b) => end - (b ? ends[b - 1]! : t0));
    const feedMs = median(parts.feed.slice(1, ends.length));
    const stepMs = median(parts.step.slice(1, ends.length));
    const firstBatch = parts.feed[0]! + parts.step[0]!;
    phases = {
      feedMs: tenths(feedMs),
      stepMs: tenths(stepMs),
      restMs: tenths(median(batchMs.map((ms, b) => ms - parts.feed[b]! - parts.step[b]!).slice(1))),
      batchMs: tenths(median(batchMs.slice(1))),
      setupMs: tenths(batchMs[0]! - firstBatch),
      firstStepMs: tenths(parts.step[0]!),
    };
  };
  return withKernels(!!o.stock, async () => {
    await run(1);
    const warmUpSeconds = (performance.now() - started) / 1000;
    const t0 = performance.now();
    await run(o.batches);
    return {
      samplesPerSecond: (o.batches * o.batchSize) / ((performance.now() - t0) / 1000),
      warmUpSeconds,
      phases,
    };
  });
}

/** What one training step and one epoch ask of the device, counted (see deviceCounters.ts). */
export interface TrainCounts {
  /** Device-to-CPU reads in one training epoch, validation excluded. */
  readsPerEpoch: number;
  /** Bytes uploaded per training sample, averaged over that epoch (the one-time resident upload excluded). */
  uploadBytesPerSample: number;
  /** The run's one-time upload of resident images and labels (0 unless they are resident). */
  residentUploadBytes: number;
  /** Kernel dispatches in one training step, after the first (which also creates Adam's moments). */
  dispatchesPerStep: number;
  /** The epoch the reads and uploads were counted over. */
  epoch: { batchSize: number; batches: number };
  input: InputInfo | null;
  /**
   * Every program of one step at `kernelsBatchSize` (WebGPU): threads and the longest serial loop of each. Found
   * by running the step with tfjs' compile-only flag (pipelines built, nothing executed), so a software GPU can
   * report a batch-64 step it would take minutes to run; the lab's fused Adam, which no compile-only step reaches,
   * is listed from its own dispatch plan, one per variable.
   */
  kernels: KernelLaunch[];
  kernelsBatchSize: number;
}

export interface CountOptions {
  spec: ModelSpec;
  classes: number;
  /** tfjs' own path: its kernels, its Adam, float32 batches from the CPU and two reads per batch (the "before"). */
  stock?: boolean;
  /** The counted epoch: small batches by default (a software GPU is slow; the counts do not depend on it). */
  epochBatchSize?: number;
  epochBatches?: number;
  kernelsBatchSize?: number;
  afterBatch?: () => Promise<void>;
}

/** Before the lab's GPU work: a read of every batch's loss and hits, waited for (tfjs' Adam is passed per run). */
const stockTrainOptions = (): TrainOptions => ({ readEvery: 1, waitForReads: true, fusedConv: false });

/** The lab's kernels off (stock) or on, for the duration of `f`. */
async function withKernels<T>(stock: boolean, f: () => Promise<T>): Promise<T> {
  if (tf.getBackend() !== 'webgpu') return f();
  const had = webGpuTrainingKernelsRegistered();
  if (stock) unregisterWebGpuTrainingKernels();
  else registerWebGpuTrainingKernels();
  try {
    return await f();
  } finally {
    if (had) registerWebGpuTrainingKernels();
    else unregisterWebGpuTrainingKernels();
  }
}

/** One step's programs at `batchSize` (WebGPU), compiled but not run. */
async function compiledStepLaunches(o: CountOptions, batchSize: number): Promise<KernelLaunch[]> {
  const model = buildModel(layersOf(o.spec, o.classes), 1);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const x = tf.zeros([batchSize, IMAGE_HEIGHT, IMAGE_WIDTH, IMAGE_CHANNELS]);
  const y = tf.tidy(() => tf.oneHot(tf.zeros([batchSize], 'int32') as tf.Tensor1D, o.classes));
  const optimizer = tf.train.adam(0.001);
  const counter = countDevice();
  tf.env().set('WEBGPU_ENGINE_COMPILE_ONLY', true);
  try {
    tf.tidy(() => {
      const loss = () => tf.losses.softmaxCrossEntropy(y, applyForTraining(model, x)) as tf.Scalar;
      const { grads } = tf.variableGrads(loss, vars);
      // tfjs' Adam in full; the lab's fused update cannot run compile-only, and is listed from its plan below.
      if (o.stock)
        optimizer.applyGradients(grads as unknown as Parameters<tf.AdamOptimizer['applyGradients']>[0]);
    });
  } finally {
    tf.env().set('WEBGPU_ENGINE_COMPILE_ONLY', false);
    await (
      tf.backend() as unknown as { checkCompileCompletionAsync(): Promise<void> }
    ).checkCompileCompletionAsync();
    tf.dispose([x, y]);
    optimizer.dispose();
  }
  const launches = counter.stop().launches;
  const update = o.stock ? [] : vars.map((v) => ({ name: FUSED_ADAM, ...fusedAdamWork(v.size) }));
  model.dispose();
  return [...launches, ...update];
}

/** Counts one epoch's reads and uploads and one step's dispatches, and lists a step's kernels (WebGPU). */
export async function countTraining(o: CountOptions): Promise<TrainCounts> {
  const batchSize = o.epochBatchSize ?? 4;
  const batches = o.epochBatches ?? 17;
  const kernelsBatchSize = o.kernelsBatchSize ?? 64;
  return withKernels(!!o.stock, async () => {
    const kernels = tf.getBackend() === 'webgpu' ? await compiledStepLaunches(o, kernelsBatchSize) : [];
    const n = batchSize * batches;
    const images = syntheticImages(n + 1);
    const source = { image: (i: number) => images[i]! };
    const model = buildModel(layersOf(o.spec, o.classes), 1);
    const counter = countDevice();
    let input: InputInfo | null = null;
    let resident: DeviceCounts | null = null;
    const marks: DeviceCounts[] = [];
    let trained: DeviceCounts | null = null;
    try {
      await trainModel(
        model,
        source,
        syntheticSplit(n, o.classes),
        { items: Int32Array.of(n), labels: Int32Array.of(0) },
        o.classes,
        { epochs: 1, batchSize, learningRate: 0.001, patience: 9, flip: false, seed: 1 },
        {
          onInput: (info) => {
            input = info;
            resident = counter.snapshot();
          },
          onBatch: async (b) => {
            if (marks.length < b + 1) marks.push(counter.snapshot());
            await o.afterBatch?.();
          },
        },
        undefined,
        {
          ...(o.stock ? { ...stockTrainOptions(), optimizer: tf.train.adam(0.001) } : {}),
          onEpochTrained: () => (trained = counter.snapshot()),
        },
      );
    } finally {
      counter.stop();
      model.dispose();
    }
    if (!resident || !trained || marks.length < 3) throw new Error('the counted epoch did not run');
    const epoch = countsBetween(resident, trained);
    return {
      readsPerEpoch: epoch.reads,
      uploadBytesPerSample: epoch.uploadBytes / n,
      residentUploadBytes: (resident as DeviceCounts).uploadBytes,
      dispatchesPerStep: countsBetween(marks[1]!, marks[2]!).dispatches,
      epoch: { batchSize, batches },
      input,
      kernels,
      kernelsBatchSize,
    };
  });
}
