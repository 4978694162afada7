/**
 * Threads for tfjs's WASM backend in the bundled lab. Two things in tfjs 4.22 hold it at one thread:
 *
 * 1. Its pthread workers load the module from a blob made of `factory.toString()`. Once bundled and minified,
 *    that text refers to names outside the function ("e is not defined") and every pthread worker fails
 *    (tensorflow/tfjs#4107). The factory is given the text of the original Emscripten file instead.
 * 2. Its C++ caps the pool at navigator.hardwareConcurrency / 2, assuming two hyper-threads per core, and reads it
 *    once, when the module starts: one thread on a 2-core machine. The worker reports twice the wanted count
 *    while the module starts, and its own count again afterwards.
 *
 * Needs cross-origin isolation (SharedArrayBuffer); without it tfjs loads its single-threaded build.
 */
import * as threadedModule from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js';
import threadedSource from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js?raw';

const PREFIX = /^\s*var WasmBackendModuleThreadedSimd = /;
let patched = false;

function patchPthreadScript(): void {
  if (patched) return;
  patched = true;
  const ns = threadedModule as unknown as { default?: object };
  const factory = ns.default ?? ns;
  // tfjs writes `var WasmBackendModuleThreadedSimd = ${factory.toString()}` into the blob; this makes it the file.
  const body = PREFIX.test(threadedSource) ? threadedSource.replace(PREFIX, '') : null;
  if (body) Object.defineProperty(factory, 'toString', { value: () => body, configurable: true });
}

/** The threads WASM can use in this context: every core when cross-origin isolated, at most 8 (tfjs' pool). */
export function availableWasmThreads(): number {
  if (!globalThis.crossOriginIsolated) return 1;
  return Math.max(1, Math.min(8, globalThis.navigator?.hardwareConcurrency || 1));
}

/** Runs `start` (which must start the WASM backend) so that tfjs creates a pool of `threads` threads. */
export async function withWasmThreads<T>(threads: number, start: () => Promise<T>): Promise<T> {
  if (threads <= 1) return start();
  patchPthreadScript();
  const nav = globalThis.navigator;
  try {
    Object.defineProperty(nav, 'hardwareConcurrency', { value: threads * 2, configurable: true });
  } catch {
    return start(); // a browser that will not let us: tfjs' own cap applies (fewer threads, still correct)
  }
  try {
    return await start();
  } finally {
    delete (nav as unknown as { hardwareConcurrency?: number }).hardwareConcurrency;
  }
}
