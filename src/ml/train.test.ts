import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { IMAGE_BYTES } from '../core/image';
import type { TrainCheckpoint } from '../core/checkpoint';
import { layersOf, type ModelSpec, type TrainSettings } from '../core/models';
import { createRng } from '../core/rng';
import { fillBatch } from './batches';
import { buildModel } from './model';
import { evaluate, trainModel, withFlips, type SplitData } from './train';
import { registerWasmTrainingKernels } from './wasm/register';

beforeAll(async () => {
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
});

/** Two classes told apart by colour (reddish vs bluish), with noise, like the easiest study task. */
function colourImages(n: number, seed: number) {
  const rng = createRng(seed);
  const images: Uint8Array[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const cls = i % 2;
    const px = new Uint8Array(IMAGE_BYTES);
    for (let p = 0; p < IMAGE_BYTES; p += 3) {
      const noise = (rng() - 0.5) * 96;
      px[p] = (cls ? 100 : 170) + noise;
      px[p + 1] = 128 + noise;
      px[p + 2] = (cls ? 170 : 100) + noise;
    }
    images.push(px);
    labels.push(cls);
  }
  return { source: { image: (i: number) => images[i]! }, labels };
}

const split = (from: number, to: number, labels: number[], flipLabels = false): SplitData => ({
  items: Int32Array.from({ length: to - from }, (_, k) => from + k),
  labels: Int32Array.from(labels.slice(from, to), (l) => (flipLabels ? 1 - l : l)),
});

const tiny: ModelSpec = { family: 'model2', filters: 4, kernel1: 3, kernel2: 3, dense: 0, dropout: 0 };
const settings: TrainSettings = {
  epochs: 3,
  batchSize: 16,
  learningRate: 0.01,
  patience: 2,
  flip: false,
  seed: 7,
};
const data = colourImages(96, 3);

describe('trainModel (WASM backend)', () => {
  it('learns an easy task, and keeps the tensor count flat from epoch to epoch', async () => {
    // 16 filters: with 4, a net on all-positive pixels can lose every ReLU at the first step.
    const model = buildModel(layersOf({ ...tiny, filters: 16 }, 2), 1);
    const counts: number[] = [];
    const result = await trainModel(
      model,
      data.source,
      split(0, 64, data.labels),
      split(64, 96, data.labels),
      2,
      { ...settings, learningRate: 0.001 }, // the study's rate; 0.01 can kill every ReLU on some seeds
      {
        onEpoch: () => counts.push(tf.memory().numTensors),
      },
    );
    expect(result.epochs.at(-1)!.valAccuracy).toBeGreaterThan(0.9);
    expect(new Set(counts).size).toBe(1);
    model.dispose();
  }, 60_000);

  it('gives the same losses for the same seed', async () => {
    const run = async () => {
      const model = buildModel(layersOf(tiny, 2), 5);
      const r = await trainModel(
        model,
        data.source,
        split(0, 64, data.labels),
        split(64, 96, data.labels),
        2,
        { ...settings, epochs: 2 },
      );
      model.dispose();
      return r.epochs.map((e) => e.loss);
    };
    expect(await run()).toEqual(await run());
  }, 60_000);

  it('stops early on a rising validation loss and restores the best weights', async () => {
    // Validation labels are the opposite of training labels: the better it fits, the worse validation gets.
    const model = buildModel(layersOf(tiny, 2), 2);
    const val = split(64, 96, data.labels, true);
    const r = await trainModel(model, data.source, split(0, 64, data.labels), val, 2, {
      ...settings,
      epochs: 10,
      patience: 2,
    });
    expect(r.stoppedEarly).toBe(true);
    expect(r.epochs.length).toBeLessThan(10);
    const best = r.epochs[r.bestEpoch]!;
    expect(best.valLoss).toBe(Math.min(...r.epochs.map((e) => e.valLoss)));
    const after = await evaluate(model, data.source, val, 2, 16);
    expect(after.loss).toBeCloseTo(best.valLoss, 4);
    model.dispose();
  }, 60_000);
});

describe('resuming from a checkpoint', () => {
  it('continues exactly where the interrupted run was, weights, optimizer and early-stopping state', async () => {
    const train = split(0, 64, data.labels);
    const val = split(64, 96, data.labels);
    const s = { ...settings, epochs: 4, patience: 9 };
    const whole = buildModel(layersOf(tiny, 2), 4);
    const checkpoints: TrainCheckpoint[] = [];
    const counts: number[] = [];
    const full = await trainModel(whole, data.source, train, val, 2, s, {
      onCheckpoint: async (c) => {
        checkpoints.push(c);
        counts.push(tf.memory().numTensors);
      },
    });
    whole.dispose();
    expect(new Set(counts).size).toBe(1);
    expect(checkpoints.map((c) => c.epochsDone)).toEqual([1, 2, 3, 4]);

    // A reload after epoch 2: a new model (different initial weights even) resumes from the stored checkpoint.
    const fresh = buildModel(layersOf(tiny, 2), 99);
    const resumed = await trainModel(fresh, data.source, train, val, 2, s, {}, checkpoints[1]);
    fresh.dispose();
    expect(resumed.epochs.map((e) => e.epoch)).toEqual([0, 1, 2, 3]);
    const losses = (r: typeof full) => r.epochs.map((e) => [e.loss, e.valLoss]);
    losses(resumed).forEach(([l, v], i) => {
      expect(l).toBeCloseTo(losses(full)[i]![0]!, 5);
      expect(v).toBeCloseTo(losses(full)[i]![1]!, 5);
    });
    expect(resumed.bestEpoch).toBe(full.bestEpoch);
  }, 60_000);

  it('stops when asked, between batches, keeping the best weights so far', async () => {
    const model = buildModel(layersOf(tiny, 2), 4);
    let batches = 0;
    const r = await trainModel(
      model,
      data.source,
      split(0, 64, data.labels),
      split(64, 96, data.labels),
      2,
      { ...settings, epochs: 5 },
      { onBatch: () => void batches++, shouldStop: () => batches >= 6 },
    );
    model.dispose();
    expect(r.cancelled).toBe(true);
    expect(r.epochs).toHaveLength(1); // 4 batches per epoch: stopped in the second
    expect(batches).toBe(6);
  }, 60_000);
});

describe('the same numbers on every backend', () => {
  // 8 filters take the lab's SIMD kernels on WASM (filter gradient, pooling gradient, bias sums), 2 the others.
  // The pure-JS CPU backend is slow at 8: one epoch (two steps, then the validation loss) there.
  it.each([2, 8])(
    'CPU and WASM give the same losses for a few steps from the same seed (%i filters)',
    async (filters) => {
      const run = async (backend: string) => {
        await tf.setBackend(backend);
        const model = buildModel(layersOf({ ...tiny, filters }, 2), 9);
        const r = await trainModel(
          model,
          data.source,
          split(0, 32, data.labels),
          split(32, 48, data.labels),
          2,
          {
            ...settings,
            epochs: filters > 2 ? 1 : 2,
          },
        );
        model.dispose();
        return r.epochs.flatMap((e) => [e.loss, e.valLoss]);
      };
      const cpu = await run('cpu');
      const wasm = await run('wasm');
      cpu.forEach((v, i) => expect(Math.abs(v - wasm[i]!) / Math.abs(v)).toBeLessThan(1e-3));
    },
    120_000,
  );
});

describe('batches', () => {
  it('scales to [0, 1] and mirrors flipped copies', () => {
    const px = new Uint8Array(IMAGE_BYTES);
    px[0] = 255; // top-left pixel, red
    const out = fillBatch({ image: () => px }, [0, 1], 1, new Float32Array(2 * IMAGE_BYTES));
    expect(out[0]).toBe(1);
    expect(out[IMAGE_BYTES]).toBe(0);
    expect(out[IMAGE_BYTES + 89 * 3]).toBe(1); // top-right after the flip
    const flipped = withFlips({ items: Int32Array.of(3, 4), labels: Int32Array.of(0, 1) }, true, 100);
    expect([...flipped.items]).toEqual([3, 4, 103, 104]);
    expect([...flipped.labels]).toEqual([0, 1, 0, 1]);
  });
});
