import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { IMAGE_BYTES, IMAGE_HEIGHT, IMAGE_WIDTH } from '../core/image';
import { layersOf, type ModelSpec } from '../core/models';
import { createRng } from '../core/rng';
import { buildModel } from './model';
import { saliency, type SaliencyMap } from './saliency';
import { registerWasmTrainingKernels } from './wasm/register';

const PATCH = 14;
/** Off-centre, so a mirrored or transposed map misses them. */
const SPOT = [
  { top: 90, left: 12 },
  { top: 16, left: 58 },
];

type Patch = { top: number; left: number };

/** Bright squares on black: only a square can raise any activation, so any map belongs on it. */
function image(rng: () => number, patches: Patch[]): Uint8Array {
  const px = new Uint8Array(IMAGE_BYTES);
  for (const p of patches)
    for (let y = p.top; y < p.top + PATCH; y++)
      for (let x = p.left; x < p.left + PATCH; x++)
        for (let c = 0; c < 3; c++) px[(y * IMAGE_WIDTH + x) * 3 + c] = 200 + rng() * 55;
  return px;
}

const spec: ModelSpec = { family: 'model2', filters: 4, kernel1: 3, kernel2: 3, dense: 0, dropout: 0 };
let model: tf.Sequential;

beforeAll(async () => {
  await tf.setBackend('cpu');
  model = buildModel(layersOf(spec, 2), 3);
  // The convolutions keep their seeded random filters: training them on tfjs' plain-JS CPU backend takes
  // minutes. The dense head learns where the evidence is, which is what a saliency map has to find.
  for (const l of model.layers) if (l.getClassName() === 'Conv2D') l.trainable = false;
  const head = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const rng = createRng(7);
  const optimizer = tf.train.adam(0.02);
  const jitter = () => Math.floor(rng() * 9) - 4;
  for (let step = 0; step < 15; step++) {
    // Class 1: a bright square near one of the two spots; class 0: none.
    const labels = [0, 1, 0, 1, 0, 1, 0, 1];
    const batch = labels.map((l, i) => {
      const spot = SPOT[(i >> 1) % 2]!;
      return image(rng, l ? [{ top: spot.top + jitter(), left: spot.left + jitter() }] : []);
    });
    const x = tf.tensor4d(
      Float32Array.from(
        batch.flatMap((b) => Array.from(b)),
        (v) => v / 255,
      ),
      [labels.length, IMAGE_HEIGHT, IMAGE_WIDTH, 3],
    );
    const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 2);
    optimizer.minimize(
      () => tf.losses.softmaxCrossEntropy(y, model.apply(x) as tf.Tensor) as tf.Scalar,
      false,
      head,
    );
    tf.dispose([x, y]);
  }
  optimizer.dispose();
}, 120_000);

const near = (at: { y: number; x: number }, p: Patch, margin: number) =>
  at.y >= p.top - margin &&
  at.y < p.top + PATCH + margin &&
  at.x >= p.left - margin &&
  at.x < p.left + PATCH + margin;

/** Share of the map's mass within `margin` pixels of the square. */
function massNear(s: SaliencyMap, patch: Patch, margin: number): number {
  let inside = 0;
  let all = 0;
  for (let y = 0; y < s.height; y++)
    for (let x = 0; x < s.width; x++) {
      const v = s.map[y * s.width + x]!;
      all += v;
      if (near({ y, x }, patch, margin)) inside += v;
    }
  return inside / all;
}

const peakOf = (s: SaliencyMap) => {
  let best = 0;
  s.map.forEach((v, i) => v > s.map[best]! && (best = i));
  return { y: Math.floor(best / s.width), x: best % s.width };
};

describe('saliency', () => {
  const at = SPOT.map((spot, k) => image(createRng(90 + k), [spot]));
  const blank = image(createRng(5), []);

  it('Grad-CAM puts the map on the square the model learnt, wherever it is', async () => {
    for (const k of [0, 1]) {
      const before = tf.memory().numTensors;
      const s = await saliency(model, at[k]!);
      expect(tf.memory().numTensors).toBe(before);
      expect(s).toMatchObject({ method: 'grad-cam', width: 90, height: 120, classIndex: 1, found: true });
      expect(s.map).toHaveLength(120 * 90);
      expect(Math.max(...s.map)).toBeCloseTo(1, 6);
      expect(Math.min(...s.map)).toBeGreaterThanOrEqual(0);
      // The square and a 6-pixel margin cover 6% of the image.
      expect(massNear(s, SPOT[k]!, 6)).toBeGreaterThan(0.8);
      expect(near(peakOf(s), SPOT[k]!, 6)).toBe(true);
    }
  });

  it('input gradients too', async () => {
    for (const k of [0, 1]) {
      const before = tf.memory().numTensors;
      const s = await saliency(model, at[k]!, { method: 'input-gradient' });
      expect(tf.memory().numTensors).toBe(before);
      expect(s).toMatchObject({ method: 'input-gradient', classIndex: 1, found: true });
      expect(massNear(s, SPOT[k]!, 3)).toBeGreaterThan(0.8);
      expect(near(peakOf(s), SPOT[k]!, 3)).toBe(true);
    }
  });

  it('gives the top classes as the softmax of the logits', async () => {
    const s = await saliency(model, at[1]!);
    const x = tf.tensor4d(
      Float32Array.from(at[1]!, (v) => v / 255),
      [1, 120, 90, 3],
    );
    const probs = tf.tidy(() => tf.softmax(model.predict(x) as tf.Tensor));
    const p = Array.from(await probs.data());
    tf.dispose([x, probs]);
    expect(s.top.map((t) => t.index)).toEqual([1, 0]);
    expect(s.top[0]!.probability).toBeGreaterThan(0.9);
    expect(s.top[0]!.probability).toBeCloseTo(p[1]!, 5);
    expect(s.top[1]!.probability).toBeCloseTo(p[0]!, 5);
  });

  it('explains a class it is asked about, says when nothing raised it, and checks its input', async () => {
    const s = await saliency(model, blank, { classIndex: 1 });
    expect(s).toMatchObject({ classIndex: 1, found: false });
    expect(s.map.every((v) => v === 0)).toBe(true);
    expect((await saliency(model, blank)).top[0]!.index).toBe(0);
    await expect(saliency(model, blank, { classIndex: 2 })).rejects.toThrow(/outputs 0 … 1/);
    await expect(saliency(model, new Uint8Array(10))).rejects.toThrow(/bytes/);
  });

  it('works on every family, disposing every tensor', async () => {
    for (const family of ['model1', 'model3', 'dropout'] as const) {
      const m = buildModel(layersOf({ ...spec, family, dense: 8, dropout: 0.5 }, 5), 1);
      const before = tf.memory().numTensors;
      for (const method of ['grad-cam', 'input-gradient'] as const) {
        const s = await saliency(m, at[1]!, { method });
        expect(s.top).toHaveLength(3);
        expect(s.top[0]!.probability).toBeGreaterThanOrEqual(s.top[2]!.probability);
      }
      expect(tf.memory().numTensors).toBe(before);
      m.dispose();
    }
  });

  it("gives the same map and probabilities on the training worker's WASM backend", async () => {
    const cpu = await Promise.all([
      saliency(model, at[0]!),
      saliency(model, at[0]!, { method: 'input-gradient' }),
    ]);
    registerWasmTrainingKernels();
    await tf.setBackend('wasm');
    try {
      for (const [i, method] of (['grad-cam', 'input-gradient'] as const).entries()) {
        const before = tf.memory().numTensors;
        const s = await saliency(model, at[0]!, { method });
        expect(tf.memory().numTensors).toBe(before);
        expect(s.classIndex).toBe(cpu[i]!.classIndex);
        expect(s.top[0]!.probability).toBeCloseTo(cpu[i]!.top[0]!.probability, 4);
        let worst = 0;
        s.map.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - cpu[i]!.map[j]!))));
        expect(worst).toBeLessThan(1e-3);
      }
    } finally {
      await tf.setBackend('cpu');
    }
  });
});
