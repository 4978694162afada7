/**
 * The lab's SIMD kernels (as/kernels.ts) as a WebAssembly module on a given memory: tfjs' single-threaded build has
 * plain memory, its threaded build shared memory, and each needs the module compiled for it.
 */
import { KERNELS_PLAIN, KERNELS_SHARED } from './kernelsWasm';

export interface SimdKernels {
  convFilterGrad(
    x: number,
    dy: number,
    dw: number,
    taps: number,
    tapBlocks: number,
    n: number,
    ho: number,
    wo: number,
    co: number,
    xImageBytes: number,
    xRowStepBytes: number,
    xColStepBytes: number,
  ): void;
  transpose2d(src: number, dst: number, batch: number, rows: number, cols: number): void;
  sumRows(src: number, dst: number, acc64: number, outer: number, inner: number): void;
  maxPoolGrad2x2(
    x: number,
    dy: number,
    dx: number,
    n: number,
    h: number,
    w: number,
    c: number,
    oh: number,
    ow: number,
  ): void;
}

const bytesOf = (base64: string) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));

export const isShared = (memory: WebAssembly.Memory) =>
  typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;

/** The kernels on a memory (the module compiled for plain or shared memory); throws where they cannot run. */
export function instantiateKernels(memory: WebAssembly.Memory): SimdKernels {
  // 1 KB: small enough to compile synchronously anywhere, the main thread included.
  const wasm = new WebAssembly.Module(bytesOf(isShared(memory) ? KERNELS_SHARED : KERNELS_PLAIN));
  return new WebAssembly.Instance(wasm, { env: { memory } }).exports as unknown as SimdKernels;
}
