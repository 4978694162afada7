/**
 * Hardware-independent counts of what training asks of the device, for bench:train and the tests: reads back
 * to the CPU, bytes of tensor data written from the CPU, and kernel dispatches (on WebGPU, with each program's
 * thread count and the longest multiply-add loop one of its threads runs). The counts come from wrapping the
 * current backend's own entry points, so they see tfjs' kernels and the lab's alike.
 */
import * as tf from '@tensorflow/tfjs';

export interface KernelLaunch {
  name: string;
  threads: number;
  /** The longest serial multiply-add loop one thread runs; null where the program does not say. */
  serialMacsPerThread: number | null;
}

export interface DeviceCounts {
  reads: number;
  uploadBytes: number;
  dispatches: number;
  /** WebGPU only: every program dispatched, in order. */
  launches: KernelLaunch[];
}

interface ProgramLike {
  constructor: { name: string };
  /** Set in each program's constructor; unlike the class name it survives a minifying bundler. */
  shaderKey?: string;
  dispatch?: [number, number, number];
  workgroupSize?: [number, number, number];
  serialMacsPerThread?: number;
}

/**
 * What tfjs' own programs loop over, where the loop is the point: its filter gradient (inputs x and dy) runs one
 * thread per weight over dy's batch × rows × columns.
 */
function stockSerialMacs(p: ProgramLike, inputs: unknown): number | null {
  const dy = (inputs as { shape: number[] }[] | undefined)?.[1];
  if (programName(p) === 'conv2DDerFilter' && dy?.shape.length === 4)
    return dy.shape[0]! * dy.shape[1]! * dy.shape[2]!;
  return null;
}

const programName = (p: ProgramLike) => p.shaderKey?.split('_')[0] || p.constructor.name;

const empty = (): DeviceCounts => ({ reads: 0, uploadBytes: 0, dispatches: 0, launches: [] });

type AnyFn = (...args: unknown[]) => unknown;

/**
 * Starts counting on the current backend; `stop()` restores its methods. `snapshot()` gives the counts so far.
 * One counter at a time.
 */
export function countDevice(): { snapshot(): DeviceCounts; stop(): DeviceCounts } {
  const counts = empty();
  const backend = tf.backend() as unknown as Record<string, AnyFn | unknown>;
  const restore: (() => void)[] = [];
  /** Replaces target[name]; `stop()` puts it back unless the target lives no longer than a submit (a pass). */
  const patch = (
    target: Record<string, unknown>,
    name: string,
    make: (original: AnyFn) => AnyFn,
    shortLived = false,
  ) => {
    const original = target[name] as AnyFn | undefined;
    if (typeof original !== 'function') return;
    const own = Object.prototype.hasOwnProperty.call(target, name);
    target[name] = make(original);
    if (shortLived) return;
    restore.push(() => {
      if (own) target[name] = original;
      else delete target[name];
    });
  };
  const wrap = (
    target: Record<string, unknown>,
    name: string,
    before: (...args: unknown[]) => void,
    shortLived = false,
  ) =>
    patch(
      target,
      name,
      (original) =>
        function (this: unknown, ...args: unknown[]) {
          before(...args);
          return original.apply(this, args);
        },
      shortLived,
    );
  wrap(backend, 'read', () => counts.reads++);
  wrap(backend, 'readSync', () => counts.reads++);
  wrap(backend, 'write', (values) => {
    if (values && ArrayBuffer.isView(values)) counts.uploadBytes += (values as ArrayBufferView).byteLength;
  });
  if (tf.getBackend() === 'webgpu') {
    // Work recorded before now goes to the device first, so every later dispatch is in a pass this counter sees.
    if (backend.commandEncoder) {
      (backend.endComputePassEncoder as AnyFn).call(backend);
      (backend.submitQueue as AnyFn).call(backend);
    }
    wrap(backend, 'runWebGPUProgram', (program, inputs) => {
      const p = program as ProgramLike;
      const d = p.dispatch ?? [0, 0, 0];
      const w = p.workgroupSize ?? [1, 1, 1];
      counts.launches.push({
        name: programName(p),
        threads: d[0] * d[1] * d[2] * w[0] * w[1] * w[2],
        serialMacsPerThread: p.serialMacsPerThread ?? stockSerialMacs(p, inputs),
      });
    });
    // Every compute dispatch, the lab's raw pipelines (fused Adam) included, goes through a pass of the device's.
    const device = backend.device as Record<string, unknown>;
    const countPasses = (encoder: Record<string, unknown>) =>
      patch(
        encoder,
        'beginComputePass',
        (begin) =>
          function (this: unknown, ...args: unknown[]) {
            const pass = begin.apply(this, args) as Record<string, unknown>;
            wrap(pass, 'dispatchWorkgroups', () => counts.dispatches++, true);
            return pass;
          },
        true,
      );
    patch(
      device,
      'createCommandEncoder',
      (create) =>
        function (this: unknown, ...args: unknown[]) {
          const encoder = create.apply(this, args) as Record<string, unknown>;
          countPasses(encoder);
          return encoder;
        },
    );
  } else if (tf.getBackend() === 'webgl') {
    wrap(backend, 'runWebGLProgram', () => counts.dispatches++);
  } else {
    // WASM and CPU: a dispatch is a kernel call.
    wrap(tf.engine() as unknown as Record<string, unknown>, 'runKernelFunc', () => counts.dispatches++);
  }
  const snapshot = (): DeviceCounts => ({ ...counts, launches: [...counts.launches] });
  return {
    snapshot,
    stop() {
      while (restore.length) restore.pop()!();
      return snapshot();
    },
  };
}

/** b − a, for two snapshots of one counter. */
export function countsBetween(a: DeviceCounts, b: DeviceCounts): DeviceCounts {
  return {
    reads: b.reads - a.reads,
    uploadBytes: b.uploadBytes - a.uploadBytes,
    dispatches: b.dispatches - a.dispatches,
    launches: b.launches.slice(a.launches.length),
  };
}
