/**
 * A helper thread for the lab's SIMD kernels (see simdPool.ts): it instantiates them on the shared WASM memory,
 * then, at every call posted in the control block, claims and runs parts of it (in the caller's build) until none
 * is left.
 */
import { BUILD_IDS, claimParts, CTL, type SimdHelperInit } from './simdSlots';
import { instantiateKernels, simdBuild, type SimdBuild, type SimdKernels } from './simdModule';

self.onmessage = (e: MessageEvent<SimdHelperInit>) => {
  const { memory, control, slot } = e.data;
  const instances = new Map<number, SimdKernels>();
  const kernelsOf = (id: number) => {
    let k = instances.get(id);
    if (!k) {
      const build = (Object.keys(BUILD_IDS) as SimdBuild[]).find((b) => BUILD_IDS[b] === id)!;
      instances.set(id, (k = instantiateKernels(memory, build)));
    }
    return k;
  };
  kernelsOf(BUILD_IDS[simdBuild()]);
  const ctl = new Int32Array(control);
  Atomics.store(ctl, CTL.ready + slot, 1);
  for (let seen = Atomics.load(ctl, CTL.seq); ;) {
    Atomics.wait(ctl, CTL.seq, seen);
    seen = Atomics.load(ctl, CTL.seq);
    claimParts(ctl, kernelsOf, true);
  }
};
