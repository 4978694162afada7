/** uint8 images in, float32 batches out: the dataset never exists as floats, only one batch at a time. */
import { IMAGE_BYTES, IMAGE_CHANNELS, IMAGE_HEIGHT, IMAGE_WIDTH } from '../core/image';

export interface ImageSource {
  image(i: number): Uint8Array;
}

/** Writes the horizontal mirror of image `px` into `out` at `at` (uint8, channels last). */
export function mirrorImage(px: Uint8Array, out: Uint8Array, at = 0): Uint8Array {
  const row = IMAGE_WIDTH * IMAGE_CHANNELS;
  for (let y = 0; y < IMAGE_HEIGHT; y++)
    for (let x = 0; x < IMAGE_WIDTH; x++) {
      const from = y * row + (IMAGE_WIDTH - 1 - x) * IMAGE_CHANNELS;
      const to = at + y * row + x * IMAGE_CHANNELS;
      out[to] = px[from]!;
      out[to + 1] = px[from + 1]!;
      out[to + 2] = px[from + 2]!;
    }
  return out;
}

/** The uint8 pixels of `item`: item − flipFrom mirrored when `item` is at or past `flipFrom`. */
export function imageOf(source: ImageSource, item: number, flipFrom: number, out: Uint8Array, at = 0): void {
  if (item < flipFrom) out.set(source.image(item), at);
  else mirrorImage(source.image(item - flipFrom), out, at);
}

/**
 * Fills `out` with the images of `items`, scaled to [0, 1]. An item at or past `flipFrom` is the horizontal
 * mirror of item `item - flipFrom` (the study's flip augmentation appends mirrored copies).
 */
export function fillBatch(
  source: ImageSource,
  items: ArrayLike<number>,
  flipFrom: number,
  out: Float32Array,
): Float32Array {
  const px = new Uint8Array(IMAGE_BYTES);
  for (let b = 0; b < items.length; b++) {
    imageOf(source, items[b]!, flipFrom, px);
    const base = b * IMAGE_BYTES;
    for (let i = 0; i < IMAGE_BYTES; i++) out[base + i] = px[i]! / 255;
  }
  return out;
}
