/**
 * The WASM training kernels against tfjs' CPU backend where they actually run: in a browser's worker, with threads
 * and the SIMD helpers (which Node cannot start). For the end-to-end tests; a few small gradients, well under a
 * second.
 */
import * as tf from '@tensorflow/tfjs';
import { convBiasRelu } from '../trainingForward';
import { WasmFusedAdamOptimizer } from './adam';
import { hasRelaxedSimd, simdBuild, setSimdBuild, type SimdBuild } from './simdModule';
import { helperPartsRun, poolWidth } from './simdPool';

/** Largest differences from the CPU backend, relative to the largest CPU value, per kernel. */
export interface KernelErrors {
  conv: number;
  inputGrad: number;
  filterGrad: number;
  maxPoolGrad: number;
  /** A conv layer's bias add and ReLU, and their gradient (Step, Multiply), over 28,288 floats split over the helpers. */
  elementwise: number;
  /**
   * A fused conv layer (FusedConv2D: bias and ReLU in the convolution) and its filter and bias gradients through
   * LabReluBiasGrad, 28,288 outputs split over the helpers.
   */
  fusedConv: number;
  /** A bias gradient: a sum over batch, height and width of 28,288 floats, split over the helpers. */
  sum: number;
  /** 2x2 max pooling's output (8 images split over the helpers). */
  maxPool: number;
  /** A dense layer's products x·W and dy·Wᵀ (64 × 1,100 × 64: split over the helpers, k in several blocks). */
  matmul: number;
  /** Two Adam steps of a 70,001-float variable (split over the helpers, with a tail). */
  adam: number;
}

export interface KernelCheck extends KernelErrors {
  /** Threads a pooled kernel call runs on (1: no helpers). */
  poolWidth: number;
  /** Parts of the checked calls that helper threads ran (each part goes to whichever thread claims it first). */
  helperParts: number;
  /** The build training uses here, and the errors of every build this browser can run (SIMD128 always). */
  build: SimdBuild;
  builds: Partial<Record<SimdBuild, KernelErrors>>;
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
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    scale = Math.max(scale, Math.abs(a[i]!));
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  }
  return worst / scale;
};

/** The variable after two Adam steps on one backend (the lab's fused one on WASM, tfjs' elsewhere). */
async function adamOn(backend: string): Promise<Float32Array> {
  await tf.setBackend(backend);
  const n = 70_001;
  const value = tf.variable(tf.tensor1d(seeded(n, 19)));
  const optimizer = backend === 'wasm' ? new WasmFusedAdamOptimizer(0.01) : tf.train.adam(0.01);
  for (const seed of [21, 23])
    tf.tidy(() => optimizer.applyGradients([{ name: value.name, tensor: tf.tensor1d(seeded(n, seed)) }]));
  try {
    return (await value.data()) as Float32Array;
  } finally {
    optimizer.dispose();
    value.dispose();
  }
}

/** The sum over every axis but the last, as a conv layer's bias gradient takes it. */
async function sumOn(backend: string, values: Float32Array, shape: number[]): Promise<Float32Array> {
  await tf.setBackend(backend);
  const y = tf.tidy(() => tf.sum(tf.tensor(values, shape), [0, 1, 2]));
  try {
    return (await y.data()) as Float32Array;
  } finally {
    y.dispose();
  }
}

/** A fused conv layer's output and its filter and bias gradients (of the sum of the outputs times (i mod 5) − 2). */
async function fusedConvOn(backend: string): Promise<Float32Array> {
  await tf.setBackend(backend);
  const y = tf.tidy(() => {
    const x = tf.tensor4d(seeded(4 * 19 * 15 * 8, 29), [4, 19, 15, 8]);
    const r = tf
      .range(0, 4 * 17 * 13 * 32)
      .mod(5)
      .sub(2)
      .reshape([4, 17, 13, 32]);
    const f = (w: tf.Tensor, b: tf.Tensor) =>
      convBiasRelu(x, w as tf.Tensor4D, b as tf.Tensor1D)
        .mul(r)
        .sum();
    const w = tf.tensor4d(seeded(3 * 3 * 8 * 32, 31), [3, 3, 8, 32]);
    const b = tf.tensor1d(seeded(32, 33));
    const { value, grads } = tf.valueAndGrads(f)([w, b]);
    return tf.concat([convBiasRelu(x, w, b).flatten(), value.reshape([1]), ...grads.map((g) => g.flatten())]);
  });
  try {
    return (await y.data()) as Float32Array;
  } finally {
    y.dispose();
  }
}

/** x·W and dy·Wᵀ of a dense layer, one after the other. */
async function matmulOn(backend: string): Promise<Float32Array> {
  await tf.setBackend(backend);
  const y = tf.tidy(() => {
    const w = tf.tensor2d(seeded(1100 * 64, 25), [1100, 64]);
    const x = tf.matMul(tf.tensor2d(seeded(64 * 1100, 27), [64, 1100]), w);
    return tf.concat([x.flatten(), tf.matMul(x, w, false, true).flatten()]);
  });
  try {
    return (await y.data()) as Float32Array;
  } finally {
    y.dispose();
  }
}

/** Compares on the WASM backend already started in this worker, on every build, then switches back to it. */
export async function checkWasmKernels(): Promise<KernelCheck> {
  const x = seeded(8 * 14 * 10 * 3, 5);
  const w = seeded(3 * 3 * 3 * 16, 7);
  const conv = (wt: tf.Tensor) => tf.conv2d(tf.tensor4d(x, [8, 14, 10, 3]), wt as tf.Tensor4D, 1, 'valid');
  // The forward convolution and the input gradient: 8 -> 16 channels, a width with a tail of one.
  const x8 = seeded(4 * 9 * 13 * 8, 15);
  const w8 = seeded(3 * 3 * 8 * 16, 17);
  const forward = (t: tf.Tensor) => tf.conv2d(t as tf.Tensor4D, tf.tensor4d(w8, [3, 3, 8, 16]), 1, 'valid');
  const pooled = seeded(8 * 10 * 12 * 8, 9).map((v) => Math.round(v * 4) / 4); // ties within windows
  const pool = (t: tf.Tensor) => tf.maxPool(t as tf.Tensor4D, 2, 2, 'valid');
  const act = seeded(4 * 17 * 13 * 32, 11);
  const bias = seeded(32, 13);
  const biasRelu = (t: tf.Tensor) => tf.relu(tf.add(t, tf.tensor1d(bias)));
  const run = async (backend: string) => {
    await tf.setBackend(backend);
    const y = tf.tidy(() => forward(tf.tensor4d(x8, [4, 9, 13, 8])));
    const convOut = (await y.data()) as Float32Array;
    y.dispose();
    const p = tf.tidy(() => pool(tf.tensor4d(pooled, [8, 10, 12, 8])));
    const poolOut = (await p.data()) as Float32Array;
    p.dispose();
    return [
      convOut,
      await gradOn(backend, forward, x8, [4, 9, 13, 8], 5, 2),
      await gradOn(backend, conv, w, [3, 3, 3, 16]),
      await gradOn(backend, pool, pooled, [8, 10, 12, 8]),
      poolOut,
      await gradOn(backend, biasRelu, act, [4, 17, 13, 32], 5, 2),
      await sumOn(backend, act, [4, 17, 13, 32]),
      await adamOn(backend),
      await matmulOn(backend),
      await fusedConvOn(backend),
    ];
  };
  const build = simdBuild();
  const builds: KernelCheck['builds'] = {};
  const cpu = await run('cpu');
  const width = poolWidth();
  const helperPartsBefore = helperPartsRun();
  try {
    for (const b of ['simd128', 'relaxed'] as SimdBuild[]) {
      if (b === 'relaxed' && !hasRelaxedSimd()) continue;
      setSimdBuild(b);
      const wasm = await run('wasm');
      const [conv2d, inputGrad, filterGrad, maxPoolGrad, maxPool, elementwise, sum, adam, matmul, fusedConv] =
        cpu.map((c, i) => relError(c, wasm[i]!));
      builds[b] = {
        conv: conv2d!,
        inputGrad: inputGrad!,
        filterGrad: filterGrad!,
        maxPoolGrad: maxPoolGrad!,
        maxPool: maxPool!,
        elementwise: elementwise!,
        sum: sum!,
        adam: adam!,
        matmul: matmul!,
        fusedConv: fusedConv!,
      };
    }
  } finally {
    setSimdBuild(null);
    await tf.setBackend('wasm');
  }
  const helperParts = helperPartsRun() - helperPartsBefore;
  return { ...builds[build]!, poolWidth: width, helperParts, build, builds };
}
