/**
 * The lab's SIMD kernels on every core WASM runs on. tfjs' threads are XNNPACK's and cannot take our work, so with
 * shared memory (tfjs' threaded build) the training worker starts helpers of its own: each instantiates the
 * kernels on the same memory and waits on a shared control block (simdSlots.ts). A pooled call is cut into more
 * parts than there are threads; this thread and the helpers claim them one at a time, and this thread blocks
 * (Atomics.wait, allowed in a worker) until all are done. A helper that is late (its core busy with another
 * program) leaves its parts to the others: the call never waits for a thread that has not started on it.
 */
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { buildOf, type SimdKernels } from './simdModule';
import {
  BUILD_IDS,
  claimParts,
  CONTROL_INTS,
  CTL,
  IDLE,
  KERNEL_IDS,
  type PooledKernel,
  type SimdHelperInit,
} from './simdSlots';

interface Pool {
  control: Int32Array;
  helpers: number;
  broken: boolean;
}

let pool: Pool | null = null;

/** How long the other threads may take to finish their parts before the pool is given up (a call takes < 1 s). */
const HELPER_TIMEOUT_MS = 30_000;
/** Parts per thread: small enough that a late thread's share is soon taken, large enough to keep each kernel's
 * blocking (a filter gradient also adds up one partial sum per part). */
const PARTS_PER_THREAD = 4;

const inWorker = () =>
  typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined' &&
  typeof Worker !== 'undefined';

let helpersWanted = true;

/** Whether pooled calls may use helper threads (bench:train's --no-helpers measures what they bring). */
export function allowSimdHelpers(on: boolean): void {
  helpersWanted = on;
}

export function startSimdPool(memory: WebAssembly.Memory): void {
  if (pool || !helpersWanted || !inWorker()) return;
  let threads = 1;
  try {
    threads = getThreadsCount();
  } catch {
    return;
  }
  const helpers = Math.min(7, threads - 1);
  if (helpers < 1) return;
  const control = new SharedArrayBuffer(CONTROL_INTS * 4);
  const current: Pool = { control: new Int32Array(control), helpers, broken: false };
  current.control[CTL.next] = IDLE;
  pool = current;
  for (let slot = 0; slot < helpers; slot++) {
    const worker = new Worker(new URL('./simdHelper.worker.ts', import.meta.url), {
      type: 'module',
      name: `simd-helper-${slot}`,
    });
    worker.onerror = () => void (current.broken = true);
    const init: SimdHelperInit = { memory, control, slot };
    worker.postMessage(init);
  }
}

/** The helpers that have started (they say so in the control block: no message has to wait for this thread). */
function readyHelpers(p: Pool): number {
  let ready = 0;
  for (let slot = 0; slot < p.helpers; slot++) ready += Atomics.load(p.control, CTL.ready + slot);
  return ready;
}

const usable = (p: Pool | null): p is Pool => !!p && helpersWanted && !p.broken;

/** The threads a pooled call runs on now: this one and every ready helper. */
export function poolWidth(): number {
  return usable(pool) ? 1 + readyHelpers(pool) : 1;
}

/**
 * Resolves once every helper has started (or the pool has failed, or `timeoutMs` passed), letting this worker's
 * event loop run meanwhile: a helper's script loads only while its parent is idle, and a run that starts before
 * would train its first seconds on one thread.
 */
export async function simdHelpersStarted(timeoutMs = 3000): Promise<number> {
  const until = performance.now() + timeoutMs;
  while (pool && usable(pool) && readyHelpers(pool) < pool.helpers && performance.now() < until)
    await new Promise((resolve) => setTimeout(resolve, 10));
  return poolWidth();
}

/** The parts of pooled calls that helper threads have run so far (the browser check shows they took work). */
export function helperPartsRun(): number {
  return pool ? Atomics.load(pool.control, CTL.helperParts) : 0;
}

/** How many parts to cut `items` (images, rows, blocks) into for a pooled call: 1 without helpers. */
export function poolParts(items: number): number {
  const width = poolWidth();
  return width === 1 ? 1 : Math.max(1, Math.min(items, width * PARTS_PER_THREAD, CTL.maxParts));
}

/**
 * Runs `parts` (argument lists of one kernel, at most CTL.maxParts) on this thread and the ready helpers, each
 * part on whichever thread claims it first. Addresses may exceed 2^31: they travel as Int32 and are read back
 * unsigned.
 */
export function runPooled(kernels: SimdKernels, kernel: PooledKernel, parts: number[][]): void {
  const p = pool;
  if (!usable(p)) throw new Error('the SIMD pool is not running');
  if (parts.length > CTL.maxParts) throw new Error(`a pooled call takes at most ${CTL.maxParts} parts`);
  const ctl = p.control;
  ctl[CTL.kernel] = KERNEL_IDS[kernel];
  ctl[CTL.build] = BUILD_IDS[buildOf(kernels)];
  parts.forEach((args, k) => args.forEach((v, i) => (ctl[CTL.parts + k * CTL.partArgs + i] = v | 0)));
  Atomics.store(ctl, CTL.count, parts.length);
  Atomics.store(ctl, CTL.completed, 0);
  Atomics.store(ctl, CTL.failed, 0);
  Atomics.store(ctl, CTL.next, 0); // the parts are open to claims from here
  Atomics.add(ctl, CTL.seq, 1);
  Atomics.notify(ctl, CTL.seq);
  claimParts(ctl, () => kernels, false);
  try {
    for (
      let done = Atomics.load(ctl, CTL.completed);
      done < parts.length;
      done = Atomics.load(ctl, CTL.completed)
    )
      if (Atomics.wait(ctl, CTL.completed, done, HELPER_TIMEOUT_MS) === 'timed-out') {
        p.broken = true;
        throw new Error(
          'A WASM helper thread stopped answering; training continues on one thread after a resume.',
        );
      }
  } finally {
    Atomics.store(ctl, CTL.next, IDLE);
  }
  if (ctl[CTL.failed] !== 0) {
    p.broken = true;
    throw new Error(
      'A WASM kernel failed on a helper thread; training continues on one thread after a resume.',
    );
  }
}

/** Splits `n` items into `parts` contiguous ranges as even as can be: [start, count] each, empty ones dropped. */
export function splitRange(n: number, parts: number): [number, number][] {
  const out: [number, number][] = [];
  for (let k = 0, start = 0; k < parts; k++) {
    const count = Math.floor(n / parts) + (k < n % parts ? 1 : 0);
    if (count) out.push([start, count]);
    start += count;
  }
  return out;
}
