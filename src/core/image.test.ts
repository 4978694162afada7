import { describe, expect, it } from 'vitest';
import { resizePlan, rgbaToRgb, rgbToRgba } from './image';

describe('resizePlan', () => {
  it('is a plain resize for 3:4 images under every policy', () => {
    for (const policy of ['letterbox', 'stretch', 'crop'] as const) {
      expect(resizePlan(300, 400, policy)).toEqual({
        source: { x: 0, y: 0, w: 300, h: 400 },
        target: { x: 0, y: 0, w: 90, h: 120 },
      });
    }
  });

  it('letterboxes a wide image into the middle rows', () => {
    expect(resizePlan(400, 200, 'letterbox').target).toEqual({ x: 0, y: 37, w: 90, h: 45 });
  });

  it('centre-crops a wide image to its middle columns', () => {
    const { source, target } = resizePlan(400, 200, 'crop');
    expect(target).toEqual({ x: 0, y: 0, w: 90, h: 120 });
    expect(source.h).toBe(200);
    expect(source.w).toBeCloseTo(150);
    expect(source.x).toBeCloseTo(125);
  });

  it('handles 1x1 images and refuses empty ones', () => {
    expect(resizePlan(1, 1, 'letterbox').target).toEqual({ x: 0, y: 15, w: 90, h: 90 });
    expect(() => resizePlan(0, 10, 'stretch')).toThrow(/no pixels/);
  });
});

describe('pixel packing', () => {
  it('round-trips RGB through RGBA', () => {
    const rgb = new Uint8Array([1, 2, 3, 250, 251, 252]);
    const rgba = rgbToRgba(rgb);
    expect([...rgba]).toEqual([1, 2, 3, 255, 250, 251, 252, 255]);
    expect([...rgbaToRgb(rgba)]).toEqual([...rgb]);
  });
});
