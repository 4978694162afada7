/**
 * The element-wise kernels of a conv net's training step on the lab's SIMD kernel (as/kernels.ts `elementwise`),
 * split over every core: a bias add and ReLU forward, and the ReLU gradient (Step, then a Multiply with dy)
 * backward, as tfjs' layers run them (the lab's conv layers train fused instead: trainingForward.ts). tfjs' own run on one thread (XNNPACK, or a scalar loop for Step): 10% of the small model's
 * step. Small tensors, other dtypes and other broadcasts go to the stock kernels.
 */
import type { Info, KernelArgs, KernelFn, WasmHeapBackend } from './kernelUtil';
import { heapAddress, simdKernels } from './simdKernels';
import { poolParts, runPooled, splitRange } from './simdPool';

const OPS = { Relu: 0, Step: 1, Multiply: 2, Add: 3 } as const;
const BIAS_ADD = 4;

/** Below this many floats a call is not worth the trip (tfjs' kernels are as fast on a small tensor). */
const MIN_FLOATS = 1 << 14;

const sameShape = (a: Info, b: Info) =>
  a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
/** b is one row of a's last axis ([c] or [1, …, 1, c]). */
const isRowOf = (b: Info, a: Info) => {
  const c = a.shape[a.shape.length - 1]!;
  return (
    b.shape.length <= a.shape.length && b.shape.every((d, i) => d === (i === b.shape.length - 1 ? c : 1))
  );
};
const floatBits = (v: number) => new Int32Array(new Float32Array([v]).buffer)[0]!;

function run(backend: WasmHeapBackend, op: number, a: Info, b: Info | null, alpha = 0): Info {
  const kernels = simdKernels(backend)!;
  const y = backend.makeOutput(a.shape, 'float32');
  const at = (t: Info) => heapAddress(backend, t);
  const size = a.shape.reduce((p, d) => p * d, 1);
  const c = a.shape[a.shape.length - 1]!;
  const bits = floatBits(alpha);
  // Bias add: parts of whole rows; the others: parts of whole vectors (four floats), the last with the tail.
  const units = op === BIAS_ADD ? size / c : Math.ceil(size / 4);
  const unitBytes = op === BIAS_ADD ? c * 4 : 16;
  const parts = splitRange(units, poolParts(units)).map(([start, count], k, all) => {
    const offset = start * unitBytes;
    const n = op === BIAS_ADD ? count : k === all.length - 1 ? size - start * 4 : count * 4;
    const bAt = b ? at(b) + (op === BIAS_ADD ? 0 : offset) : 0;
    return [op, at(a) + offset, bAt, at(y) + offset, n, c, bits];
  });
  if (parts.length > 1) runPooled(kernels, 'elementwise', parts);
  else kernels.elementwise(op, at(a), b ? at(b) : 0, at(y), op === BIAS_ADD ? size / c : size, c, bits);
  return y;
}

const big = (t: Info) => t.dtype === 'float32' && t.shape.reduce((p, d) => p * d, 1) >= MIN_FLOATS;

/** Relu and Step (one input, x). */
export function makeUnary(name: 'Relu' | 'Step', stock: KernelFn) {
  return function unaryWasm(args: KernelArgs): Info {
    const { x } = args.inputs as { x: Info };
    const backend = args.backend as WasmHeapBackend;
    if (!big(x) || !simdKernels(backend)) return stock(args);
    const alpha = name === 'Step' ? ((args.attrs as { alpha?: number }).alpha ?? 0) : 0;
    return run(backend, OPS[name], x, null, alpha);
  };
}

/** Multiply and Add of two float32 tensors of one shape; Add also with a bias row on either side. */
export function makeBinary(name: 'Multiply' | 'Add', stock: KernelFn) {
  return function binaryWasm(args: KernelArgs): Info {
    const { a, b } = args.inputs as { a: Info; b: Info };
    const backend = args.backend as WasmHeapBackend;
    if (a.dtype !== 'float32' || b.dtype !== 'float32' || !simdKernels(backend)) return stock(args);
    if (sameShape(a, b)) return big(a) ? run(backend, OPS[name], a, b) : stock(args);
    if (name !== 'Add') return stock(args);
    // a + bias or bias + a: the same floats either way.
    const [full, row] = isRowOf(b, a) ? [a, b] : isRowOf(a, b) ? [b, a] : [null, null];
    if (!full || !row || !big(full) || full.shape[full.shape.length - 1]! % 4 !== 0) return stock(args);
    return run(backend, BIAS_ADD, full, row);
  };
}
