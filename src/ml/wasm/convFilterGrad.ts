/**
 * The filter gradient of a 2D convolution for the WASM backend, which ships without one
 * (tensorflow/tfjs#8474), so conv nets cannot train on it. Where the output channels come in eights (the study's
 * 32 and 64 filters), the lab's SIMD kernel computes it (as/kernels.ts): 2–3x faster than the composition below,
 * which covers every other case with kernels WASM has:
 *
 *   dW[kh, kw, ci, co] = Σ_n Σ_i Σ_j xPadded[n, i·s + kh, j·s + kw, ci] · dy[n, i, j, co]
 *
 * is a valid convolution of xPadded transposed to [Ci, H, W, N] (channels become the batch, the batch becomes
 * channels) with dy transposed to [Ho, Wo, N, Co] as the filter, at dilation s (the forward stride). Its
 * output [Ci, ≥KH, ≥KW, Co] is cropped and transposed to [KH, KW, Ci, Co]. Works for any stride and padding.
 */
import * as tf from '@tensorflow/tfjs';
import {
  withTemps,
  type ConvAttrs,
  type Info,
  type KernelArgs,
  type WasmHeapBackend,
  padSpatial,
  wasmKernel as kernel,
} from './kernelUtil';
import { heapAddress, simdKernels } from './simdKernels';
import { poolParts, runPooled, splitRange } from './simdPool';

export function conv2dBackpropFilterWasm({ inputs, backend, attrs }: KernelArgs): Info {
  const { x, dy } = inputs as { x: Info; dy: Info };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as ConvAttrs & {
    filterShape: [number, number, number, number];
  };
  if (dataFormat !== 'NHWC') throw new Error('Conv2DBackpropFilter on WASM supports NHWC only');
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const [kh, kw, ci, co] = filterShape;
  const { top, left, bottom, right } = info.padInfo;
  const simd = simdKernels(backend as WasmHeapBackend);
  const useSimd = simd && co % 8 === 0 && x.dtype === 'float32' && dy.dtype === 'float32';
  return withTemps(backend, (keep) => {
    const xp = padSpatial(backend, x, top, bottom, left, right, keep);
    if (useSimd) return filterGradSimd(xp, dy, info, backend as WasmHeapBackend, keep);
    const xT = keep(kernel('Transpose')({ inputs: { x: xp }, backend, attrs: { perm: [3, 1, 2, 0] } }));
    const dyT = keep(kernel('Transpose')({ inputs: { x: dy }, backend, attrs: { perm: [1, 2, 0, 3] } }));
    let out = keep(
      kernel('Conv2D')({
        inputs: { x: xT, filter: dyT },
        backend,
        attrs: {
          strides: [1, 1],
          pad: 'valid',
          dataFormat: 'NHWC',
          dilations: [info.strideHeight, info.strideWidth],
          dimRoundingMode: undefined,
        },
      }),
    );
    if (out.shape[1] !== kh || out.shape[2] !== kw) {
      out = keep(
        kernel('Slice')({
          inputs: { x: out },
          backend,
          attrs: { begin: [0, 0, 0, 0], size: [ci, kh, kw, co] },
        }),
      );
    }
    return kernel('Transpose')({ inputs: { x: out }, backend, attrs: { perm: [1, 2, 0, 3] } });
  });
}

function filterGradSimd(
  xp: Info,
  dy: Info,
  info: tf.backend_util.Conv2DInfo,
  backend: WasmHeapBackend,
  keep: (t: Info) => Info,
): Info {
  const [n, hp, wp, ci] = xp.shape as [number, number, number, number];
  const { filterHeight: kh, filterWidth: kw, outChannels: co, outHeight: ho, outWidth: wo } = info;
  const count = kh * kw * ci;
  const blocks = Math.ceil(count / 4);
  const rows = blocks * 4; // rows for the padding taps are computed and dropped
  // With helper threads, each part sums its own images into its own rows; the parts are added up after.
  const ranges = splitRange(n, poolParts(n));
  const split = ranges.length > 1;
  const taps = keep(backend.makeOutput([rows], 'int32'));
  const partials = split ? keep(backend.makeOutput([ranges.length, rows, co], 'float32')) : null;
  const acc64 = split ? keep(backend.makeOutput([rows * co * 2], 'float32')) : null;
  const direct = rows === count;
  const acc = direct
    ? backend.makeOutput([kh, kw, ci, co], 'float32')
    : keep(backend.makeOutput([rows, co], 'float32'));
  const dw = direct ? acc : backend.makeOutput([kh, kw, ci, co], 'float32');
  // Views are taken after the last allocation: a heap growth would detach them.
  const offsets = backend.typedArrayFromHeap(taps) as unknown as Int32Array;
  let t = 0;
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++) for (let c = 0; c < ci; c++) offsets[t++] = ((y * wp + x) * ci + c) * 4;
  offsets.fill(0, t);
  backend.typedArrayFromHeap(partials ?? acc).fill(0);
  const at = (i: Info) => heapAddress(backend, i);
  const xImage = hp * wp * ci * 4;
  const dyImage = ho * wo * co * 4;
  const parts = ranges.map(([start, images], k) => [
    at(xp) + start * xImage,
    at(dy) + start * dyImage,
    (partials ? at(partials) : at(acc)) + k * rows * co * 4,
    at(taps),
    blocks,
    images,
    ho,
    wo,
    co,
    xImage,
    info.strideHeight * wp * ci * 4,
    info.strideWidth * ci * 4,
  ]);
  const kernels = simdKernels(backend)!;
  if (split) {
    runPooled(kernels, 'convFilterGrad', parts);
    kernels.sumRows(at(partials!), at(acc), at(acc64!), ranges.length, rows * co);
  } else {
    const [x0, dy0, acc0, taps0, b, m, oh, ow, c, xi, xr, xc] = parts[0]!;
    kernels.convFilterGrad(x0!, dy0!, acc0!, taps0!, b!, m!, oh!, ow!, c!, xi!, xr!, xc!);
  }
  if (!direct) backend.typedArrayFromHeap(dw).set(backend.typedArrayFromHeap(acc).subarray(0, count * co));
  return dw;
}
