// The training loop on WebGPU in Node (Dawn; SwiftShader where there is no GPU): batches decoded on the device
// match the CPU's, losses match the CPU backend's, and an epoch reads from the device only every eighth batch.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { IMAGE_BYTES } from '../core/image';
import { layersOf, type ModelSpec, type TrainSettings } from '../core/models';
import { fillBatch } from './batches';
import { countDevice } from './deviceCounters';
import { createFeeder } from './feed';
import { buildModel } from './model';
import { evaluate, trainModel, withFlips, type BatchSample } from './train';
import { startDawnWebGpu } from './webgpu/node/dawn';
import { registerWebGpuTrainingKernels } from './webgpu/register';
import { images, split, trainingLosses } from './webgpu/selfCheck';

beforeAll(async () => {
  await startDawnWebGpu({ preferSoftware: true });
  registerWebGpuTrainingKernels();
}, 120_000);

const source = images(40, 11);

describe('batches on the device', () => {
  const flipped = withFlips(split(0, 6), true, 40); // items 40..45 mirror 0..5
  const items = [3, 44, 0, 41, 5];
  const labels = items.map((i) => (i % 40) % 2);
  const expected = fillBatch(source, items, 40, new Float32Array(items.length * IMAGE_BYTES));

  for (const path of ['resident', 'uint8'] as const) {
    it(`${path}: the GPU's conversion and mirroring give the CPU's float batch, and the labels`, async () => {
      const feeder = createFeeder(source, [flipped], { path });
      expect(feeder.info.path).toBe(path);
      const counter = countDevice();
      const { x, y } = feeder.batch(items, labels, 40);
      const uploaded = counter.stop().uploadBytes;
      const got = await x.data();
      expect(got.length).toBe(expected.length);
      // WGSL's division is within 2.5 ULP, not exact: the same bytes, so within float32 rounding.
      let worst = 0;
      for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - expected[i]!));
      expect(worst).toBeLessThan(1e-6);
      expect(Array.from(await y.data())).toEqual(labels);
      // Resident: only the slots go up; per batch: the uint8 images and their labels.
      expect(uploaded).toBe(path === 'resident' ? 4 * items.length : (IMAGE_BYTES + 4) * items.length);
      if (path === 'resident') expect(feeder.info.residentBytes).toBe(6 * (IMAGE_BYTES + 8));
      tf.dispose([x, y]);
      feeder.dispose();
    });
  }

  it('falls back to uint8 batches when the images exceed the buffer limit, and says why', () => {
    const device = (tf.backend() as unknown as { device: { limits: object } }).device;
    const limits = device.limits;
    Object.defineProperty(device, 'limits', {
      value: { maxStorageBufferBindingSize: 2 * IMAGE_BYTES, maxBufferSize: 2 * IMAGE_BYTES },
      configurable: true,
    });
    try {
      const feeder = createFeeder(source, [split(0, 3)]);
      expect(feeder.info.path).toBe('uint8');
      expect(feeder.info.summary).toMatch(/exceed this GPU's/);
    } finally {
      Object.defineProperty(device, 'limits', { value: limits, configurable: true });
    }
  });
});

const tiny: ModelSpec = { family: 'model2', filters: 4, kernel1: 3, kernel2: 3, dense: 0, dropout: 0 };
// Batches of 2: the read schedule does not depend on the batch size, and SwiftShader's time does.
const settings: TrainSettings = {
  epochs: 1,
  batchSize: 2,
  learningRate: 0.001,
  patience: 2,
  flip: false,
  seed: 3,
};

describe('trainModel on WebGPU', () => {
  it('gives the CPU backend losses for a few steps from the same seed', async () => {
    const cpu = await trainingLosses('cpu', source, 3);
    const gpu = await trainingLosses('webgpu', source, 3);
    expect(cpu.losses[2]).not.toBeCloseTo(cpu.losses[0]!, 2); // trained, not stuck at ln 2
    expect(gpu.losses).toHaveLength(3);
    gpu.losses.forEach((l, i) => expect(Math.abs(l - cpu.losses[i]!) / cpu.losses[i]!).toBeLessThan(1e-3));
    expect(Math.abs(gpu.valLoss - cpu.valLoss) / cpu.valLoss).toBeLessThan(1e-3);
  }, 240_000);

  it('reads from the device once per 8 batches and once for the epoch, and never waits per batch', async () => {
    await tf.setBackend('webgpu');
    const batches = 9;
    const model = buildModel(layersOf(tiny, 2), 5);
    const validation = split(36, 38);
    const counter = countDevice();
    const samples: (BatchSample | null)[] = [];
    const before = tf.memory().numTensors;
    await trainModel(model, source, split(0, 2 * batches), validation, 2, settings, {
      onBatch: (_b, _n, s) => void samples.push(s),
    });
    const trained = counter.snapshot().reads;
    await evaluate(model, source, validation, 2, 2);
    const evalReads = counter.stop().reads - trained;
    expect(evalReads).toBe(1);
    // Batches 8 and 9 are sampled (every 8th, and the last), plus the epoch's sums: ceil(9 / 8) + 1.
    expect(trained - evalReads).toBe(Math.ceil(batches / 8) + 1);
    const sampled = samples.filter(Boolean).map((s) => s!.batch);
    expect(sampled.at(-1)).toBe(8); // the newest sample reaches the curve; an older one may be overtaken
    expect(sampled.every((b) => b === 7 || b === 8)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  }, 240_000);
});
