/**
 * A helper thread for the lab's SIMD kernels (see simdPool.ts): it instantiates them on the shared WASM memory,
 * then waits on its slot of the control block, runs the kernel call written there (in the caller's build), and
 * marks it done.
 */
import { BUILD_IDS, runSlot, SLOT, type SimdHelperInit } from './simdSlots';
import { instantiateKernels, simdBuild, type SimdBuild, type SimdKernels } from './simdModule';

self.onmessage = (e: MessageEvent<SimdHelperInit>) => {
  const { memory, control, slot } = e.data;
  const instances = new Map<number, SimdKernels>();
  const kernelsFor = (id: number) => {
    let k = instances.get(id);
    if (!k) {
      const build = (Object.keys(BUILD_IDS) as SimdBuild[]).find((b) => BUILD_IDS[b] === id)!;
      instances.set(id, (k = instantiateKernels(memory, build)));
    }
    return k;
  };
  kernelsFor(BUILD_IDS[simdBuild()]);
  const ctl = new Int32Array(control);
  const base = slot * SLOT.size;
  Atomics.store(ctl, base + SLOT.ready, 1);
  for (let seen = Atomics.load(ctl, base + SLOT.seq); ;) {
    Atomics.wait(ctl, base + SLOT.seq, seen);
    seen = Atomics.load(ctl, base + SLOT.seq);
    try {
      runSlot(kernelsFor(ctl[base + SLOT.build]!), ctl, base);
      Atomics.store(ctl, base + SLOT.status, 0);
    } catch {
      Atomics.store(ctl, base + SLOT.status, 1);
    }
    Atomics.store(ctl, base + SLOT.done, seen);
    Atomics.notify(ctl, base + SLOT.done);
  }
};
