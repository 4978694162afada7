/** The study's image shape: 90 wide, 120 high, RGB, stored as uint8 (height x width x channels). */
export const IMAGE_WIDTH = 90;
export const IMAGE_HEIGHT = 120;
export const IMAGE_CHANNELS = 3;
export const IMAGE_BYTES = IMAGE_WIDTH * IMAGE_HEIGHT * IMAGE_CHANNELS;

/** How an image whose aspect is not 3:4 is fitted into 90x120. */
export type ResizePolicy = 'letterbox' | 'stretch' | 'crop';

export const RESIZE_POLICIES: readonly { value: ResizePolicy; label: string }[] = [
  { value: 'letterbox', label: 'Keep aspect, pad with white (letterbox)' },
  { value: 'stretch', label: 'Stretch to fill' },
  { value: 'crop', label: 'Centre-crop to fill' },
];

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Where to take pixels from the source and where to put them in the 90x120 target. */
export interface ResizePlan {
  source: Rect;
  target: Rect;
}

export function resizePlan(
  srcW: number,
  srcH: number,
  policy: ResizePolicy,
  dstW = IMAGE_WIDTH,
  dstH = IMAGE_HEIGHT,
): ResizePlan {
  if (!(srcW > 0 && srcH > 0)) throw new RangeError(`image has no pixels (${srcW}x${srcH})`);
  const full: Rect = { x: 0, y: 0, w: srcW, h: srcH };
  const fill: Rect = { x: 0, y: 0, w: dstW, h: dstH };
  if (policy === 'stretch') return { source: full, target: fill };
  if (policy === 'letterbox') {
    const scale = Math.min(dstW / srcW, dstH / srcH);
    const w = Math.max(1, Math.min(dstW, Math.round(srcW * scale)));
    const h = Math.max(1, Math.min(dstH, Math.round(srcH * scale)));
    return { source: full, target: { x: Math.floor((dstW - w) / 2), y: Math.floor((dstH - h) / 2), w, h } };
  }
  const scale = Math.max(dstW / srcW, dstH / srcH);
  const w = Math.min(srcW, dstW / scale);
  const h = Math.min(srcH, dstH / scale);
  return { source: { x: (srcW - w) / 2, y: (srcH - h) / 2, w, h }, target: fill };
}

/** RGBA (as from getImageData) to packed RGB. Alpha is expected to be composited already. */
export function rgbaToRgb(rgba: Uint8ClampedArray | Uint8Array, out = new Uint8Array((rgba.length / 4) * 3)) {
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
    out[j] = rgba[i]!;
    out[j + 1] = rgba[i + 1]!;
    out[j + 2] = rgba[i + 2]!;
  }
  return out;
}

/** Packed RGB to opaque RGBA, for drawing a stored image. */
export function rgbToRgba(rgb: Uint8Array, out = new Uint8ClampedArray((rgb.length / 3) * 4)) {
  for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
    out[j] = rgb[i]!;
    out[j + 1] = rgb[i + 1]!;
    out[j + 2] = rgb[i + 2]!;
    out[j + 3] = 255;
  }
  return out;
}
