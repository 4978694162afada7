/** Decode one image file into 120x90x3 uint8 RGB, on an OffscreenCanvas (runs inside a worker). */
import { contentProblem } from '../core/files';
import { IMAGE_HEIGHT, IMAGE_WIDTH, resizePlan, rgbaToRgb, type ResizePolicy } from '../core/image';

export type DecodeResult =
  | { ok: true; pixels: Uint8Array; hash: string; width: number; height: number }
  | { ok: false; reason: string };

let canvas: OffscreenCanvas | null = null;
let ctx: OffscreenCanvasRenderingContext2D | null = null;

function context(): OffscreenCanvasRenderingContext2D {
  if (!ctx) {
    canvas = new OffscreenCanvas(IMAGE_WIDTH, IMAGE_HEIGHT);
    // A CPU-backed canvas: getImageData would otherwise read back from the GPU for every image.
    ctx = canvas.getContext('2d', { willReadFrequently: true, alpha: false });
    if (!ctx) throw new Error('This browser cannot draw on an OffscreenCanvas in a worker.');
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
  }
  return ctx;
}

async function contentHash(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  let hex = '';
  for (let i = 0; i < 16; i++) hex += digest[i]!.toString(16).padStart(2, '0');
  return hex;
}

export async function decodeImage(path: string, file: Blob, policy: ResizePolicy): Promise<DecodeResult> {
  let bytes: ArrayBuffer;
  try {
    bytes = await file.arrayBuffer();
  } catch {
    return { ok: false, reason: 'could not be read (moved, deleted or no permission)' };
  }
  if (bytes.byteLength === 0) return { ok: false, reason: 'empty file (0 bytes)' };
  const problem = contentProblem(path, new Uint8Array(bytes));
  if (problem) return { ok: false, reason: problem };

  let bitmap: ImageBitmap;
  try {
    // Like PIL, which the study used, ignore embedded colour profiles: the model sees the stored values.
    bitmap = await createImageBitmap(new Blob([bytes]), {
      colorSpaceConversion: 'none',
      premultiplyAlpha: 'default',
    });
  } catch {
    return { ok: false, reason: 'corrupt or unsupported image (the browser could not decode it)' };
  }
  try {
    const { width, height } = bitmap;
    if (width === 0 || height === 0) return { ok: false, reason: 'image has no pixels' };
    const { source: s, target: t } = resizePlan(width, height, policy);
    const c = context();
    // Alpha is composited on white, the study's background.
    c.fillStyle = '#ffffff';
    c.fillRect(0, 0, IMAGE_WIDTH, IMAGE_HEIGHT);
    c.drawImage(bitmap, s.x, s.y, s.w, s.h, t.x, t.y, t.w, t.h);
    const rgba = c.getImageData(0, 0, IMAGE_WIDTH, IMAGE_HEIGHT).data;
    return { ok: true, pixels: rgbaToRgb(rgba), hash: await contentHash(bytes), width, height };
  } finally {
    bitmap.close();
  }
}
