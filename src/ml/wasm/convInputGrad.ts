/**
 * The input gradient of a stride-1 convolution on WASM, as a forward convolution: the backend's own
 * Conv2DBackpropInput is a plain loop (~1 GMAC/s here). For stride 1,
 *
 *   dx = conv2d(pad(dy, KH−1−top, KH−1−bottom, KW−1−left, KW−1−right), W rotated 180° with in/out swapped)
 *
 * which runs on the lab's SIMD convolution (conv2d.ts) where the input channels come in eights, else on the
 * backend's Conv2D. Other strides fall back to the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { convForwardSimd } from './conv2d';
import { padSpatial } from './kernelUtil';
import {
  withTemps,
  type Info,
  type KernelFn,
  type WasmHeapBackend,
  wasmKernel,
  type KernelArgs,
  type ConvAttrs,
} from './kernelUtil';
import { simdKernels } from './simdKernels';

export function makeConvInputGrad(stock: KernelFn) {
  return function conv2dBackpropInputWasm(args: KernelArgs): Info {
    const { dy, filter } = args.inputs as { dy: Info; filter: Info };
    const attrs = args.attrs as unknown as ConvAttrs & { inputShape: [number, number, number, number] };
    const backend = args.backend as WasmHeapBackend;
    const [kh, kw, ci, co] = filter.shape as [number, number, number, number];
    const info = tf.backend_util.computeConv2DInfo(
      attrs.inputShape,
      [kh, kw, ci, co],
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
    );
    if (attrs.dataFormat !== 'NHWC' || info.strideHeight !== 1 || info.strideWidth !== 1) return stock(args);
    const { top, left, bottom, right } = info.padInfo;
    const simd = ci % 8 === 0 && dy.dtype === 'float32' && simdKernels(backend) !== null;
    return withTemps(backend, (keep) => {
      // Rotate the filter 180° and swap its in/out channels: [kh, kw, ci, co] -> [kh, kw, co, ci].
      const w = backend.typedArrayFromHeap(filter);
      const rotated = keep(backend.makeOutput([kh, kw, co, ci], 'float32'));
      const r = backend.typedArrayFromHeap(rotated);
      for (let y = 0; y < kh; y++)
        for (let x = 0; x < kw; x++)
          for (let i = 0; i < ci; i++)
            for (let o = 0; o < co; o++)
              r[((y * kw + x) * co + o) * ci + i] =
                w[(((kh - 1 - y) * kw + (kw - 1 - x)) * ci + i) * co + o]!;
      const padded = padSpatial(
        backend,
        dy,
        kh - 1 - top,
        kh - 1 - bottom,
        kw - 1 - left,
        kw - 1 - right,
        keep,
      );
      const [, h, wd] = attrs.inputShape;
      if (simd)
        return convForwardSimd(backend, padded, rotated, {
          outHeight: h,
          outWidth: wd,
          strideHeight: 1,
          strideWidth: 1,
        });
      return wasmKernel('Conv2D')({
        inputs: { x: padded, filter: rotated },
        backend,
        attrs: {
          strides: [1, 1],
          pad: 'valid',
          dataFormat: 'NHWC',
          dilations: [1, 1],
          dimRoundingMode: undefined,
        },
      });
    });
  };
}
