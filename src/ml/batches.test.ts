import { describe, expect, it } from 'vitest';
import { IMAGE_BYTES, IMAGE_CHANNELS, IMAGE_WIDTH } from '../core/image';
import { fillBatch } from './batches';

const image = (seed: number) => Uint8Array.from({ length: IMAGE_BYTES }, (_, i) => (i * 7 + seed) % 251);
const source = { image: (i: number) => image(i) };
const at = (y: number, x: number, c: number) => (y * IMAGE_WIDTH + x) * IMAGE_CHANNELS + c;

describe('fillBatch', () => {
  it('scales to [0, 1], and an item past flipFrom is its original mirrored left to right', () => {
    const out = fillBatch(source, [2, 10 + 2], 10, new Float32Array(2 * IMAGE_BYTES));
    const px = image(2);
    expect(out[at(5, 0, 1)]).toBeCloseTo(px[at(5, 0, 1)]! / 255, 7);
    const mirrored = out.subarray(IMAGE_BYTES);
    for (const [y, x, c] of [
      [0, 0, 0],
      [7, 3, 2],
      [119, 89, 1],
      [60, 44, 0],
    ] as const) {
      expect(mirrored[at(y, x, c)]).toBeCloseTo(px[at(y, IMAGE_WIDTH - 1 - x, c)]! / 255, 7);
    }
  });
});
