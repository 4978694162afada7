/** The control block shared by the SIMD pool and its helpers: one slot of Int32 fields per helper. */
import type { SimdBuild, SimdKernels } from './simdModule';

/**
 * Field offsets in a slot; `ready` is set by the helper once its kernels are instantiated, `build` says which build
 * the call runs (the caller's: 0 SIMD128, 1 relaxed).
 */
export const SLOT = { seq: 0, done: 1, status: 2, kernel: 3, ready: 4, build: 5, args: 6, size: 20 } as const;

export const KERNEL_IDS = {
  convFilterGrad: 1,
  maxPoolGrad2x2: 2,
  convForward: 3,
  adamStep: 4,
  matmul: 5,
} as const;
export type PooledKernel = keyof typeof KERNEL_IDS;

export const BUILD_IDS: Record<SimdBuild, number> = { simd128: 0, relaxed: 1 };

export interface SimdHelperInit {
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  slot: number;
}

/** Runs the call in the slot at `base`: addresses were stored as Int32 and are read back unsigned. */
export function runSlot(kernels: SimdKernels, ctl: Int32Array, base: number): void {
  const a = (i: number) => ctl[base + SLOT.args + i]!;
  const u = (i: number) => a(i) >>> 0;
  switch (ctl[base + SLOT.kernel]) {
    case KERNEL_IDS.convFilterGrad:
      kernels.convFilterGrad(u(0), u(1), u(2), u(3), a(4), a(5), a(6), a(7), a(8), a(9), a(10), a(11));
      return;
    case KERNEL_IDS.maxPoolGrad2x2:
      kernels.maxPoolGrad2x2(u(0), u(1), u(2), a(3), a(4), a(5), a(6), a(7), a(8));
      return;
    case KERNEL_IDS.convForward:
      kernels.convForward(u(0), u(1), u(2), a(3), a(4), a(5), a(6), a(7), a(8), a(9), a(10), a(11), a(12));
      return;
    case KERNEL_IDS.matmul:
      kernels.matmul(u(0), u(1), u(2), a(3), a(4), a(5), a(6));
      return;
    case KERNEL_IDS.adamStep:
      kernels.adamStep(u(0), u(1), u(2), u(3), u(4), u(5), u(6), a(7), u(8));
      return;
    default:
      throw new Error(`unknown kernel ${ctl[base + SLOT.kernel]}`);
  }
}
