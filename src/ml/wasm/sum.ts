/**
 * Sums over leading axes on WASM: a conv layer's bias gradient sums dy over batch, height and width. The stock
 * kernel took 215 ms of a 1,295 ms training step for [64, 118, 88, 32] (a product with a row of ones on XNNPACK
 * was no better: a 1-row product runs slowly there). One pass over the heap, into float64 accumulators, takes a
 * fraction of that; the lab's SIMD kernel (as/kernels.ts) a fraction again, where rows come in fours of floats.
 * Other reductions go to the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { Info, KernelArgs, KernelFn, WasmHeapBackend } from './kernelUtil';
import { heapAddress, simdKernels } from './simdKernels';

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
      const acc64 = backend.makeOutput([inner * 2], 'float32');
      simd.sumRows(
        heapAddress(backend, x),
        heapAddress(backend, result),
        heapAddress(backend, acc64),
        outer,
        inner,
      );
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
