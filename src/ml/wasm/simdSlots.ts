/**
 * The control block shared by the SIMD pool and its helpers (simdPool.ts): one call at a time, cut into parts that
 * every thread claims one by one from a shared counter, so that a thread the OS has paused (another program on
 * its core) leaves its share to the others instead of holding up the call.
 */
import type { SimdBuild, SimdKernels } from './simdModule';

/**
 * Int32 fields: `seq` counts calls (helpers wait on it), `next` is the next part to claim (`IDLE` between calls),
 * `count` the call's parts, `completed` the parts finished, `failed` set by a part that threw, `kernel` and
 * `build` (the caller's: 0 SIMD128, 1 relaxed) say what to run, `helperParts` counts the parts helpers ran;
 * `ready` + slot is set by each helper once its
 * kernels are instantiated; each part's arguments start at `parts` + part × `partArgs`.
 */
export const CTL = {
  seq: 0,
  next: 1,
  count: 2,
  completed: 3,
  failed: 4,
  kernel: 5,
  build: 6,
  helperParts: 7,
  ready: 8,
  parts: 16,
  partArgs: 16,
  maxParts: 32,
} as const;
export const CONTROL_INTS = CTL.parts + CTL.partArgs * CTL.maxParts;
/** `next` between calls: far above any part, so that a helper waking late claims nothing. */
export const IDLE = 1 << 30;

export const KERNEL_IDS = {
  convFilterGrad: 1,
  maxPoolGrad2x2: 2,
  convForward: 3,
  adamStep: 4,
  matmul: 5,
  maxPool2x2: 6,
  elementwise: 7,
  sumRows: 8,
  reluBiasGrad: 9,
} as const;
export type PooledKernel = keyof typeof KERNEL_IDS;

export const BUILD_IDS: Record<SimdBuild, number> = { simd128: 0, relaxed: 1 };

export interface SimdHelperInit {
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  slot: number;
}

/** Runs part `part` of the current call: addresses were stored as Int32 and are read back unsigned. */
export function runPart(kernels: SimdKernels, ctl: Int32Array, part: number): void {
  const base = CTL.parts + part * CTL.partArgs;
  const a = (i: number) => ctl[base + i]!;
  const u = (i: number) => a(i) >>> 0;
  switch (ctl[CTL.kernel]) {
    case KERNEL_IDS.convFilterGrad:
      kernels.convFilterGrad(u(0), u(1), u(2), u(3), a(4), a(5), a(6), a(7), a(8), a(9), a(10), a(11));
      return;
    case KERNEL_IDS.maxPoolGrad2x2:
      kernels.maxPoolGrad2x2(u(0), u(1), u(2), a(3), a(4), a(5), a(6), a(7), a(8));
      return;
    case KERNEL_IDS.reluBiasGrad:
      kernels.reluBiasGrad(u(0), u(1), u(2), u(3), u(4), u(5), a(6), a(7));
      return;
    case KERNEL_IDS.sumRows:
      kernels.sumRows(u(0), u(1), u(2), a(3), a(4));
      return;
    case KERNEL_IDS.elementwise:
      kernels.elementwise(a(0), u(1), u(2), u(3), a(4), a(5), a(6));
      return;
    case KERNEL_IDS.maxPool2x2:
      kernels.maxPool2x2(u(0), u(1), a(2), a(3), a(4), a(5), a(6), a(7));
      return;
    case KERNEL_IDS.convForward:
      kernels.convForward(
        u(0),
        u(1),
        u(2),
        a(3),
        a(4),
        a(5),
        a(6),
        a(7),
        a(8),
        a(9),
        a(10),
        a(11),
        a(12),
        u(13),
        a(14),
      );
      return;
    case KERNEL_IDS.matmul:
      kernels.matmul(u(0), u(1), u(2), a(3), a(4), a(5), a(6));
      return;
    case KERNEL_IDS.adamStep:
      kernels.adamStep(u(0), u(1), u(2), u(3), u(4), u(5), u(6), a(7), u(8));
      return;
    default:
      throw new Error(`unknown kernel ${ctl[CTL.kernel]}`);
  }
}

/**
 * Claims and runs parts of the current call until none is left (the caller and every helper do this); `kernelsOf`
 * gives the kernels of a build id.
 */
export function claimParts(
  ctl: Int32Array,
  kernelsOf: (build: number) => SimdKernels,
  helper: boolean,
): void {
  for (;;) {
    const part = Atomics.add(ctl, CTL.next, 1);
    if (part >= Atomics.load(ctl, CTL.count)) return;
    try {
      runPart(kernelsOf(ctl[CTL.build]!), ctl, part);
    } catch {
      Atomics.store(ctl, CTL.failed, 1);
    }
    if (helper) Atomics.add(ctl, CTL.helperParts, 1);
    Atomics.add(ctl, CTL.completed, 1);
    Atomics.notify(ctl, CTL.completed);
  }
}
