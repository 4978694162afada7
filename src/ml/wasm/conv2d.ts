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

/** What FusedConv2D adds as the sums are stored: a bias of Co floats, then the ReLU. */
export interface ConvEpilogue {
  bias: Info | null;
  relu: boolean;
}

/**
 * y = conv(xp, w) for an already padded xp, w [KH, KW, Ci, Co] (Co a multiple of 8), strides from `info`, then
 * the epilogue's bias and ReLU if any.
 */
export function convForwardSimd(
  backend: WasmHeapBackend,
  xp: Info,
  w: Info,
  info: Pick<tf.backend_util.Conv2DInfo, 'outHeight' | 'outWidth' | 'strideHeight' | 'strideWidth'>,
  epilogue: ConvEpilogue = { bias: null, relu: false },
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
    epilogue.bias ? at(epilogue.bias) : 0,
    epilogue.relu ? 1 : 0,
  ]);
  if (parts.length > 1) runPooled(kernels, 'convForward', parts);
  else {
    const [x0, w0, y0, m, oh, ow, c, r, span, xi, xr, xc, xrow, b, relu] = parts[0]!;
    kernels.convForward(x0!, w0!, y0!, m!, oh!, ow!, c!, r!, span!, xi!, xr!, xc!, xrow!, b!, relu!);
  }
  return y;
}

/** The lab's kernel takes this convolution (else the stock kernel does). */
function simdInfo(args: KernelArgs): tf.backend_util.Conv2DInfo | null {
  const { x, filter } = args.inputs as { x: Info; filter: Info };
  const attrs = args.attrs as unknown as ConvAttrs & { dilations: [number, number] | number };
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
    simdKernels(args.backend as WasmHeapBackend) !== null;
  return usable ? info : null;
}

function run(args: KernelArgs, info: tf.backend_util.Conv2DInfo, epilogue?: ConvEpilogue): Info {
  const { x, filter } = args.inputs as { x: Info; filter: Info };
  const backend = args.backend as WasmHeapBackend;
  const { top, bottom, left, right } = info.padInfo;
  return withTemps(backend, (keep) =>
    convForwardSimd(backend, padSpatial(backend, x, top, bottom, left, right, keep), filter, info, epilogue),
  );
}

export function makeConv2D(stock: KernelFn) {
  return function conv2dWasm(args: KernelArgs): Info {
    const info = simdInfo(args);
    return info ? run(args, info) : stock(args);
  };
}

/**
 * FusedConv2D (convolution, bias, activation in one kernel) with a bias of Co floats (or none) and a ReLU (or
 * none): the bias and ReLU cost nothing in the convolution's store, where unfused they are two more passes over its
 * output. The lab trains its conv layers through it (trainingForward.ts); other activations, PReLU weights and
 * other biases go to the stock kernel.
 */
export function makeFusedConv2D(stock: KernelFn) {
  return function fusedConv2dWasm(args: KernelArgs): Info {
    const { bias, preluActivationWeights } = args.inputs as { bias?: Info; preluActivationWeights?: Info };
    const { activation } = args.attrs as { activation?: string };
    const info = simdInfo(args);
    const plainBias =
      bias == null ||
      (bias.dtype === 'float32' &&
        info !== null &&
        bias.shape.reduce((p, d) => p * d, 1) === info.outChannels &&
        bias.shape.slice(0, -1).every((d) => d === 1));
    const act = activation ?? 'linear';
    if (!info || preluActivationWeights || !plainBias || (act !== 'linear' && act !== 'relu'))
      return stock(args);
    return run(args, info, { bias: bias ?? null, relu: act === 'relu' });
  };
}
