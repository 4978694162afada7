/**
 * 2D convolution on WASM by the lab's SIMD kernel (as/kernels.ts `convForward`), six output pixels by eight
 * output channels in registers, with fused multiply-add where the browser has relaxed SIMD, on every core (the
 * images are split between this thread and the helpers). tfjs' own Conv2D runs on XNNPACK on one thread here.
 * NHWC, no dilation, output channels in eights, float32; other convolutions go to the stock kernel. Padding is
 * a PadV2 first, as in the filter gradient.
 */
import * as tf from '@tensorflow/tfjs';
import {
  withTemps,
  type ConvAttrs,
  type Info,
  type KernelArgs,
  type KernelFn,
  type WasmHeapBackend,
  padSpatial,
} from './kernelUtil';
import { heapAddress, simdKernels } from './simdKernels';
import { poolParts, runPooled, splitRange } from './simdPool';

/** y = conv(xp, w) for an already padded xp, w [KH, KW, Ci, Co] (Co a multiple of 8), strides from `info`. */
export function convForwardSimd(
  backend: WasmHeapBackend,
  xp: Info,
  w: Info,
  info: Pick<tf.backend_util.Conv2DInfo, 'outHeight' | 'outWidth' | 'strideHeight' | 'strideWidth'>,
): Info {
  const kernels = simdKernels(backend)!;
  const [n, hp, wp, ci] = xp.shape as [number, number, number, number];
  const [kh, kw, , co] = w.shape as [number, number, number, number];
  const { outHeight: ho, outWidth: wo } = info;
  const y = backend.makeOutput([n, ho, wo, co], 'float32');
  const at = (t: Info) => heapAddress(backend, t);
  const rowBytes = wp * ci * 4;
  const xImage = hp * rowBytes;
  const yImage = ho * wo * co * 4;
  const parts = splitRange(n, poolParts(n)).map(([start, images]) => [
    at(xp) + start * xImage,
    at(w),
    at(y) + start * yImage,
    images,
    ho,
    wo,
    co,
    kh,
    kw * ci,
    xImage,
    info.strideHeight * rowBytes,
    info.strideWidth * ci * 4,
    rowBytes,
  ]);
  if (parts.length > 1) runPooled(kernels, 'convForward', parts);
  else {
    const [x0, w0, y0, m, oh, ow, c, r, span, xi, xr, xc, xrow] = parts[0]!;
    kernels.convForward(x0!, w0!, y0!, m!, oh!, ow!, c!, r!, span!, xi!, xr!, xc!, xrow!);
  }
  return y;
}

export function makeConv2D(stock: KernelFn) {
  return function conv2dWasm(args: KernelArgs): Info {
    const { x, filter } = args.inputs as { x: Info; filter: Info };
    const attrs = args.attrs as unknown as ConvAttrs & { dilations: [number, number] | number };
    const backend = args.backend as WasmHeapBackend;
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filter.shape as [number, number, number, number],
      attrs.strides,
      attrs.dilations,
      attrs.pad,
      attrs.dimRoundingMode,
    );
    const usable =
      attrs.dataFormat === 'NHWC' &&
      info.dilationHeight === 1 &&
      info.dilationWidth === 1 &&
      info.outChannels % 8 === 0 &&
      x.dtype === 'float32' &&
      filter.dtype === 'float32' &&
      simdKernels(backend) !== null;
    if (!usable) return stock(args);
    const { top, bottom, left, right } = info.padInfo;
    return withTemps(backend, (keep) =>
      convForwardSimd(backend, padSpatial(backend, x, top, bottom, left, right, keep), filter, info),
    );
  };
}
