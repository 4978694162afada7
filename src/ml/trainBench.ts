/**
 * Training speed on the current backend: the lab's own loop (`trainModel`) on synthetic uint8 images, timed from
 * the end of the first batch (which pays for start-up: shader compilation, allocation). The training worker's
 * benchmark (bench:train, the timed backend choice) and bench:gpu (Node, Dawn) both run this.
 */
import { IMAGE_BYTES } from '../core/image';
import { layersOf, type ModelSpec } from '../core/models';
import { buildModel } from './model';
import { trainModel } from './train';

export interface TrainBenchOptions {
  spec: ModelSpec;
  classes: number;
  batchSize: number;
  /** Batches timed after the first one. */
  batches: number;
  /** Awaited after every batch (a worker yields to its event loop here, as the lab's jobs do). */
  afterBatch?: () => Promise<void>;
  /** performance.now() when the caller started (before the backend did): warm-up is counted from here. */
  startedAt?: number;
}

export interface TrainBenchTiming {
  samplesPerSecond: number;
  /** From `startedAt` (or the call) to the end of the first batch. */
  warmUpSeconds: number;
}

/** Synthetic images, the same on every backend (a pattern, so no two images are alike). */
export function syntheticImages(n: number): Uint8Array[] {
  return Array.from({ length: n }, (_, i) =>
    Uint8Array.from({ length: IMAGE_BYTES }, (_, p) => (p * 31 + i * 17) % 256),
  );
}

export async function timeTraining(o: TrainBenchOptions): Promise<TrainBenchTiming> {
  const started = o.startedAt ?? performance.now();
  const n = o.batchSize * (o.batches + 1);
  const images = syntheticImages(n);
  const source = { image: (i: number) => images[i]! };
  const split = {
    items: Int32Array.from({ length: n }, (_, k) => k),
    labels: Int32Array.from({ length: n }, (_, k) => k % o.classes),
  };
  const model = buildModel(layersOf(o.spec, o.classes), 1);
  const stamps: number[] = [];
  try {
    await trainModel(
      model,
      source,
      split,
      { items: Int32Array.of(0), labels: Int32Array.of(0) },
      o.classes,
      { epochs: 1, batchSize: o.batchSize, learningRate: 0.001, patience: 9, flip: false, seed: 1 },
      {
        onBatch: async () => {
          stamps.push(performance.now());
          await o.afterBatch?.();
        },
      },
    );
  } finally {
    model.dispose();
  }
  const timed = (stamps.at(-1)! - stamps[0]!) / 1000;
  return {
    samplesPerSecond: (o.batches * o.batchSize) / timed,
    warmUpSeconds: (stamps[0]! - started) / 1000,
  };
}
