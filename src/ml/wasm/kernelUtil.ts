/** Calling the WASM backend's own kernels from ours, and reading its heap without copies. */
import * as tf from '@tensorflow/tfjs';

export type Info = tf.TensorInfo;
export type KernelFn = (args: {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs?: object;
}) => Info;

/** What tfjs passes to a kernel function. */
export interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs: tf.NamedAttrMap;
}

/** The attributes the conv gradient kernels share. */
export interface ConvAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

export interface WasmHeapBackend extends tf.KernelBackend {
  makeOutput(shape: number[], dtype: tf.DataType): Info;
  typedArrayFromHeap(info: Info): Float32Array;
}

export function wasmKernel(name: string): KernelFn {
  const k = tf.getKernel(name, 'wasm');
  if (!k) throw new Error(`the WASM backend has no ${name} kernel`);
  return k.kernelFunc as unknown as KernelFn;
}

/** Runs `body` with a `keep` that marks intermediate results, which are freed afterwards. */
export function withTemps<T>(backend: tf.KernelBackend, body: (keep: (t: Info) => Info) => T): T {
  const temps: Info[] = [];
  try {
    return body((t) => (temps.push(t), t));
  } finally {
    for (const t of temps) backend.disposeData(t.dataId);
  }
}

/** A zero-padded copy of an NHWC tensor (or the tensor itself when nothing is added). */
export function padSpatial(
  backend: tf.KernelBackend,
  x: Info,
  top: number,
  bottom: number,
  left: number,
  right: number,
  keep: (t: Info) => Info,
): Info {
  if (!top && !bottom && !left && !right) return x;
  return keep(
    wasmKernel('PadV2')({
      inputs: { x },
      backend,
      attrs: {
        paddings: [
          [0, 0],
          [top, bottom],
          [left, right],
          [0, 0],
        ],
        constantValue: 0,
      },
    }),
  );
}
