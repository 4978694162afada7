import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from './register';
import { relError, seeded as rand } from './selfCheck';
import { poolParts, poolWidth, splitRange } from './simdPool';

// The WASM kernels that move or reduce tensors (products, sums, transposes, Identity), against the CPU backend;
// the gradient kernels are in kernels.test.ts.
beforeAll(async () => {
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
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

  it('a Cast to the same dtype shares the buffer too; other casts convert', async () => {
    await tf.setBackend('wasm');
    const ids = tf.engine().backend.numDataIds();
    const a = tf.tensor([1.5, -2, 3, 0]);
    const same = tf.cast(a, 'float32');
    const ints = tf.cast(a, 'int32');
    expect(tf.engine().backend.numDataIds()).toBe(ids + 2); // a's buffer and the int32 one
    a.dispose();
    expect(Array.from(await same.data())).toEqual([1.5, -2, 3, 0]);
    expect([ints.dtype, ...(await ints.data())]).toEqual(['int32', 1, -2, 3, 0]);
    tf.dispose([same, ints]);
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
    expect(poolParts(64)).toBe(1); // every kernel then runs in one call on this thread
  });
});

function expectClose(cpu: ArrayLike<number>, wasm: ArrayLike<number>) {
  expect(wasm).toHaveLength(cpu.length);
  expect(relError(cpu, wasm)).toBeLessThan(1e-5);
}
