/**
 * Sums over leading axes on WASM: a conv layer's bias gradient sums dy over batch, height and width. The stock
 * kernel took 215 ms of a 1,295 ms training step for [64, 118, 88, 32] (a product with a row of ones on XNNPACK
 * was no better: a 1-row product runs slowly there). One pass over the heap, into float64 accumulators, takes a
 * fraction of that; the lab's SIMD kernel (as/kernels.ts) a fraction again, where rows come in fours of floats,
 * split over every core.
 * Other reductions go to the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { Info, KernelArgs, KernelFn, WasmHeapBackend } from './kernelUtil';
import { heapAddress, simdKernels } from './simdKernels';
import { poolParts, runPooled, splitRange } from './simdPool';

/** Below this many floats a sum stays on this thread. */
const MIN_POOLED = 1 << 14;

export function makeSum(stock: KernelFn) {
  return function sumWasm(args: KernelArgs): Info {
    const { x } = args.inputs as { x: Info };
    const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
    const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
    const leading = axes.length > 0 && axes.length < x.shape.length && axes.every((a, i) => a === i);
    if (!leading || x.dtype !== 'float32') return stock(args);
    const outer = x.shape.slice(0, axes.length).reduce((a, b) => a * b, 1);
    const rest = x.shape.slice(axes.length);
    const inner = rest.reduce((a, b) => a * b, 1);
    const backend = args.backend as WasmHeapBackend;
    const result = backend.makeOutput(keepDims ? [...axes.map(() => 1), ...rest] : rest, 'float32');
    const simd = simdKernels(backend);
    if (simd && inner % 4 === 0) {
      // Over every core: each part sums its rows into a row of its own (float64 inside), then the parts' rows.
      const parts = splitRange(outer, outer * inner >= MIN_POOLED ? poolParts(outer) : 1);
      const split = parts.length > 1;
      const acc64 = backend.makeOutput([parts.length, inner * 2], 'float32');
      const partials = split ? backend.makeOutput([parts.length, inner], 'float32') : result;
      const at = (t: Info) => heapAddress(backend, t);
      const calls = parts.map(([start, rows], k) => [
        at(x) + start * inner * 4,
        at(partials) + k * inner * 4,
        at(acc64) + k * inner * 8,
        rows,
        inner,
      ]);
      if (split) {
        runPooled(simd, 'sumRows', calls);
        simd.sumRows(at(partials), at(result), at(acc64), parts.length, inner);
        backend.disposeData(partials.dataId);
      } else simd.sumRows(at(x), at(result), at(acc64), outer, inner);
      backend.disposeData(acc64.dataId);
      return result;
    }
    // Views are taken after the last allocation: a heap growth would detach them.
    const src = backend.typedArrayFromHeap(x);
    const dst = backend.typedArrayFromHeap(result);
    const acc = new Float64Array(inner);
    for (let o = 0; o < outer; o++) {
      const base = o * inner;
      for (let i = 0; i < inner; i++) acc[i] = acc[i]! + src[base + i]!;
    }
    dst.set(acc);
    return result;
  };
}
