/**
 * The WASM training kernels against tfjs' CPU backend where they actually run: in a browser's worker, with threads
 * and the SIMD helpers (which Node cannot start). For the end-to-end tests; a few small gradients, well under a
 * second.
 */
import * as tf from '@tensorflow/tfjs';
import { poolWidth } from './simdPool';

export interface KernelCheck {
  /** Largest difference from the CPU backend, relative to the largest CPU value. */
  filterGrad: number;
  maxPoolGrad: number;
  /** Parts a pooled kernel call was split into (1: no helpers). */
  poolWidth: number;
}

const seeded = (n: number, seed: number) => {
  let s = seed;
  return Float32Array.from({ length: n }, () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1);
};

async function gradOn(
  backend: string,
  f: (t: tf.Tensor) => tf.Tensor,
  values: Float32Array,
  shape: number[],
) {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const g = tf.grad((t: tf.Tensor) => {
      const y = f(t);
      return y.mul(tf.range(0, y.size).reshape(y.shape).mod(7).sub(3)).sum() as tf.Scalar;
    });
    return g(tf.tensor(values, shape)).dataSync() as Float32Array;
  });
}

const relError = (a: Float32Array, b: Float32Array) => {
  const scale = Math.max(...a.map(Math.abs));
  return Math.max(...a.map((v, i) => Math.abs(v - b[i]!))) / scale;
};

/** Compares on the WASM backend already started in this worker, then switches back to it. */
export async function checkWasmKernels(): Promise<KernelCheck> {
  const x = seeded(8 * 14 * 10 * 3, 5);
  const w = seeded(3 * 3 * 3 * 16, 7);
  const conv = (wt: tf.Tensor) => tf.conv2d(tf.tensor4d(x, [8, 14, 10, 3]), wt as tf.Tensor4D, 1, 'valid');
  const pooled = seeded(8 * 10 * 12 * 8, 9).map((v) => Math.round(v * 4) / 4); // ties within windows
  const pool = (t: tf.Tensor) => tf.maxPool(t as tf.Tensor4D, 2, 2, 'valid');
  const wasm = [
    await gradOn('wasm', conv, w, [3, 3, 3, 16]),
    await gradOn('wasm', pool, pooled, [8, 10, 12, 8]),
  ];
  const width = poolWidth();
  const cpu = [
    await gradOn('cpu', conv, w, [3, 3, 3, 16]),
    await gradOn('cpu', pool, pooled, [8, 10, 12, 8]),
  ];
  await tf.setBackend('wasm');
  return {
    filterGrad: relError(cpu[0]!, wasm[0]!),
    maxPoolGrad: relError(cpu[1]!, wasm[1]!),
    poolWidth: width,
  };
}
