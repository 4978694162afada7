/**
 * A saliency map as colours to draw over its image: RGBA pixels for an ImageData or a PNG, transparent where the
 * map is 0 and an opaque warm colour where it is 1, so the photo stays visible under weak values.
 */

// From dark red through orange to pale yellow, as the strength grows.
const STOPS: readonly [number, number, number][] = [
  [128, 0, 38],
  [227, 26, 28],
  [253, 141, 60],
  [255, 237, 160],
];

function colourAt(v: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, v)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const a = STOPS[i]!;
  const b = STOPS[i + 1]!;
  return [0, 1, 2].map((c) => Math.round(a[c]! + (b[c]! - a[c]!) * f)) as [number, number, number];
}

/** RGBA bytes, row-major like the map; `maxAlpha` is the opacity of the strongest value (0 … 1). */
export function heatmapRgba(map: ArrayLike<number>, maxAlpha = 0.65): Uint8ClampedArray {
  const out = new Uint8ClampedArray(map.length * 4);
  for (let i = 0; i < map.length; i++) {
    const v = Math.min(1, Math.max(0, map[i]!));
    const [r, g, b] = colourAt(v);
    out[i * 4] = r;
    out[i * 4 + 1] = g;
    out[i * 4 + 2] = b;
    out[i * 4 + 3] = Math.round(255 * maxAlpha * v);
  }
  return out;
}

/** The map blended over an RGB image (uint8, 3 bytes a pixel, same size): RGBA bytes for a thumbnail. */
export function overlayRgba(
  rgb: ArrayLike<number>,
  map: ArrayLike<number>,
  maxAlpha = 0.65,
): Uint8ClampedArray {
  if (rgb.length !== map.length * 3) throw new Error('the image and the map differ in size');
  const heat = heatmapRgba(map, maxAlpha);
  const out = new Uint8ClampedArray(map.length * 4);
  for (let i = 0; i < map.length; i++) {
    const a = heat[i * 4 + 3]! / 255;
    for (let c = 0; c < 3; c++) out[i * 4 + c] = Math.round(rgb[i * 3 + c]! * (1 - a) + heat[i * 4 + c]! * a);
    out[i * 4 + 3] = 255;
  }
  return out;
}
