/** What kind of file a dropped path is, from its name and first/last bytes. */

export type ImageFormat = 'jpeg' | 'png' | 'gif' | 'webp' | 'bmp' | 'avif';

const IMAGE_EXTENSIONS: Record<string, ImageFormat> = {
  jpg: 'jpeg',
  jpeg: 'jpeg',
  jpe: 'jpeg',
  jfif: 'jpeg',
  png: 'png',
  gif: 'gif',
  webp: 'webp',
  bmp: 'bmp',
  dib: 'bmp',
  avif: 'avif',
};

const SYSTEM_FILES = new Set(['.ds_store', 'thumbs.db', 'desktop.ini', 'ehthumbs.db', 'icon\r']);

export function extensionOf(name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

/** A reason to skip the file by its name and size alone, or null if it may be an image. */
export function skipReasonByName(path: string, size: number): string | null {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const lower = base.toLowerCase();
  if (SYSTEM_FILES.has(lower) || lower.startsWith('._')) return 'system file, not a photo';
  const ext = extensionOf(base);
  if (!(ext in IMAGE_EXTENSIONS))
    return ext ? `not an image (.${ext} file)` : 'not an image (no file extension)';
  if (size === 0) return 'empty file (0 bytes)';
  return null;
}

/** The image format the bytes actually hold, from the magic number, or null. */
export function sniffFormat(head: Uint8Array): ImageFormat | null {
  const b = (i: number) => head[i] ?? -1;
  const ascii = (from: number, text: string) => [...text].every((c, i) => b(from + i) === c.charCodeAt(0));
  if (b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) return 'jpeg';
  if (b(0) === 0x89 && ascii(1, 'PNG\r\n\x1a\n')) return 'png';
  if (ascii(0, 'GIF87a') || ascii(0, 'GIF89a')) return 'gif';
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return 'webp';
  if (ascii(0, 'BM') && head.length >= 26) return 'bmp';
  if (ascii(4, 'ftypavif') || ascii(4, 'ftypavis')) return 'avif';
  return null;
}

/** Why the bytes are not a usable image before any decoding, or null when they look whole. */
export function contentProblem(path: string, bytes: Uint8Array): string | null {
  const format = sniffFormat(bytes.subarray(0, 32));
  if (!format) {
    const ext = extensionOf(path);
    return ext
      ? `not an image: named .${ext} but the content is not a known image format`
      : 'not an image: the content is not a known image format';
  }
  const tail = bytes.subarray(Math.max(0, bytes.length - 64));
  if (format === 'jpeg' && !hasJpegEnd(tail)) return 'truncated JPEG (no end-of-image marker)';
  if (format === 'png' && !containsAscii(tail, 'IEND')) return 'truncated PNG (no IEND chunk)';
  if (format === 'gif' && !tail.includes(0x3b)) return 'truncated GIF (no trailer)';
  return null;
}

function hasJpegEnd(tail: Uint8Array): boolean {
  for (let i = tail.length - 2; i >= 0; i--) if (tail[i] === 0xff && tail[i + 1] === 0xd9) return true;
  return false;
}

function containsAscii(bytes: Uint8Array, text: string): boolean {
  outer: for (let i = 0; i + text.length <= bytes.length; i++) {
    for (let k = 0; k < text.length; k++) if (bytes[i + k] !== text.charCodeAt(k)) continue outer;
    return true;
  }
  return false;
}

/** Pixel size from the image header, without decoding (JPEG, PNG, GIF, BMP), or null. */
export function imageSize(bytes: Uint8Array): { width: number; height: number } | null {
  const format = sniffFormat(bytes.subarray(0, 32));
  const u16be = (i: number) => ((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0);
  const u16le = (i: number) => (bytes[i] ?? 0) | ((bytes[i + 1] ?? 0) << 8);
  const u32be = (i: number) => u16be(i) * 65536 + u16be(i + 2);
  const i32le = (i: number) => (u16le(i) | (u16le(i + 2) << 16)) >> 0;
  if (format === 'png' && bytes.length >= 24) return { width: u32be(16), height: u32be(20) };
  if (format === 'gif' && bytes.length >= 10) return { width: u16le(6), height: u16le(8) };
  if (format === 'bmp' && bytes.length >= 26)
    return { width: Math.abs(i32le(18)), height: Math.abs(i32le(22)) };
  if (format !== 'jpeg') return null;
  let i = 2;
  while (i + 9 < bytes.length) {
    if (bytes[i] !== 0xff) return null;
    const marker = bytes[i + 1]!;
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    // Start-of-frame markers carry the size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but do not.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: u16be(i + 5), width: u16be(i + 7) };
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      i += 2;
      continue;
    }
    i += 2 + u16be(i + 2);
  }
  return null;
}
