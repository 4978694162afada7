/**
 * The lab's WebGPU training work against tfjs' CPU backend where it really runs: in a browser's training worker,
 * on the browser's own WebGPU (SwiftShader in headless Chromium here). The Node unit tests check every shape on
 * Dawn; this is the same code through Chromium's implementation, on small shapes of the lab's layers.
 */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_BYTES } from '../../core/image';
import { layersOf, type ModelSpec, type TrainSettings } from '../../core/models';
import { createRng } from '../../core/rng';
import { fillBatch, type ImageSource } from '../batches';
import { createFeeder } from '../feed';
import { buildModel } from '../model';
import { trainModel, withFlips, type SplitData } from '../train';
import { gradOn, relError, seeded } from '../wasm/selfCheck';
import { createAdam } from './adam';
import { webGpuTrainingKernelsRegistered } from './register';

export interface WebGpuCheck {
  /** The adapter tfjs got (vendor / architecture, as the browser reports them). */
  adapter: string;
  /** The filter gradient per case (largest difference relative to the largest CPU value). */
  filterGrad: Record<string, number>;
  /** Images gathered, converted and mirrored on the GPU against the CPU's float batch (absolute). */
  decode: { resident: number; uint8: number };
  /** FusedAdam's variables after a few steps against tfjs' Adam on the CPU backend. */
  adam: number;
  /** Per-step losses of a few training steps, relative to the CPU backend's from the same seed. */
  losses: number[];
}

/** The lab's layer shapes, smaller: first and second layers of Model 2/3, 5×5 filters, stride 2 with padding. */
const FILTER_CASES: Record<
  string,
  { x: [number, number, number, number]; k: number; co: number; s: number; pad: 'valid' | 'same' }
> = {
  'first layer 3x3': { x: [4, 30, 24, 3], k: 3, co: 8, s: 1, pad: 'valid' },
  'second layer 3x3': { x: [4, 14, 11, 8], k: 3, co: 8, s: 1, pad: 'valid' },
  '5x5': { x: [2, 20, 16, 3], k: 5, co: 4, s: 1, pad: 'valid' },
  'stride 2 same': { x: [2, 15, 12, 4], k: 3, co: 4, s: 2, pad: 'same' },
};

/** Seeded random uint8 images. */
export function images(n: number, seed: number): ImageSource {
  const rng = createRng(seed);
  const all = Array.from({ length: n }, () => Uint8Array.from({ length: IMAGE_BYTES }, () => rng() * 256));
  return { image: (i: number) => all[i]! };
}

/** Items from..to−1, labelled alternately 0 and 1. */
export const split = (from: number, to: number): SplitData => ({
  items: Int32Array.from({ length: to - from }, (_, k) => from + k),
  labels: Int32Array.from({ length: to - from }, (_, k) => (from + k) % 2),
});

async function filterGrads(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [name, c] of Object.entries(FILTER_CASES)) {
    const x = seeded(
      c.x.reduce((a, b) => a * b),
      5,
    );
    const shape = [c.k, c.k, c.x[3], c.co];
    const w = seeded(
      shape.reduce((a, b) => a * b),
      7,
    );
    const conv = (wt: tf.Tensor) => tf.conv2d(tf.tensor4d(x, c.x), wt as tf.Tensor4D, c.s, c.pad);
    const cpu = await gradOn('cpu', conv, w, shape);
    out[name] = relError(cpu, await gradOn('webgpu', conv, w, shape));
  }
  return out;
}

async function decodeErrors(source: ImageSource): Promise<WebGpuCheck['decode']> {
  const flipped = withFlips(split(0, 6), true, 40); // items 40..45 mirror 0..5
  const items = [3, 44, 0, 41, 5];
  const labels = items.map((i) => (i % 40) % 2);
  const expected = fillBatch(source, items, 40, new Float32Array(items.length * IMAGE_BYTES));
  const worst = async (path: 'resident' | 'uint8') => {
    const feeder = createFeeder(source, [flipped], { path });
    if (feeder.info.path !== path) throw new Error(`asked for ${path} batches, got ${feeder.info.path}`);
    const { x, y } = feeder.batch(items, labels, 40);
    const got = await x.data();
    tf.dispose([x, y]);
    feeder.dispose();
    let max = 0;
    for (let i = 0; i < got.length; i++) max = Math.max(max, Math.abs(got[i]! - expected[i]!));
    return got.length === expected.length ? max : Infinity;
  };
  return { resident: await worst('resident'), uint8: await worst('uint8') };
}

async function adamError(): Promise<number> {
  const shapes = [[3, 3, 3, 8], [8], [1001]];
  const run = async (backend: 'cpu' | 'webgpu') => {
    await tf.setBackend(backend);
    const vars = shapes.map((s, i) =>
      tf.variable(
        tf.tensor(
          seeded(
            s.reduce((a, b) => a * b),
            100 + i,
          ).map((v) => v * 0.1),
          s,
        ),
        true,
        `check${i}`,
      ),
    );
    const optimizer = backend === 'webgpu' ? createAdam(0.01) : tf.train.adam(0.01);
    for (let step = 0; step < 3; step++) {
      const grads = vars.map((v, i) => ({
        name: v.name,
        tensor: tf.tensor(seeded(v.size, 1000 + 17 * step + i), v.shape),
      }));
      optimizer.applyGradients(grads);
      tf.dispose(grads.map((g) => g.tensor));
    }
    const values = await Promise.all(vars.map((v) => v.data()));
    optimizer.dispose();
    tf.dispose(vars);
    return values.flatMap((v) => Array.from(v));
  };
  const cpu = await run('cpu');
  return relError(cpu, await run('webgpu'));
}

const TINY: ModelSpec = { family: 'model2', filters: 4, kernel1: 3, kernel2: 3, dense: 0, dropout: 0 };
const SETTINGS: TrainSettings = {
  epochs: 1,
  batchSize: 4,
  learningRate: 0.02, // large enough that the losses move from ln 2 within three steps
  patience: 2,
  flip: false,
  seed: 3,
};

/** Each batch's loss (every batch read) and the validation loss of a tiny Model 2 trained from seed 5. */
export async function trainingLosses(
  backend: 'cpu' | 'webgpu',
  source: ImageSource,
  batches: number,
): Promise<{ losses: number[]; valLoss: number }> {
  await tf.setBackend(backend);
  const model = buildModel(layersOf(TINY, 2), 5);
  const losses: number[] = [];
  const result = await trainModel(
    model,
    source,
    split(0, 4 * batches),
    split(36, 40),
    2,
    SETTINGS,
    { onBatch: (_b, _n, s) => void (s && losses.push(s.loss)) },
    undefined,
    { readEvery: 1, waitForReads: true },
  );
  model.dispose();
  return { losses, valLoss: result.epochs[0]!.valLoss };
}

/** Runs every check, then leaves WebGPU as the backend (it must be available and the lab's kernels registered). */
export async function checkWebGpuKernels(): Promise<WebGpuCheck> {
  if (!(await tf.setBackend('webgpu')) || tf.getBackend() !== 'webgpu')
    throw new Error('WebGPU could not start');
  if (!webGpuTrainingKernelsRegistered()) {
    throw new Error("the lab's WebGPU kernels are not registered");
  }
  const info = (tf.backend() as unknown as { adapterInfo?: { vendor?: string; architecture?: string } })
    .adapterInfo;
  const adapter = [info?.vendor, info?.architecture].filter(Boolean).join(' / ') || 'unknown';
  const source = images(40, 11);
  const filterGrad = await filterGrads();
  await tf.setBackend('webgpu');
  const decode = await decodeErrors(source);
  const adam = await adamError();
  const cpu = (await trainingLosses('cpu', source, 3)).losses;
  const gpu = (await trainingLosses('webgpu', source, 3)).losses;
  const losses = gpu.map((l, i) => Math.abs(l - cpu[i]!) / cpu[i]!);
  if (gpu.length !== cpu.length)
    throw new Error(`${gpu.length} WebGPU losses against ${cpu.length} on the CPU`);
  await tf.setBackend('webgpu');
  return { adapter, filterGrad, decode, adam, losses };
}
