/** Small image encoders for test fixtures: JPEG/PNG/WebP through @napi-rs/canvas, BMP and GIF by hand. */
import { createCanvas } from '@napi-rs/canvas';

export type Painter = (
  ctx: ReturnType<ReturnType<typeof createCanvas>['getContext']>,
  w: number,
  h: number,
) => void;

export function paint(w: number, h: number, painter: Painter) {
  const canvas = createCanvas(w, h);
  const ctx = canvas.getContext('2d');
  painter(ctx, w, h);
  return { canvas, ctx };
}

export function encode(format: 'jpeg' | 'png' | 'webp', w: number, h: number, painter: Painter): Buffer {
  const { canvas } = paint(w, h, painter);
  if (format === 'jpeg') return canvas.toBuffer('image/jpeg', 90);
  if (format === 'webp') return canvas.toBuffer('image/webp', 90);
  return canvas.toBuffer('image/png');
}

/** 24-bit bottom-up BMP. */
export function encodeBmp(w: number, h: number, painter: Painter): Buffer {
  const { ctx } = paint(w, h, painter);
  const rgba = ctx.getImageData(0, 0, w, h).data;
  const row = Math.ceil((w * 3) / 4) * 4;
  const buf = Buffer.alloc(54 + row * h);
  buf.write('BM', 0, 'ascii');
  buf.writeUInt32LE(buf.length, 2);
  buf.writeUInt32LE(54, 10);
  buf.writeUInt32LE(40, 14);
  buf.writeInt32LE(w, 18);
  buf.writeInt32LE(h, 22);
  buf.writeUInt16LE(1, 26);
  buf.writeUInt16LE(24, 28);
  buf.writeUInt32LE(row * h, 34);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const s = ((h - 1 - y) * w + x) * 4;
      const d = 54 + y * row + x * 3;
      buf[d] = rgba[s + 2]!;
      buf[d + 1] = rgba[s + 1]!;
      buf[d + 2] = rgba[s]!;
    }
  }
  return buf;
}

/**
 * A GIF with a 2-colour palette and `frames` frames. LZW is written "uncompressed": 9-bit codes with a clear
 * code before the code table would grow, which every decoder accepts.
 */
export function encodeGif(
  w: number,
  h: number,
  frames: { fg: [number, number, number]; mask: (x: number, y: number) => boolean }[],
  bg: [number, number, number] = [250, 250, 250],
): Buffer {
  const out: number[] = [];
  const push = (...b: number[]) => out.push(...b);
  const u16 = (v: number) => push(v & 255, v >> 8);
  push(...Buffer.from('GIF89a'));
  u16(w);
  u16(h);
  push(0xf0, 0, 0); // global table of 2 colours
  const first = frames[0]!;
  push(...bg, ...first.fg);
  if (frames.length > 1) push(0x21, 0xff, 11, ...Buffer.from('NETSCAPE2.0'), 3, 1, 0, 0, 0);
  for (const frame of frames) {
    push(0x21, 0xf9, 4, 0, 10, 0, 0, 0); // graphic control: 0.1 s
    push(0x2c);
    u16(0);
    u16(0);
    u16(w);
    u16(h);
    push(0x80); // local table of 2 colours
    push(...bg, ...frame.fg);
    const minCode = 2;
    push(minCode);
    const clear = 4;
    const end = 5;
    const codes: number[] = [clear];
    let sinceClear = 0;
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        if (sinceClear === 250) {
          codes.push(clear);
          sinceClear = 0;
        }
        codes.push(frame.mask(x, y) ? 1 : 0);
        sinceClear++;
      }
    codes.push(end);
    // Code size starts at 3 bits and grows to 9 as the (unused) table fills; track it like a decoder.
    const bytes: number[] = [];
    let acc = 0;
    let bits = 0;
    let size = 3;
    let next = 6;
    let firstAfterClear = false;
    for (const c of codes) {
      acc |= c << bits;
      bits += size;
      while (bits >= 8) {
        bytes.push(acc & 255);
        acc >>= 8;
        bits -= 8;
      }
      if (c === clear) {
        size = 3;
        next = 6;
        firstAfterClear = true;
      } else if (c !== end) {
        // The decoder adds a table entry for every code but the first after a clear, and widens codes when full.
        if (!firstAfterClear) next++;
        firstAfterClear = false;
        if (next === 1 << size && size < 12) size++;
      }
    }
    if (bits > 0) bytes.push(acc & 255);
    for (let i = 0; i < bytes.length; i += 255) {
      const block = bytes.slice(i, i + 255);
      push(block.length, ...block);
    }
    push(0);
  }
  push(0x3b);
  return Buffer.from(out);
}
