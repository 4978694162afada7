import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { filterGradPlan } from './convFilterGradPlan';
import { startDawnWebGpu } from './node/dawn';

type Shape4 = [number, number, number, number];
type Pad = 'valid' | 'same' | number;

beforeAll(async () => {
  await startDawnWebGpu({ preferSoftware: true });
  // After Dawn: tfjs' WebGPU backend registers itself only if navigator.gpu exists when first imported.
  (await import('./register')).registerWebGpuTrainingKernels();
}, 60_000);

const seeded = (n: number, seed: number) => {
  let s = seed;
  return Float32Array.from({ length: n }, () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1);
};

const relError = (want: ArrayLike<number>, got: ArrayLike<number>) => {
  let scale = 0;
  let diff = 0;
  for (let i = 0; i < want.length; i++) {
    scale = Math.max(scale, Math.abs(want[i]!));
    diff = Math.max(diff, Math.abs(want[i]! - got[i]!));
  }
  return diff / scale;
};

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** dW by the definition, in float64. */
function reference(x: Float32Array, dy: Float32Array, info: tf.backend_util.Conv2DInfo): Float64Array {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outHeight: oh, outWidth: ow } = info;
  const { outChannels: co, filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const dw = new Float64Array(kh * kw * ci * co);
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++)
        for (let ky = 0; ky < kh; ky++)
          for (let kx = 0; kx < kw; kx++) {
            const iy = oy * sh + ky - info.padInfo.top;
            const ix = ox * sw + kx - info.padInfo.left;
            if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
            for (let c = 0; c < ci; c++) {
              const xv = x[((b * h + iy) * w + ix) * ci + c]!;
              const at = ((ky * kw + kx) * ci + c) * co;
              const d = ((b * oh + oy) * ow + ox) * co;
              for (let o = 0; o < co; o++) dw[at + o]! += xv * dy[d + o]!;
            }
          }
  return dw;
}

interface Case {
  xs: Shape4;
  k: number;
  co: number;
  strides?: number;
  pad?: Pad;
  dimRoundingMode?: 'floor';
}

const infoOf = (c: Case) =>
  tf.backend_util.computeConv2DInfo(
    c.xs,
    [c.k, c.k, c.xs[3], c.co],
    c.strides ?? 1,
    1,
    c.pad ?? 'valid',
    c.dimRoundingMode,
  );

/** The registered WebGPU kernel's dW and the reference, for seeded x and dy. */
async function run(c: Case) {
  const info = infoOf(c);
  const x = seeded(size(c.xs), 11);
  const dy = seeded(size(info.outShape), 13);
  const xt = tf.tensor4d(x, c.xs);
  const dyt = tf.tensor4d(dy, info.outShape);
  const dw = tf.engine().runKernel(tf.Conv2DBackpropFilter, { x: xt, dy: dyt }, {
    strides: c.strides ?? 1,
    pad: c.pad ?? 'valid',
    dataFormat: 'NHWC',
    dimRoundingMode: c.dimRoundingMode,
    filterShape: info.filterShape,
  } as unknown as tf.NamedAttrMap) as tf.Tensor;
  const got = await dw.data();
  tf.dispose([xt, dyt, dw]);
  return { got, want: reference(x, dy, info), plan: filterGradPlan(info) };
}

describe('Conv2DBackpropFilter on WebGPU (Dawn)', () => {
  const cases: [string, Case][] = [
    ['small conv1: 3 -> 32, 3x3, valid', { xs: [2, 12, 10, 3], k: 3, co: 32 }],
    ['small conv2: 32 -> 32, 3x3, valid', { xs: [2, 12, 11, 32], k: 3, co: 32 }],
    ['big conv1: 3 -> 64, 5x5, valid', { xs: [1, 14, 11, 3], k: 5, co: 64 }],
    ['big conv2: 64 -> 64, 3x3, valid', { xs: [3, 10, 9, 64], k: 3, co: 64 }],
    ['tail: 3 -> 10 channels, 5x5, odd positions', { xs: [3, 13, 11, 3], k: 5, co: 10 }],
    ['tail: 32 -> 9 channels, same', { xs: [2, 9, 10, 32], k: 3, co: 9, pad: 'same' }],
    ['3 -> 8, 5x5, stride 2, same', { xs: [2, 15, 12, 3], k: 5, co: 8, strides: 2, pad: 'same' }],
    ['64 -> 16, 3x3, stride 2, valid', { xs: [2, 11, 10, 64], k: 3, co: 16, strides: 2 }],
    ['one chunk, no second pass', { xs: [1, 6, 7, 3], k: 3, co: 32 }],
    ['many chunks: 3 -> 8, 3x3, batch 8', { xs: [8, 40, 30, 3], k: 3, co: 8 }],
    ['stock kernel: dimRoundingMode', { xs: [1, 8, 7, 3], k: 3, co: 8, pad: 1, dimRoundingMode: 'floor' }],
  ];
  for (const [name, c] of cases) {
    it(name, async () => {
      const { got, want } = await run(c);
      expect(relError(want, got)).toBeLessThan(1e-4);
    });
  }

  it('the cases split into chunks unevenly, with a real second pass', () => {
    const plans = cases.map(([, c]) => filterGradPlan(infoOf(c)));
    expect(plans[9]!.chunks).toBeGreaterThan(8);
    expect(plans[9]!.perThread).toBeGreaterThanOrEqual(16);
    expect(plans[8]!.chunks).toBe(1);
    for (const i of [0, 1, 3, 4, 5]) expect(plans[i]!.chunks).toBeGreaterThan(1);
    for (const i of [4, 9]) expect(plans[i]!.positions % plans[i]!.chunk).not.toBe(0);
  });

  it('leaks no tensors and agrees with the gradient of conv2d', async () => {
    const x = tf.tensor4d(seeded(2 * 10 * 9 * 3, 3), [2, 10, 9, 3]);
    const w = tf.tensor4d(seeded(3 * 3 * 3 * 12, 5), [3, 3, 3, 12]);
    const grad = tf.grad(
      (f: tf.Tensor) =>
        tf
          .conv2d(x, f as tf.Tensor4D, 1, 'valid')
          .square()
          .sum() as tf.Scalar,
    );
    const first = grad(w);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) tf.dispose(grad(w));
    expect(tf.memory().numTensors).toBe(before);
    const dy = tf.tidy(() => tf.conv2d(x, w, 1, 'valid').mul(2));
    const info = tf.backend_util.computeConv2DInfo(x.shape, w.shape, 1, 1, 'valid');
    const want = reference((await x.data()) as Float32Array, (await dy.data()) as Float32Array, info);
    expect(relError(want, await first.data())).toBeLessThan(1e-4);
    tf.dispose([x, w, first, dy]);
  });
});
