/**
 * The lab's SIMD kernels (as/kernels.ts), instantiated on the tfjs WASM backend's own memory so that they read and
 * write tensors where they lie: one instance per memory, and helper threads with shared memory (simdPool.ts).
 */
import type { Info, WasmHeapBackend } from './kernelUtil';
import { instantiateKernels, isShared, simdBuild, type SimdBuild, type SimdKernels } from './simdModule';
import { startSimdPool } from './simdPool';

interface EmscriptenModule {
  wasmMemory?: WebAssembly.Memory;
  asm?: { memory?: WebAssembly.Memory };
}

let cached: { memory: WebAssembly.Memory; kernels: Map<SimdBuild, SimdKernels | null> } | null = null;

/**
 * The kernels on this backend's memory, of the build in use (simdModule.ts), or null where they cannot run (then
 * the callers use tfjs' own).
 */
export function simdKernels(backend: WasmHeapBackend): SimdKernels | null {
  const module = (backend as unknown as { wasm?: EmscriptenModule }).wasm;
  const memory = module?.wasmMemory ?? module?.asm?.memory;
  if (!memory) return null;
  if (cached?.memory !== memory) cached = { memory, kernels: new Map() };
  const build = simdBuild();
  if (cached.kernels.has(build)) return cached.kernels.get(build)!;
  let kernels: SimdKernels | null = null;
  try {
    kernels = instantiateKernels(memory, build);
    if (isShared(memory)) startSimdPool(memory);
  } catch {
    kernels = null;
  }
  cached.kernels.set(build, kernels);
  return kernels;
}

/** A tensor's byte address in the backend's memory. */
export function heapAddress(backend: WasmHeapBackend, t: Info): number {
  return (backend as unknown as { dataIdMap: { get(id: object): { memoryOffset: number } } }).dataIdMap.get(
    t.dataId,
  ).memoryOffset;
}
