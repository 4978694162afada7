/**
 * The lab's SIMD kernels on every core WASM runs on. tfjs' threads are XNNPACK's and cannot take our work, so with
 * shared memory (tfjs' threaded build) the training worker starts helpers of its own: each instantiates the
 * kernels on the same memory and waits on a slot of a shared control block. A pooled call splits its images
 * between this thread and the ready helpers, and blocks (Atomics.wait, allowed in a worker) until all are done.
 */
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { buildOf, type SimdKernels } from './simdModule';
import { BUILD_IDS, KERNEL_IDS, runSlot, SLOT, type PooledKernel, type SimdHelperInit } from './simdSlots';

interface Pool {
  control: Int32Array;
  helpers: number;
  broken: boolean;
}

let pool: Pool | null = null;

/** How long a helper may take before the pool is given up (a kernel call takes well under a second). */
const HELPER_TIMEOUT_MS = 30_000;

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
  const control = new SharedArrayBuffer(helpers * SLOT.size * 4);
  const current: Pool = {
    control: new Int32Array(control),
    helpers,
    broken: false,
  };
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
function readySlots(p: Pool): number[] {
  const out: number[] = [];
  for (let slot = 0; slot < p.helpers; slot++)
    if (Atomics.load(p.control, slot * SLOT.size + SLOT.ready) === 1) out.push(slot);
  return out;
}

/** How many parts a pooled call is split into now: this thread and every ready helper. */
export function poolWidth(): number {
  return pool && helpersWanted && !pool.broken ? 1 + readySlots(pool).length : 1;
}

/**
 * Runs `parts` (argument lists of one kernel) in parallel: the first here, the others on ready helpers (at most
 * poolWidth() parts). Addresses may exceed 2^31: they travel as Int32 and are read back unsigned.
 */
export function runPooled(kernels: SimdKernels, kernel: PooledKernel, parts: number[][]): void {
  const p = pool;
  const slots = p ? readySlots(p).slice(0, parts.length - 1) : [];
  if (!p || p.broken || slots.length < parts.length - 1)
    throw new Error('the SIMD pool has fewer helpers than parts');
  const ctl = p.control;
  const seqs = slots.map((slot, k) => {
    const base = slot * SLOT.size;
    ctl[base + SLOT.kernel] = KERNEL_IDS[kernel];
    ctl[base + SLOT.build] = BUILD_IDS[buildOf(kernels)];
    parts[k + 1]!.forEach((v, i) => (ctl[base + SLOT.args + i] = v | 0));
    const seq = Atomics.add(ctl, base + SLOT.seq, 1) + 1;
    Atomics.notify(ctl, base + SLOT.seq);
    return seq;
  });
  const local = new Int32Array(SLOT.size);
  local[SLOT.kernel] = KERNEL_IDS[kernel];
  parts[0]!.forEach((v, i) => (local[SLOT.args + i] = v | 0));
  runSlot(kernels, local, 0);
  slots.forEach((slot, k) => {
    const base = slot * SLOT.size;
    for (
      let done = Atomics.load(ctl, base + SLOT.done);
      done !== seqs[k];
      done = Atomics.load(ctl, base + SLOT.done)
    ) {
      if (Atomics.wait(ctl, base + SLOT.done, done, HELPER_TIMEOUT_MS) === 'timed-out') {
        p.broken = true;
        throw new Error(
          'A WASM helper thread stopped answering; training continues on one thread after a resume.',
        );
      }
    }
    if (ctl[base + SLOT.status] !== 0) {
      p.broken = true;
      throw new Error('A WASM helper thread failed; training continues on one thread after a resume.');
    }
  });
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
