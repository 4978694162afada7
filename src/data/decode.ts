/** Decode one image file into 120x90x3 uint8 RGB, on an OffscreenCanvas (runs inside a worker). */
import { contentProblem, imageSize, sniffFormat } from '../core/files';
import { IMAGE_HEIGHT, IMAGE_WIDTH, resizePlan, rgbaToRgb, type ResizePolicy } from '../core/image';

export type DecodeResult =
  | { ok: true; pixels: Uint8Array; hash: string; width: number; height: number }
  | { ok: false; reason: string; hash?: string };

let ctx: OffscreenCanvasRenderingContext2D | null = null;

function context(): OffscreenCanvasRenderingContext2D {
  if (!ctx) {
    // A CPU-backed canvas: getImageData would otherwise read back from the GPU for every image.
    ctx = new OffscreenCanvas(IMAGE_WIDTH, IMAGE_HEIGHT).getContext('2d', {
      willReadFrequently: true,
      alpha: false,
    });
    if (!ctx) throw new Error('This browser cannot draw on an OffscreenCanvas in a worker.');
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
  }
  return ctx;
}

export async function contentHash(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  let hex = '';
  for (let i = 0; i < 16; i++) hex += digest[i]!.toString(16).padStart(2, '0');
  return hex;
}

type Source = { image: CanvasImageSource; width: number; height: number; close(): void };

/**
 * JPEGs decode at a reduced scale in the DCT domain (like PIL's draft mode), which is about twice as fast.
 * Chromium rounds the requested size down to a scale it supports (1/2, 1/4, 1/8), so asking for twice the
 * size needed guarantees a frame at least as large as the 90x120 target: no upscaling, no quality loss.
 */
async function decodeScaledJpeg(
  bytes: ArrayBuffer,
  w: number,
  h: number,
  policy: ResizePolicy,
): Promise<Source | null> {
  if (typeof ImageDecoder === 'undefined') return null;
  const { source } = resizePlan(w, h, policy);
  const need = Math.max(IMAGE_WIDTH / source.w, IMAGE_HEIGHT / source.h);
  const r = Math.min(1, 2 * need);
  const decoder = new ImageDecoder({
    data: bytes,
    type: 'image/jpeg',
    colorSpaceConversion: 'none',
    desiredWidth: Math.round(w * r),
    desiredHeight: Math.round(h * r),
  });
  try {
    const { image } = await decoder.decode();
    return { image, width: image.displayWidth, height: image.displayHeight, close: () => image.close() };
  } finally {
    decoder.close();
  }
}

async function decodeAny(bytes: ArrayBuffer): Promise<Source> {
  // Like PIL, which the study used, ignore embedded colour profiles: the model sees the stored values.
  const bitmap = await createImageBitmap(new Blob([bytes]), { colorSpaceConversion: 'none' });
  return { image: bitmap, width: bitmap.width, height: bitmap.height, close: () => bitmap.close() };
}

/** `bytes` is the file's content, or null when it could not be read. */
export async function decodeImage(
  path: string,
  bytes: ArrayBuffer | null,
  policy: ResizePolicy,
): Promise<DecodeResult> {
  if (!bytes) return { ok: false, reason: 'could not be read (moved, deleted or no permission)' };
  // Hashed before anything can fail, so a fixed file is noticed when the folder is dropped again.
  const hash = await contentHash(bytes);
  if (bytes.byteLength === 0) return { ok: false, reason: 'empty file (0 bytes)', hash };
  const view = new Uint8Array(bytes);
  const problem = contentProblem(path, view);
  if (problem) return { ok: false, reason: problem, hash };
  // Header size: the original's, which the resize plan is made for (a scaled decode is smaller).
  const header = imageSize(view);

  let src: Source | null = null;
  try {
    if (header && header.width > 0 && header.height > 0 && sniffFormat(view) === 'jpeg') {
      src = await decodeScaledJpeg(bytes, header.width, header.height, policy).catch(() => null);
    }
    src ??= await decodeAny(bytes);
  } catch {
    return { ok: false, reason: 'corrupt or unsupported image (the browser could not decode it)', hash };
  }
  try {
    if (src.width === 0 || src.height === 0) return { ok: false, reason: 'image has no pixels', hash };
    // The header's size, unless the decoder turned the picture (EXIF orientation): then the frame's.
    const sameAspect = header && Math.abs(src.width / src.height - header.width / header.height) < 0.05;
    const origW = sameAspect ? header.width : src.width;
    const origH = sameAspect ? header.height : src.height;
    const { source: s, target: t } = resizePlan(origW, origH, policy);
    const kx = src.width / origW;
    const ky = src.height / origH;
    const c = context();
    // Alpha is composited on white, the study's background.
    c.fillStyle = '#ffffff';
    c.fillRect(0, 0, IMAGE_WIDTH, IMAGE_HEIGHT);
    c.drawImage(src.image, s.x * kx, s.y * ky, s.w * kx, s.h * ky, t.x, t.y, t.w, t.h);
    const rgba = c.getImageData(0, 0, IMAGE_WIDTH, IMAGE_HEIGHT).data;
    return { ok: true, pixels: rgbaToRgb(rgba), hash, width: origW, height: origH };
  } finally {
    src.close();
  }
}
