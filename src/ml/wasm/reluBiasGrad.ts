/**
 * LabReluBiasGrad, the lab's own kernel: a conv layer's ReLU gradient and its bias gradient in one pass, for the
 * fused conv layer's gradient (trainingForward.ts). Inputs dy and the layer's output y (NHWC, one shape); outputs
 * dx = dy where y > 0, else 0 (y's NaN kept), which is tfjs' dy · step(y), and db = dx summed over every axis but
 * the last. tfjs runs a Step, a Multiply and a Sum for this: three passes over the biggest tensors of the step, here
 * one, on the lab's SIMD kernel (as/kernels.ts `reluBiasGrad`) split over every core, each part summing its rows
 * into a row of its own. Without the SIMD kernels (or channels not in fours), the same from the backend's kernels.
 */
import { wasmKernel, withTemps, type Info, type KernelArgs, type WasmHeapBackend } from './kernelUtil';
import { heapAddress, simdKernels } from './simdKernels';
import { poolParts, runPooled, splitRange } from './simdPool';

export const RELU_BIAS_GRAD = 'LabReluBiasGrad';

const sameShape = (a: Info, b: Info) =>
  a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);

export function reluBiasGradWasm(args: KernelArgs): Info[] {
  const { dy, y } = args.inputs as { dy: Info; y: Info };
  const backend = args.backend as WasmHeapBackend;
  const c = y.shape[y.shape.length - 1]!;
  const rows = y.shape.slice(0, -1).reduce((a, b) => a * b, 1);
  const kernels = simdKernels(backend);
  if (!kernels || c % 4 !== 0 || dy.dtype !== 'float32' || y.dtype !== 'float32' || !sameShape(dy, y))
    return withTemps(backend, (keep) => {
      const step = keep(wasmKernel('Step')({ inputs: { x: y }, backend, attrs: { alpha: 0 } }));
      const dx = wasmKernel('Multiply')({ inputs: { a: dy, b: step }, backend, attrs: {} });
      const axis = y.shape.slice(0, -1).map((_, i) => i);
      return [dx, wasmKernel('Sum')({ inputs: { x: dx }, backend, attrs: { axis, keepDims: false } })];
    });
  const dx = backend.makeOutput(y.shape, 'float32');
  const db = backend.makeOutput([c], 'float32');
  const parts = splitRange(rows, poolParts(rows));
  const split = parts.length > 1;
  // Per part: a row of sums, c floats of scratch and c doubles of totals.
  const partials = split ? backend.makeOutput([parts.length, c], 'float32') : db;
  const scratch = backend.makeOutput([parts.length, c * 3], 'float32');
  const at = (t: Info) => heapAddress(backend, t);
  const calls = parts.map(([start, count], k) => [
    at(dy) + start * c * 4,
    at(y) + start * c * 4,
    at(dx) + start * c * 4,
    at(partials) + k * c * 4,
    at(scratch) + k * c * 12,
    at(scratch) + k * c * 12 + c * 4,
    count,
    c,
  ]);
  if (split) {
    runPooled(kernels, 'reluBiasGrad', calls);
    kernels.sumRows(at(partials), at(db), at(scratch), parts.length, c);
    backend.disposeData(partials.dataId);
  } else {
    const [g, out, d, sums, acc32, acc64] = calls[0]!;
    kernels.reluBiasGrad(g!, out!, d!, sums!, acc32!, acc64!, rows, c);
  }
  backend.disposeData(scratch.dataId);
  return [dx, db];
}
