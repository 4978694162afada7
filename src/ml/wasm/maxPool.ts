/**
 * 2D max pooling on WASM: the study's pools (2x2, stride 2, no padding, channels in fours) on the lab's SIMD kernel
 * (as/kernels.ts), split over every core; tfjs' own (XNNPACK, one thread here) took 5–7% of the small model's step.
 * Other pools, and windows that would reach past the input ('same' padding on an odd size), go to the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { Info, KernelArgs, KernelFn, WasmHeapBackend } from './kernelUtil';
import { heapAddress, simdKernels } from './simdKernels';
import { poolParts, runPooled, splitRange } from './simdPool';

export function makeMaxPool(stock: KernelFn) {
  return function maxPoolWasm(args: KernelArgs): Info {
    const { x } = args.inputs as { x: Info };
    const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as {
      filterSize: [number, number] | number;
      strides: [number, number] | number;
      pad: 'valid' | 'same' | number;
      dimRoundingMode?: 'floor' | 'round' | 'ceil';
    };
    const backend = args.backend as WasmHeapBackend;
    const simd = x.dtype === 'float32' && x.shape.length === 4 ? simdKernels(backend) : null;
    if (!simd) return stock(args);
    const c = tf.backend_util.computePool2DInfo(
      x.shape as [number, number, number, number],
      filterSize,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const { batchSize: n, inHeight: h, inWidth: w, inChannels: ch, outHeight: oh, outWidth: ow } = c;
    const plain2x2 =
      c.filterHeight === 2 &&
      c.filterWidth === 2 &&
      c.strideHeight === 2 &&
      c.strideWidth === 2 &&
      c.dilationHeight === 1 &&
      c.dilationWidth === 1 &&
      c.padInfo.top === 0 &&
      c.padInfo.left === 0 &&
      oh * 2 <= h &&
      ow * 2 <= w;
    if (!plain2x2 || ch % 4 !== 0 || n * oh * ow === 0) return stock(args);
    const y = backend.makeOutput([n, oh, ow, ch], 'float32');
    const at = (t: Info) => heapAddress(backend, t);
    const [image, pooled] = [h * w * ch * 4, oh * ow * ch * 4];
    const parts = splitRange(n, poolParts(n)).map(([start, images]) => [
      at(x) + start * image,
      at(y) + start * pooled,
      images,
      h,
      w,
      ch,
      oh,
      ow,
    ]);
    if (parts.length > 1) runPooled(simd, 'maxPool2x2', parts);
    else simd.maxPool2x2(at(x), at(y), n, h, w, ch, oh, ow);
    return y;
  };
}
