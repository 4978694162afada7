import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from './wasmConvGrad';

beforeAll(async () => {
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
});

/** The filter gradient of sum(conv2d(x, w) * r) on one backend; r makes every output position count differently. */
async function filterGrad(
  backend: string,
  x: number[],
  xs: number[],
  w: number[],
  ws: number[],
  strides: number,
  pad: 'valid' | 'same',
) {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const xt = tf.tensor4d(x, xs as [number, number, number, number]);
    const f = (wt: tf.Tensor) => {
      const y = tf.conv2d(xt, wt as tf.Tensor4D, strides, pad);
      const r = tf.range(0, y.size).reshape(y.shape).mod(7).sub(3);
      return y.mul(r).sum() as tf.Scalar;
    };
    return Array.from(
      tf
        .grad(f)(tf.tensor4d(w, ws as [number, number, number, number]))
        .dataSync(),
    );
  });
}

const rand = (n: number, seed: number) => {
  let s = seed;
  return Array.from({ length: n }, () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1);
};

describe('Conv2DBackpropFilter on WASM', () => {
  const cases = [
    {
      name: 'stride 1, valid (as in the study)',
      xs: [2, 9, 7, 3],
      ws: [3, 3, 3, 4],
      strides: 1,
      pad: 'valid' as const,
    },
    {
      name: 'stride 1, valid, 5x5 kernel',
      xs: [3, 12, 10, 2],
      ws: [5, 5, 2, 3],
      strides: 1,
      pad: 'valid' as const,
    },
    { name: 'stride 2, valid', xs: [2, 9, 8, 3], ws: [3, 3, 3, 2], strides: 2, pad: 'valid' as const },
    { name: 'stride 1, same', xs: [2, 7, 6, 2], ws: [3, 3, 2, 3], strides: 1, pad: 'same' as const },
    {
      name: 'stride 2, same, odd sizes',
      xs: [1, 9, 7, 2],
      ws: [3, 3, 2, 2],
      strides: 2,
      pad: 'same' as const,
    },
  ];
  for (const c of cases) {
    it(`matches the CPU backend: ${c.name}`, async () => {
      const x = rand(
        c.xs.reduce((a, b) => a * b),
        11,
      );
      const w = rand(
        c.ws.reduce((a, b) => a * b),
        13,
      );
      const cpu = await filterGrad('cpu', x, c.xs, w, c.ws, c.strides, c.pad);
      const wasm = await filterGrad('wasm', x, c.xs, w, c.ws, c.strides, c.pad);
      expect(wasm).toHaveLength(cpu.length);
      const scale = Math.max(...cpu.map(Math.abs));
      const worst = Math.max(...cpu.map((v, i) => Math.abs(v - wasm[i]!)));
      expect(worst / scale).toBeLessThan(1e-5);
    });
  }

  it('leaks no tensors', async () => {
    await tf.setBackend('wasm');
    const x = tf.randomNormal([2, 8, 8, 3]);
    const w = tf.randomNormal([3, 3, 3, 4]);
    const f = (wt: tf.Tensor) =>
      tf.conv2d(x as tf.Tensor4D, wt as tf.Tensor4D, 1, 'valid').sum() as tf.Scalar;
    tf.grad(f)(w).dispose();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) tf.grad(f)(w).dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    w.dispose();
  });
});
