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

/** Values in [−1, 1) from a Park–Miller sequence: the same for a seed on every run and backend. */
export const seeded = (n: number, seed: number) => {
  let s = seed;
  return Float32Array.from({ length: n }, () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1);
};

/**
 * The gradient of sum(f(t) · r) with respect to t, on one backend, where r = (index mod m) − k makes every output
 * position count differently.
 */
export async function gradOn(
  backend: string,
  f: (t: tf.Tensor) => tf.Tensor,
  values: number[] | Float32Array,
  shape: number[],
  m = 7,
  k = 3,
): Promise<Float32Array> {
  await tf.setBackend(backend);
  const grad = tf.tidy(() => {
    const g = tf.grad((t: tf.Tensor) => {
      const y = f(t);
      return y.mul(tf.range(0, y.size).reshape(y.shape).mod(m).sub(k)).sum() as tf.Scalar;
    });
    return g(tf.tensor(values, shape));
  });
  try {
    return (await grad.data()) as Float32Array;
  } finally {
    grad.dispose();
  }
}

/** The largest difference between two results, relative to the largest magnitude in the first. */
export const relError = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  const first = Array.from(a);
  const scale = Math.max(...first.map(Math.abs));
  return Math.max(...first.map((v, i) => Math.abs(v - b[i]!))) / scale;
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
