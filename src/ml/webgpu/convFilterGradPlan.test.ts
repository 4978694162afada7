import { describe, expect, it } from 'vitest';
import { filterGradPlan, type FilterGradShapes } from './convFilterGradPlan';

/** The lab's four convolutions (dy's spatial size after a valid convolution, stride 1). */
const layers = {
  'small conv1': { h: 118, w: 88, ci: 3, k: 3, co: 32 },
  'small conv2': { h: 57, w: 42, ci: 32, k: 3, co: 32 },
  'big conv1': { h: 116, w: 86, ci: 3, k: 5, co: 64 },
  'big conv2': { h: 56, w: 41, ci: 64, k: 3, co: 64 },
};

const shapes = (batch: number, l: (typeof layers)[keyof typeof layers]): FilterGradShapes => ({
  batchSize: batch,
  outHeight: l.h,
  outWidth: l.w,
  inChannels: l.ci,
  outChannels: l.co,
  filterHeight: l.k,
  filterWidth: l.k,
});

describe('filterGradPlan', () => {
  for (const batch of [64, 256])
    for (const [name, l] of Object.entries(layers)) {
      it(`${name}, batch ${batch}: ≥ 32,768 threads of ≤ 4,096 multiply-adds, partials ≤ 32 MB`, () => {
        const plan = filterGradPlan(shapes(batch, l));
        expect(plan.partials.threads).toBeGreaterThanOrEqual(32_768);
        expect(plan.partials.serialMacsPerThread).toBeLessThanOrEqual(4_096);
        expect(plan.partialBytes).toBeLessThanOrEqual(32 << 20);
        expect(plan.partials.workgroupSize).toBeLessThanOrEqual(256);
        expect(plan.partials.workgroupSize).toBeGreaterThanOrEqual(192);
        // Every position in exactly one chunk; every filter row in one block.
        expect(plan.chunks * plan.chunk).toBeGreaterThanOrEqual(plan.positions);
        expect((plan.chunks - 1) * plan.chunk).toBeLessThan(plan.positions);
        expect(plan.rows * plan.rowBlocks).toBeGreaterThanOrEqual(plan.filterRows);
        expect(plan.rows * (plan.rowBlocks - 1)).toBeLessThan(plan.filterRows);
        expect(plan.sum?.threads).toBeGreaterThanOrEqual(l.k * l.k * l.ci * l.co);
        expect(plan.sum?.serialMacsPerThread).toBe(plan.chunks);
        expect(plan.sum?.serialMacsPerThread).toBeLessThanOrEqual(1024);
      });
    }

  it('covers tail channels and a single chunk', () => {
    const odd = filterGradPlan({ ...shapes(1, layers['small conv1']), outChannels: 10 });
    expect(odd.groups).toBe(3);
    expect(odd.partials.workgroupSize % (odd.lanes * 3)).toBe(0);
    const tiny = filterGradPlan({ ...shapes(1, layers['small conv1']), outHeight: 4, outWidth: 5 });
    expect(tiny.chunks).toBe(1);
    expect(tiny.sum).toBeNull();
    expect(tiny.partialBytes).toBe(0);
  });

  it('caps the partials for large layers by giving threads more positions', () => {
    const plan = filterGradPlan({ ...shapes(1024, layers['big conv2']), outChannels: 256, inChannels: 256 });
    expect(plan.partialBytes).toBeLessThanOrEqual(32 << 20);
    expect(plan.chunks * plan.chunk).toBeGreaterThanOrEqual(plan.positions);
  });
});
