import { describe, expect, it } from 'vitest';
import { heatmapRgba, overlayRgba } from './heatmap';

describe('saliency colours', () => {
  it('is transparent at 0, the warmest colour at 1, and clamps', () => {
    const px = heatmapRgba([0, 0.5, 1, 2, -1]);
    expect(Array.from(px.subarray(0, 4))).toEqual([128, 0, 38, 0]);
    expect(px[1 * 4 + 3]).toBe(Math.round(255 * 0.65 * 0.5));
    expect(Array.from(px.subarray(8, 12))).toEqual([255, 237, 160, 166]);
    expect(Array.from(px.subarray(12, 16))).toEqual(Array.from(px.subarray(8, 12)));
    expect(px[4 * 4 + 3]).toBe(0);
  });

  it('leaves the photo as it is where the map is 0, and blends where it is not', () => {
    const out = overlayRgba([10, 20, 30, 200, 200, 200], [0, 1], 1);
    expect(Array.from(out)).toEqual([10, 20, 30, 255, 255, 237, 160, 255]);
    expect(() => overlayRgba([1, 2, 3], [0, 1])).toThrow(/differ in size/);
  });
});
