/**
 * Transposes of the last two axes on WASM (what the matrix products here ask for), by the lab's SIMD kernel where
 * both are multiples of four: 4x4 tiles in registers instead of tfjs' one float at a time. Others: the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { Info, KernelArgs, KernelFn, WasmHeapBackend } from './kernelUtil';
import { heapAddress, simdKernels } from './simdKernels';

export function makeTranspose(stock: KernelFn) {
  return function transposeWasm(args: KernelArgs): Info {
    const { x } = args.inputs as { x: Info };
    const { perm } = args.attrs as unknown as { perm: number[] };
    const r = x.shape.length;
    const swapsLastTwo = r >= 2 && perm.every((p, i) => p === (i < r - 2 ? i : i === r - 2 ? r - 1 : r - 2));
    const rows = x.shape[r - 2]!;
    const cols = x.shape[r - 1]!;
    const backend = args.backend as WasmHeapBackend;
    const simd = simdKernels(backend);
    if (!simd || !swapsLastTwo || x.dtype !== 'float32' || rows % 4 || cols % 4) return stock(args);
    const shape = [...x.shape.slice(0, r - 2), cols, rows];
    const out = backend.makeOutput(shape, 'float32');
    const batch = tf.util.sizeFromShape(x.shape.slice(0, r - 2));
    simd.transpose2d(heapAddress(backend, x), heapAddress(backend, out), batch, rows, cols);
    return out;
  };
}
