/** uint8 images in, float32 batches out: the dataset never exists as floats, only one batch at a time. */
import { IMAGE_BYTES, IMAGE_CHANNELS, IMAGE_HEIGHT, IMAGE_WIDTH } from '../core/image';

export interface ImageSource {
  image(i: number): Uint8Array;
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
  const row = IMAGE_WIDTH * IMAGE_CHANNELS;
  for (let b = 0; b < items.length; b++) {
    const item = items[b]!;
    const flip = item >= flipFrom;
    const px = source.image(flip ? item - flipFrom : item);
    const base = b * IMAGE_BYTES;
    if (!flip) {
      for (let i = 0; i < IMAGE_BYTES; i++) out[base + i] = px[i]! / 255;
      continue;
    }
    for (let y = 0; y < IMAGE_HEIGHT; y++) {
      for (let x = 0; x < IMAGE_WIDTH; x++) {
        const from = y * row + (IMAGE_WIDTH - 1 - x) * IMAGE_CHANNELS;
        const to = base + y * row + x * IMAGE_CHANNELS;
        out[to] = px[from]! / 255;
        out[to + 1] = px[from + 1]! / 255;
        out[to + 2] = px[from + 2]! / 255;
      }
    }
  }
  return out;
}
