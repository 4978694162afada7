import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from './register';
import type { WasmHeapBackend } from './kernelUtil';
import { simdKernels } from './simdKernels';
import { poolWidth, splitRange } from './simdPool';

beforeAll(async () => {
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
});

/**
 * The gradient of sum(f(t) · r) with respect to t, on one backend, where r = (index mod m) − k makes every output
 * position count differently.
 */
async function gradOf(
  backend: string,
  values: number[],
  shape: number[],
  f: (t: tf.Tensor) => tf.Tensor,
  m: number,
  k: number,
) {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const g = tf.grad((t: tf.Tensor) => {
      const y = f(t);
      return y.mul(tf.range(0, y.size).reshape(y.shape).mod(m).sub(k)).sum() as tf.Scalar;
    });
    return Array.from(g(tf.tensor(values, shape)).dataSync());
  });
}

/** The filter gradient of a convolution of x (weights mod 7 − 3, as in the filter tests). */
const filterGrad = (
  backend: string,
  x: number[],
  xs: number[],
  w: number[],
  ws: number[],
  strides: number,
  pad: 'valid' | 'same',
) =>
  gradOf(
    backend,
    w,
    ws,
    (wt) =>
      tf.conv2d(tf.tensor4d(x, xs as [number, number, number, number]), wt as tf.Tensor4D, strides, pad),
    7,
    3,
  );

/** The gradient with respect to a layer's input x (weights mod 5 − 2). */
const inputGrad = (backend: string, x: number[], xs: number[], f: (x: tf.Tensor4D) => tf.Tensor) =>
  gradOf(backend, x, xs, (t) => f(t as tf.Tensor4D), 5, 2);

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
    // Output channels in eights: the SIMD kernel. 27 taps (padded to 28), then 36 (no padding).
    {
      name: 'SIMD: 3 -> 8 channels, 3x3, valid',
      xs: [3, 10, 8, 3],
      ws: [3, 3, 3, 8],
      strides: 1,
      pad: 'valid' as const,
    },
    {
      name: 'SIMD: 4 -> 16 channels, 3x3, valid',
      xs: [2, 9, 11, 4],
      ws: [3, 3, 4, 16],
      strides: 1,
      pad: 'valid' as const,
    },
    { name: 'SIMD: 2 -> 8, 5x5, same', xs: [2, 9, 8, 2], ws: [5, 5, 2, 8], strides: 1, pad: 'same' as const },
    {
      name: 'SIMD: 3 -> 8, 3x3, stride 2, same, odd',
      xs: [2, 9, 7, 3],
      ws: [3, 3, 3, 8],
      strides: 2,
      pad: 'same' as const,
    },
    {
      name: 'SIMD: 1 -> 8, 2x3 kernel, stride 2, valid',
      xs: [2, 8, 9, 1],
      ws: [2, 3, 1, 8],
      strides: 2,
      pad: 'valid' as const,
    },
  ];

  it('has the SIMD kernels on the WASM memory', async () => {
    await tf.setBackend('wasm');
    expect(simdKernels(tf.backend() as WasmHeapBackend)).not.toBeNull();
  });
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
      expectClose(cpu, wasm);
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

function expectClose(cpu: number[], wasm: number[]) {
  expect(wasm).toHaveLength(cpu.length);
  const scale = Math.max(...cpu.map(Math.abs));
  expect(Math.max(...cpu.map((v, i) => Math.abs(v - wasm[i]!))) / scale).toBeLessThan(1e-5);
}

describe('Conv2DBackpropInput on WASM (as a forward convolution)', () => {
  const cases = [
    { name: 'stride 1, valid', xs: [2, 9, 7, 3], ws: [3, 3, 3, 4], strides: 1, pad: 'valid' as const },
    { name: 'stride 1, valid, 5x5', xs: [2, 11, 9, 2], ws: [5, 5, 2, 3], strides: 1, pad: 'valid' as const },
    { name: 'stride 1, same', xs: [2, 7, 6, 2], ws: [3, 3, 2, 3], strides: 1, pad: 'same' as const },
    {
      name: 'stride 2 (stock kernel)',
      xs: [1, 9, 8, 2],
      ws: [3, 3, 2, 2],
      strides: 2,
      pad: 'valid' as const,
    },
  ];
  for (const c of cases) {
    it(`matches the CPU backend: ${c.name}`, async () => {
      const x = rand(
        c.xs.reduce((a, b) => a * b),
        21,
      );
      const w = rand(
        c.ws.reduce((a, b) => a * b),
        23,
      );
      const f = (xt: tf.Tensor4D) =>
        tf.conv2d(xt, tf.tensor4d(w, c.ws as [number, number, number, number]), c.strides, c.pad);
      expectClose(await inputGrad('cpu', x, c.xs, f), await inputGrad('wasm', x, c.xs, f));
    });
  }
});

describe('MaxPoolGrad on WASM', () => {
  it('matches the CPU backend for 2x2 stride 2, odd sizes and ties included', async () => {
    const xs = [2, 7, 9, 3];
    // Values on a coarse grid make ties within windows: the gradient must go to the first maximum.
    const x = rand(
      xs.reduce((a, b) => a * b),
      31,
    ).map((v) => Math.round(v * 2) / 2);
    const f = (xt: tf.Tensor4D) => tf.maxPool(xt, 2, 2, 'valid');
    expectClose(await inputGrad('cpu', x, xs, f), await inputGrad('wasm', x, xs, f));
  });

  it('matches the CPU backend for 2x2 stride 2 with channels in fours (SIMD), ties and odd sizes', async () => {
    const xs = [3, 9, 7, 8];
    const x = rand(
      xs.reduce((a, b) => a * b),
      33,
    ).map((v) => Math.round(v * 2) / 2);
    const f = (xt: tf.Tensor4D) => tf.maxPool(xt, 2, 2, 'valid');
    expectClose(await inputGrad('cpu', x, xs, f), await inputGrad('wasm', x, xs, f));
  });

  it("matches the CPU backend for 3x3 stride 2 'same' pools (where the stock kernel drops gradients)", async () => {
    const xs = [1, 8, 8, 2];
    const x = rand(
      xs.reduce((a, b) => a * b),
      37,
    );
    const f = (xt: tf.Tensor4D) => tf.maxPool(xt, 3, 2, 'same');
    expectClose(await inputGrad('cpu', x, xs, f), await inputGrad('wasm', x, xs, f));
  });
});

describe('BatchMatMul on WASM with transposed operands', () => {
  // [transposeA, transposeB, rows of the result, columns of the result]
  for (const [ta, tb, m, n] of [
    [true, false, 6, 4],
    [false, true, 6, 4], // B transposed first
    [false, true, 3, 7], // B has more rows: (B·Aᵀ)ᵀ
    [true, true, 6, 4],
  ] as const) {
    it(`matches the CPU backend (transposeA ${ta}, transposeB ${tb}, ${m}x${n}), batched, no buffer left`, async () => {
      const k = 5;
      const a = rand(2 * m * k, 41);
      const b = rand(2 * k * n, 43);
      const run = async (backend: string) => {
        await tf.setBackend(backend);
        const ids = tf.engine().backend.numDataIds();
        const out = tf.tidy(() => {
          const at = tf.tensor3d(a, ta ? [2, k, m] : [2, m, k]);
          const bt = tf.tensor3d(b, tb ? [2, n, k] : [2, k, n]);
          const product = tf.matMul(at, bt, ta, tb);
          expect(product.shape).toEqual([2, m, n]);
          return Array.from(product.dataSync());
        });
        expect(tf.engine().backend.numDataIds()).toBe(ids);
        return out;
      };
      expectClose(await run('cpu'), await run('wasm'));
    });
  }
});

describe('Sum on WASM over leading axes (a conv bias gradient)', () => {
  for (const [shape, axis, keepDims, what] of [
    [[3, 7, 5, 4], [0, 1, 2], false, 'SIMD'],
    [[3, 7, 5, 4], [0, 1, 2], true, 'SIMD'],
    [[3, 7, 5, 4], 0, false, 'SIMD'],
    [[40, 9, 3, 8], [0, 1, 2], false, 'SIMD, rows in several blocks of 512'],
    [[3, 7, 5, 3], [0, 1, 2], false, 'rows of 3: one pass in JS'],
    [[3, 7, 5, 4], [1, 2], false, 'not leading: the stock kernel'],
    [[3, 7, 5, 4], -1, false, 'the stock kernel'],
  ] as const) {
    it(`matches the CPU backend (${JSON.stringify(shape)}, axis ${JSON.stringify(axis)}, keepDims ${keepDims}: ${what})`, async () => {
      const x = rand(
        shape.reduce((a, b) => a * b, 1),
        47,
      );
      const run = async (backend: string) => {
        await tf.setBackend(backend);
        const before = tf.memory().numTensors;
        const ids = tf.engine().backend.numDataIds();
        const out = tf.tidy(() => {
          const s = tf.sum(tf.tensor4d(x, [...shape]), axis as number | number[], keepDims);
          return { shape: s.shape, values: Array.from(s.dataSync()) };
        });
        expect(tf.memory().numTensors).toBe(before);
        expect(tf.engine().backend.numDataIds()).toBe(ids); // no buffer left behind on the WASM heap
        return out;
      };
      const cpu = await run('cpu');
      const wasm = await run('wasm');
      expect(wasm.shape).toEqual(cpu.shape);
      expectClose(cpu.values, wasm.values);
    });
  }
});

describe('Transpose on WASM of the last two axes (SIMD where both are multiples of four)', () => {
  for (const [shape, perm] of [
    [
      [8, 12],
      [1, 0],
    ],
    [
      [3, 4, 16],
      [0, 2, 1],
    ],
    [
      [2, 3, 4, 8],
      [0, 1, 3, 2],
    ],
    [
      [6, 5],
      [1, 0],
    ], // not multiples of four: the stock kernel
    [
      [4, 8, 12],
      [2, 0, 1],
    ], // another permutation: the stock kernel
  ] as const) {
    it(`matches the CPU backend (${JSON.stringify(shape)}, perm ${JSON.stringify(perm)})`, async () => {
      const x = rand(
        shape.reduce((a, b) => a * b, 1),
        53,
      );
      const run = async (backend: string) => {
        await tf.setBackend(backend);
        return tf.tidy(() => {
          const t = tf.transpose(tf.tensor(x, [...shape]), [...perm]);
          return { shape: t.shape, values: Array.from(t.dataSync()) };
        });
      };
      const cpu = await run('cpu');
      const wasm = await run('wasm');
      expect(wasm.shape).toEqual(cpu.shape);
      expect(wasm.values).toEqual(cpu.values);
    });
  }
});

describe('Identity on WASM', () => {
  it('shares the buffer: the copy outlives the original, and both are freed after', async () => {
    await tf.setBackend('wasm');
    const ids = tf.engine().backend.numDataIds();
    const a = tf.tensor([1, 2, 3, 4]);
    const b = tf.clone(a); // Identity
    a.dispose();
    expect(Array.from(await b.data())).toEqual([1, 2, 3, 4]);
    b.dispose();
    expect(tf.engine().backend.numDataIds()).toBe(ids);
  });
});

describe('splitting images between threads', () => {
  it('gives contiguous, near-even ranges that cover every image once, and no empty part', () => {
    expect(splitRange(64, 2)).toEqual([
      [0, 32],
      [32, 32],
    ]);
    expect(splitRange(10, 3)).toEqual([
      [0, 4],
      [4, 3],
      [7, 3],
    ]);
    expect(splitRange(2, 4)).toEqual([
      [0, 1],
      [1, 1],
    ]);
    expect(splitRange(5, 1)).toEqual([[0, 5]]);
  });

  it('runs on one thread in Node (no shared memory): the pool is never started', async () => {
    await tf.setBackend('wasm');
    expect(poolWidth()).toBe(1);
  });
});
