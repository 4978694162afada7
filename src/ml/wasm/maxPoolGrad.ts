/**
 * The gradient of 2D max pooling on WASM, in one pass over the pooled cells on the backend's heap: each cell's
 * gradient goes to the first maximum of its window, padding excluded, as in TensorFlow. The stock kernel was
 * 19% of a training step here, and with 'same' padding it lets the padding win windows whose values are all
 * negative, dropping their gradient (the unit test has such a case). Dilated pools fall back to it. The study's
 * pools (2x2, stride 2, no padding) with channels in fours go to the lab's SIMD kernel (as/kernels.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { Info, KernelArgs, KernelFn, WasmHeapBackend } from './kernelUtil';
import { heapAddress, simdKernels } from './simdKernels';
import { poolParts, runPooled, splitRange } from './simdPool';

export function makeMaxPoolGrad(stock: KernelFn) {
  return function maxPoolGradWasm(args: KernelArgs): Info {
    const { dy, input } = args.inputs as { dy: Info; input: Info };
    const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as {
      filterSize: [number, number] | number;
      strides: [number, number] | number;
      pad: 'valid' | 'same' | number;
      dimRoundingMode?: 'floor' | 'round' | 'ceil';
    };
    const c = tf.backend_util.computePool2DInfo(
      input.shape as [number, number, number, number],
      filterSize,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    if (c.dilationHeight !== 1 || c.dilationWidth !== 1 || input.dtype !== 'float32') return stock(args);
    const backend = args.backend as WasmHeapBackend;
    const dx = backend.makeOutput(input.shape, 'float32');
    const { batchSize: n, inHeight: h, inWidth: w, inChannels: ch, outHeight: oh, outWidth: ow } = c;
    const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw } = c;
    const { top, left } = c.padInfo;
    const simd = simdKernels(backend);
    // A window reaching past the input ('same' padding on an odd size) is left to the general path.
    const plain2x2 =
      fh === 2 && fw === 2 && sh === 2 && sw === 2 && top === 0 && left === 0 && oh * 2 <= h && ow * 2 <= w;
    if (simd && plain2x2 && ch % 4 === 0 && dy.dtype === 'float32') {
      const at = (t: Info) => heapAddress(backend, t);
      const [image, pooled] = [h * w * ch * 4, oh * ow * ch * 4];
      const parts = splitRange(n, poolParts(n)).map(([start, images]) => [
        at(input) + start * image,
        at(dy) + start * pooled,
        at(dx) + start * image,
        images,
        h,
        w,
        ch,
        oh,
        ow,
      ]);
      if (parts.length > 1) runPooled(simd, 'maxPoolGrad2x2', parts);
      else simd.maxPoolGrad2x2(at(input), at(dy), at(dx), n, h, w, ch, oh, ow);
      return dx;
    }
    // Views are taken after the last allocation: a heap growth would detach them.
    const out = backend.typedArrayFromHeap(dx);
    const x = backend.typedArrayFromHeap(input);
    const g = backend.typedArrayFromHeap(dy);
    out.fill(0);
    const row = w * ch;
    for (let b = 0; b < n; b++) {
      for (let py = 0; py < oh; py++) {
        const y0 = Math.max(0, py * sh - top);
        const y1 = Math.min(h, py * sh - top + fh);
        for (let px = 0; px < ow; px++) {
          const x0 = Math.max(0, px * sw - left);
          const x1 = Math.min(w, px * sw - left + fw);
          const gBase = ((b * oh + py) * ow + px) * ch;
          for (let k = 0; k < ch; k++) {
            let at = -1;
            let best = -Infinity;
            for (let yy = y0; yy < y1; yy++) {
              for (let xx = x0; xx < x1; xx++) {
                const i = b * h * row + yy * row + xx * ch + k;
                if (x[i]! > best || at < 0) {
                  best = x[i]!;
                  at = i;
                }
              }
            }
            if (at >= 0) out[at] = out[at]! + g[gBase + k]!;
          }
        }
      }
    }
    return dx;
  };
}
