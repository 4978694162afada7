import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from './register';
import type { Info, WasmHeapBackend } from './kernelUtil';
import { gradOn, relError, seeded as rand } from './selfCheck';
import { RELU_BIAS_GRAD } from './reluBiasGrad';
import { heapAddress, simdKernels } from './simdKernels';

beforeAll(async () => {
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
});

type Values = number[] | Float32Array;

/** The filter gradient of a convolution of x (weights mod 7 − 3, as in the filter tests). */
const filterGrad = (
  backend: string,
  x: Values,
  xs: number[],
  w: Values,
  ws: number[],
  strides: number,
  pad: 'valid' | 'same',
) =>
  gradOn(
    backend,
    (wt) =>
      tf.conv2d(tf.tensor4d(x, xs as [number, number, number, number]), wt as tf.Tensor4D, strides, pad),
    w,
    ws,
  );

/** The gradient with respect to a layer's input x (weights mod 5 − 2). */
const inputGrad = (backend: string, x: Values, xs: number[], f: (x: tf.Tensor4D) => tf.Tensor) =>
  gradOn(backend, (t) => f(t as tf.Tensor4D), x, xs, 5, 2);

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
    // Output channels in eights: the SIMD kernel, four taps a block: 27 taps (padded to 28), 36 (no padding), 4
    // (one block) and 5 (two, three padding taps).
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
      name: 'SIMD: 1 -> 8, 2x2 kernel, valid',
      xs: [2, 6, 5, 1],
      ws: [2, 2, 1, 8],
      strides: 1,
      pad: 'valid' as const,
    },
    {
      name: 'SIMD: 1 -> 16, 1x5 kernel, valid',
      xs: [2, 4, 9, 1],
      ws: [1, 5, 1, 16],
      strides: 1,
      pad: 'valid' as const,
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

/** A pool's output on one backend, as a user of the layer sees it. */
async function pooled(backend: string, x: Values, xs: number[], f: (x: tf.Tensor4D) => tf.Tensor) {
  const before = tf.getBackend();
  await tf.setBackend(backend);
  try {
    const y = f(tf.tensor4d(x, xs as [number, number, number, number]));
    const out = { shape: y.shape, values: await y.data() };
    y.dispose();
    return out;
  } finally {
    await tf.setBackend(before);
  }
}

describe('MaxPool on WASM', () => {
  const cases: { name: string; xs: number[]; pad: 'valid' | 'same' }[] = [
    { name: "the study's pools (SIMD): channels in fours, odd sizes", xs: [3, 9, 7, 8], pad: 'valid' },
    { name: 'a batch of one with 32 channels (SIMD)', xs: [1, 6, 4, 32], pad: 'valid' },
    { name: "'same' padding on odd sizes (windows past the input)", xs: [2, 7, 5, 8], pad: 'same' },
    { name: 'channels not in fours', xs: [2, 6, 6, 3], pad: 'valid' },
  ];
  for (const c of cases)
    it(`matches the CPU backend for 2x2 stride 2: ${c.name}`, async () => {
      const x = rand(
        c.xs.reduce((a, b) => a * b),
        41,
      );
      const f = (xt: tf.Tensor4D) => tf.maxPool(xt, 2, 2, c.pad);
      const [cpu, wasm] = [await pooled('cpu', x, c.xs, f), await pooled('wasm', x, c.xs, f)];
      expect(wasm.shape).toEqual(cpu.shape);
      expect(Array.from(wasm.values)).toEqual(Array.from(cpu.values)); // a maximum is exact
    });

  it('the SIMD kernel itself gives the maxima of 2x2 windows, an odd last row and column left out', async () => {
    const xs: [number, number, number, number] = [2, 5, 7, 8];
    const x = rand(
      xs.reduce((a, b) => a * b),
      43,
    );
    const want = await pooled('cpu', x, xs, (xt) => tf.maxPool(xt, 2, 2, 'valid'));
    const backend = tf.backend() as WasmHeapBackend;
    const kernels = simdKernels(backend)!;
    const xt = tf.tensor4d(x, xs);
    const yt = tf.fill([2, 2, 3, 8], -99);
    const at = (t: tf.Tensor) => heapAddress(backend, t as unknown as Info);
    kernels.maxPool2x2(at(xt), at(yt), 2, 5, 7, 8, 2, 3);
    expect(Array.from(await yt.data())).toEqual(Array.from(want.values));
    tf.dispose([xt, yt]);
  });
});

describe('element-wise kernels on WASM (bias add, ReLU and its gradient)', () => {
  /** Any function of tensors on one backend, its output as floats. */
  async function on(backend: string, f: () => tf.Tensor) {
    const before = tf.getBackend();
    await tf.setBackend(backend);
    try {
      const y = f();
      const out = { shape: y.shape, values: Array.from(await y.data()) };
      y.dispose();
      return out;
    } finally {
      await tf.setBackend(before);
    }
  }
  // 26,825 floats: over the kernels' threshold, and a tail of one float after the last vector of four.
  const xs: [number, number, number, number] = [5, 37, 29, 5];
  const size = xs.reduce((a, b) => a * b);
  const x = rand(size, 51);
  x[7] = NaN; // a NaN stays NaN through Step, as on the CPU
  const y = rand(size, 53);
  const act = rand(4 * 17 * 13 * 32, 55); // a conv layer's output with 32 channels
  const bias = rand(32, 57);
  const cases: [string, () => tf.Tensor][] = [
    ['Relu', () => tf.relu(tf.tensor4d(y, xs))],
    ['Step', () => tf.step(tf.tensor4d(x, xs))],
    ['Step with alpha', () => tf.step(tf.tensor4d(x, xs), 0.25)],
    ['Multiply', () => tf.mul(tf.tensor4d(x, xs), tf.tensor4d(y, xs))],
    ['Add', () => tf.add(tf.tensor4d(x, xs), tf.tensor4d(y, xs))],
    ['Add of a bias [c]', () => tf.add(tf.tensor4d(act, [4, 17, 13, 32]), tf.tensor1d(bias))],
    [
      'Add of a bias [1, 1, 1, c], first',
      () => tf.add(tf.tensor4d(bias, [1, 1, 1, 32]), tf.tensor4d(act, [4, 17, 13, 32])),
    ],
    [
      'Add of a column (another broadcast: the stock kernel)',
      () => tf.add(tf.tensor4d(act, [4, 17, 13, 32]), tf.tensor4d(act.slice(0, 4 * 17 * 13), [4, 17, 13, 1])),
    ],
  ];
  for (const [name, f] of cases)
    it(`${name} matches the CPU backend`, async () => {
      const [cpu, wasm] = [await on('cpu', f), await on('wasm', f)];
      expect(wasm.shape).toEqual(cpu.shape);
      const nan = cpu.values.map(Number.isNaN);
      expect(wasm.values.map(Number.isNaN)).toEqual(nan);
      expect(
        relError(
          cpu.values.map((v, i) => (nan[i] ? 0 : v)),
          wasm.values.map((v, i) => (nan[i] ? 0 : v)),
        ),
      ).toBeLessThan(1e-6);
    });

  for (const [shape, what] of [
    [[4, 17, 13, 32] as const, 'the SIMD kernel, over every thread'],
    [[5, 37, 29, 5] as const, 'channels not in fours: the backend kernels'],
  ] as const) {
    it(`LabReluBiasGrad (dy where y > 0, else 0, and its sum per channel) matches the CPU's Step, Multiply and Sum: ${what}`, async () => {
      const n = shape.reduce((a, b) => a * b, 1);
      const out = rand(n, 61).map((v) => (v < 0 ? 0 : v)); // a ReLU's output: about half zeros
      out[9] = NaN;
      const dy = rand(n, 63);
      const cpuDx = await on('cpu', () =>
        tf.mul(tf.tensor(dy, [...shape]), tf.step(tf.tensor(out, [...shape]))),
      );
      const cpuDb = await on('cpu', () =>
        tf.sum(tf.mul(tf.tensor(dy, [...shape]), tf.step(tf.tensor(out, [...shape]))), [0, 1, 2]),
      );
      const grads = (k: 0 | 1) => () => {
        const [dx, db] = tf
          .engine()
          .runKernel(
            RELU_BIAS_GRAD,
            { dy: tf.tensor(dy, [...shape]), y: tf.tensor(out, [...shape]) },
            {},
          ) as unknown as tf.Tensor[];
        (k ? dx : db)!.dispose();
        return k ? db! : dx!;
      };
      const [dx, db] = [await on('wasm', grads(0)), await on('wasm', grads(1))];
      expect(dx.shape).toEqual(cpuDx.shape);
      expect(dx.values.map(Number.isNaN)).toEqual(cpuDx.values.map(Number.isNaN));
      // Equal floats; the CPU's dy · 0 is −0 where dy < 0, the kernel's a plain 0 (the same in every sum after).
      const plain = (v: number[]) => v.filter((f) => !Number.isNaN(f)).map((f) => (f === 0 ? 0 : f));
      expect(plain(dx.values)).toEqual(plain(cpuDx.values));
      expect(dx.values.filter((v) => v === 0).length).toBeGreaterThan(n / 3);
      expect(db.shape).toEqual([shape[3]]);
      // The NaN's channel sums to NaN on both; the others agree.
      expect(db.values.map(Number.isNaN)).toEqual(cpuDb.values.map(Number.isNaN));
      expect(db.values.filter((v) => Number.isNaN(v))).toHaveLength(1);
      expect(relError(plain(cpuDb.values), plain(db.values))).toBeLessThan(1e-6);
    });
  }

  it("a conv layer's bias and ReLU gradients match the CPU backend", async () => {
    const f = (t: tf.Tensor4D) => tf.relu(tf.add(t, tf.tensor1d(bias)));
    expectClose(
      await inputGrad('cpu', act, [4, 17, 13, 32], f),
      await inputGrad('wasm', act, [4, 17, 13, 32], f),
    );
  });
});

describe('MaxPoolGrad on WASM', () => {
  it('the SIMD kernel writes every cell of dx: zeros where no window reaches (odd last row and column)', async () => {
    const xs: [number, number, number, number] = [2, 9, 7, 8];
    const x = rand(
      xs.reduce((a, b) => a * b),
      35,
    );
    const want = await inputGrad('cpu', x, xs, (t) => tf.maxPool(t, 2, 2, 'valid'));
    await tf.setBackend('wasm');
    const backend = tf.backend() as WasmHeapBackend;
    const kernels = simdKernels(backend)!;
    const xt = tf.tensor4d(x, xs);
    // dy as inputGrad weights it (index mod 5 − 2), and a dx the kernel must overwrite whole.
    const dy = tf.tensor4d(
      Array.from({ length: 2 * 4 * 3 * 8 }, (_, i) => (i % 5) - 2),
      [2, 4, 3, 8],
    );
    const dx = tf.fill(xs, 7);
    const at = (t: tf.Tensor) => heapAddress(backend, t as unknown as Info);
    kernels.maxPoolGrad2x2(at(xt), at(dy), at(dx), 2, 9, 7, 8, 4, 3);
    expectClose(want, await dx.data());
    tf.dispose([xt, dy, dx]);
  });

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

  it("matches the CPU backend for 2x2 stride 2 'same' pools on odd sizes (windows past the input)", async () => {
    const xs = [2, 7, 5, 8];
    const x = rand(
      xs.reduce((a, b) => a * b),
      39,
    );
    const f = (xt: tf.Tensor4D) => tf.maxPool(xt, 2, 2, 'same');
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

function expectClose(cpu: ArrayLike<number>, wasm: ArrayLike<number>) {
  expect(wasm).toHaveLength(cpu.length);
  expect(relError(cpu, wasm)).toBeLessThan(1e-5);
}
