// The lab's SIMD convolution (forward and input gradient) and filter gradient against tfjs' CPU backend, on both
// builds of the kernels: relaxed SIMD (Node 20's V8 validates it behind a flag, set here before any module is
// compiled) and plain SIMD128.
import { setFlagsFromString } from 'node:v8';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convForwardSimd } from './conv2d';
import type { WasmHeapBackend } from './kernelUtil';
import { registerWasmTrainingKernels } from './register';
import { gradOn, relError, seeded } from './selfCheck';
import { simdKernels } from './simdKernels';
import { buildOf, hasRelaxedSimd, simdBuild, setSimdBuild, type SimdBuild } from './simdModule';

setFlagsFromString('--experimental-wasm-relaxed-simd');

beforeAll(async () => {
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
});
afterAll(() => setSimdBuild(null));

type Shape = [number, number, number, number];
const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** A forward convolution on one backend, read back. */
async function convOn(
  backend: string,
  x: Float32Array,
  xs: Shape,
  w: Float32Array,
  ws: Shape,
  s: number,
  pad: 'valid' | 'same',
) {
  await tf.setBackend(backend);
  const y = tf.tidy(() => tf.conv2d(tf.tensor4d(x, xs), tf.tensor4d(w, ws), s, pad));
  try {
    return await y.data();
  } finally {
    y.dispose();
  }
}

const CASES: { name: string; xs: Shape; ws: Shape; s: number; pad: 'valid' | 'same' }[] = [
  {
    name: "the small model's first layer (3 -> 8, 3x3), a width with a tail",
    xs: [2, 9, 11, 3],
    ws: [3, 3, 3, 8],
    s: 1,
    pad: 'valid',
  },
  { name: '8 -> 16, 3x3, widths of four', xs: [3, 8, 10, 8], ws: [3, 3, 8, 16], s: 1, pad: 'valid' },
  { name: '4 -> 8, 5x5', xs: [2, 12, 13, 4], ws: [5, 5, 4, 8], s: 1, pad: 'valid' },
  { name: '3 -> 8, 3x3, same', xs: [2, 7, 9, 3], ws: [3, 3, 3, 8], s: 1, pad: 'same' },
  { name: '2 -> 8, 3x3, stride 2, same, odd', xs: [2, 9, 11, 2], ws: [3, 3, 2, 8], s: 2, pad: 'same' },
  { name: '16 -> 24, 1x1', xs: [1, 5, 6, 16], ws: [1, 1, 16, 24], s: 1, pad: 'valid' },
];

const builds: SimdBuild[] = ['simd128', 'relaxed'];

describe.each(builds)('the %s build', (build) => {
  beforeAll(() => setSimdBuild(build));

  it('is the one the kernels run', async () => {
    await tf.setBackend('wasm');
    if (build === 'relaxed') expect(hasRelaxedSimd()).toBe(true);
    expect(simdBuild()).toBe(build);
    expect(buildOf(simdKernels(tf.backend() as WasmHeapBackend)!)).toBe(build);
  });

  it('convolves as the CPU backend, called directly (no fallback possible)', async () => {
    const xs: Shape = [2, 10, 9, 8];
    const ws: Shape = [3, 3, 8, 16];
    const x = seeded(size(xs), 3);
    const w = seeded(size(ws), 4);
    const cpu = await convOn('cpu', x, xs, w, ws, 1, 'valid');
    await tf.setBackend('wasm');
    const backend = tf.backend() as WasmHeapBackend;
    const [xt, wt] = [tf.tensor4d(x, xs), tf.tensor4d(w, ws)];
    const info = { outHeight: 8, outWidth: 7, strideHeight: 1, strideWidth: 1 };
    const y = tf.engine().makeTensorFromTensorInfo(convForwardSimd(backend, xt, wt, info));
    const simd = await y.data();
    tf.dispose([xt, wt, y]);
    expect(simd).toHaveLength(cpu.length);
    expect(relError(cpu, simd)).toBeLessThan(1e-5);
  });

  for (const c of CASES) {
    it(`Conv2D matches the CPU backend: ${c.name}`, async () => {
      const x = seeded(size(c.xs), 5);
      const w = seeded(size(c.ws), 6);
      const cpu = await convOn('cpu', x, c.xs, w, c.ws, c.s, c.pad);
      const wasm = await convOn('wasm', x, c.xs, w, c.ws, c.s, c.pad);
      expect(wasm).toHaveLength(cpu.length);
      expect(relError(cpu, wasm)).toBeLessThan(1e-5);
    });
  }

  for (const c of CASES) {
    for (const [activation, withBias] of [
      ['relu', true],
      ['linear', false],
    ] as const) {
      it(`FusedConv2D (${activation}, ${withBias ? 'a bias' : 'no bias'}) matches the CPU backend: ${c.name}`, async () => {
        const x = seeded(size(c.xs), 13);
        const w = seeded(size(c.ws), 14);
        const b = seeded(c.ws[3], 15);
        const on = async (backend: string) => {
          await tf.setBackend(backend);
          const y = tf.tidy(() =>
            tf.fused.conv2d({
              x: tf.tensor4d(x, c.xs),
              filter: tf.tensor4d(w, c.ws),
              strides: c.s,
              pad: c.pad,
              ...(withBias ? { bias: tf.tensor1d(b) } : {}),
              activation,
            }),
          );
          const values = await y.data();
          y.dispose();
          return values;
        };
        const cpu = await on('cpu');
        const wasm = await on('wasm');
        expect(wasm).toHaveLength(cpu.length);
        expect(relError(cpu, wasm)).toBeLessThan(1e-5);
        if (activation === 'relu') expect(Array.from(wasm).filter((v) => v === 0).length).toBeGreaterThan(0);
      });
    }
  }

  const gradCases: { name: string; xs: Shape; ws: Shape; pad: 'valid' | 'same' }[] = [
    {
      name: "the small model's second layer (8 -> 8, 3x3)",
      xs: [2, 9, 11, 8],
      ws: [3, 3, 8, 8],
      pad: 'valid',
    },
    { name: '16 -> 8, 5x5', xs: [2, 10, 9, 16], ws: [5, 5, 16, 8], pad: 'valid' },
    { name: '8 -> 4, 3x3, same', xs: [1, 7, 6, 8], ws: [3, 3, 8, 4], pad: 'same' },
  ];
  for (const c of gradCases) {
    it(`Conv2DBackpropInput matches the CPU backend: ${c.name}`, async () => {
      const x = seeded(size(c.xs), 7);
      const w = seeded(size(c.ws), 8);
      const f = (t: tf.Tensor) => tf.conv2d(t as tf.Tensor4D, tf.tensor4d(w, c.ws), 1, c.pad);
      const cpu = await gradOn('cpu', f, x, c.xs, 5, 2);
      const wasm = await gradOn('wasm', f, x, c.xs, 5, 2);
      expect(relError(cpu, wasm)).toBeLessThan(1e-5);
    });
  }

  it('Conv2DBackpropFilter matches the CPU backend (SIMD: 4 -> 16, 3x3)', async () => {
    const xs: Shape = [2, 9, 11, 4];
    const ws: Shape = [3, 3, 4, 16];
    const x = seeded(size(xs), 9);
    const f = (t: tf.Tensor) => tf.conv2d(tf.tensor4d(x, xs), t as tf.Tensor4D, 1, 'valid');
    const w = seeded(size(ws), 10);
    expect(relError(await gradOn('cpu', f, w, ws), await gradOn('wasm', f, w, ws))).toBeLessThan(1e-5);
  });

  // A dense layer's three products, large enough for the SIMD kernel (m·k·n ≥ 2^20), k across several blocks of
  // 256 and rows past a block of 16, and its last layer's (columns not in eights: only the flipped form fits).
  for (const [ta, tb, m, k, n, what] of [
    [false, false, 37, 700, 64, 'x·W'],
    [false, true, 37, 64, 700, 'dy·Wᵀ, as (W·dyᵀ)ᵀ'],
    [true, false, 700, 37, 64, 'xᵀ·dy'],
    [false, false, 64, 3000, 11, 'x·W with 11 columns, as (Wᵀ·xᵀ)ᵀ'],
  ] as const) {
    it(`BatchMatMul matches the CPU backend: ${what} (${m}x${k} by ${k}x${n}), no buffer left`, async () => {
      const a = seeded(m * k, 11);
      const b = seeded(k * n, 12);
      const run = async (backend: string) => {
        await tf.setBackend(backend);
        const ids = tf.engine().backend.numDataIds();
        const y = tf.tidy(() =>
          tf.matMul(tf.tensor2d(a, ta ? [k, m] : [m, k]), tf.tensor2d(b, tb ? [n, k] : [k, n]), ta, tb),
        );
        expect(y.shape).toEqual([m, n]);
        const out = await y.data();
        y.dispose();
        expect(tf.engine().backend.numDataIds()).toBe(ids);
        return out;
      };
      const cpu = await run('cpu');
      expect(relError(cpu, await run('wasm'))).toBeLessThan(1e-5);
    });
  }

  it('leaks no tensors and no heap buffers through a convolution and its gradients', async () => {
    await tf.setBackend('wasm');
    const x = tf.randomNormal([2, 8, 9, 8]);
    const w = tf.randomNormal([3, 3, 8, 8]);
    const f = (xt: tf.Tensor, wt: tf.Tensor) =>
      tf.conv2d(xt as tf.Tensor4D, wt as tf.Tensor4D, 1, 'valid').sum() as tf.Scalar;
    tf.grads(f)([x, w]).forEach((g) => g.dispose());
    const before = tf.memory();
    for (let i = 0; i < 3; i++) tf.grads(f)([x, w]).forEach((g) => g.dispose());
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
    tf.dispose([x, w]);
  });
});
