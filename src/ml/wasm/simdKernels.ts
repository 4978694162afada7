/**
 * The lab's SIMD kernels (as/kernels.ts), instantiated on the tfjs WASM backend's own memory so that they read and
 * write tensors where they lie. One instance per memory: tfjs' single-threaded build has plain memory, its threaded
 * build shared memory, and each needs the module compiled for it.
 */
import type { Info, WasmHeapBackend } from './kernelUtil';
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

interface EmscriptenModule {
  wasmMemory?: WebAssembly.Memory;
  asm?: { memory?: WebAssembly.Memory };
}

let cached: { memory: WebAssembly.Memory; kernels: SimdKernels | null } | null = null;

const bytesOf = (base64: string) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));

/** The kernels on this backend's memory, or null where they cannot run (then the callers use tfjs' own). */
export function simdKernels(backend: WasmHeapBackend): SimdKernels | null {
  const module = (backend as unknown as { wasm?: EmscriptenModule }).wasm;
  const memory = module?.wasmMemory ?? module?.asm?.memory;
  if (!memory) return null;
  if (cached?.memory === memory) return cached.kernels;
  let kernels: SimdKernels | null = null;
  try {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    // 1 KB: small enough to compile synchronously anywhere, the main thread included.
    const wasm = new WebAssembly.Module(bytesOf(shared ? KERNELS_SHARED : KERNELS_PLAIN));
    kernels = new WebAssembly.Instance(wasm, { env: { memory } }).exports as unknown as SimdKernels;
  } catch {
    kernels = null;
  }
  cached = { memory, kernels };
  return kernels;
}

/** A tensor's byte address in the backend's memory. */
export function heapAddress(backend: WasmHeapBackend, t: Info): number {
  return (backend as unknown as { dataIdMap: { get(id: object): { memoryOffset: number } } }).dataIdMap.get(
    t.dataId,
  ).memoryOffset;
}
