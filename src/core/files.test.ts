import { describe, expect, it } from 'vitest';
import { contentProblem, imageSize, sniffFormat } from './files';

const bytes = (...parts: (number[] | string)[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));

describe('sniffFormat and contentProblem', () => {
  it('recognises image formats by their magic numbers', () => {
    expect(sniffFormat(bytes([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg');
    expect(sniffFormat(bytes([0x89], 'PNG\r\n\x1a\n'))).toBe('png');
    expect(sniffFormat(bytes('GIF89a'))).toBe('gif');
    expect(sniffFormat(bytes('RIFF', [0, 0, 0, 0], 'WEBP'))).toBe('webp');
    expect(sniffFormat(bytes('BM', new Array(30).fill(0)))).toBe('bmp');
    expect(sniffFormat(bytes('PK', [3, 4]))).toBeNull();
  });

  it('flags files that claim an image type but are not, and truncated images', () => {
    expect(contentProblem('a/x.jpg', bytes('hello world'))).toMatch(/named \.jpg but the content is not/);
    expect(contentProblem('a/x.jpg', bytes([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]))).toMatch(/truncated JPEG/);
    expect(contentProblem('a/x.jpg', bytes([0xff, 0xd8, 0xff, 0xe0, 1, 2, 0xff, 0xd9]))).toBeNull();
    expect(contentProblem('a/x.png', bytes([0x89], 'PNG\r\n\x1a\n', 'IHDR'))).toMatch(/truncated PNG/);
    expect(
      contentProblem('a/x.png', bytes([0x89], 'PNG\r\n\x1a\n', 'IEND', [0xae, 0x42, 0x60, 0x82])),
    ).toBeNull();
  });
});

describe('imageSize', () => {
  it('reads the size from PNG, GIF and BMP headers, and JPEG frames after other segments', () => {
    const png = bytes([0x89], 'PNG\r\n\x1a\n', [0, 0, 0, 13], 'IHDR', [0, 0, 1, 44, 0, 0, 1, 144]);
    expect(imageSize(png)).toEqual({ width: 300, height: 400 });
    expect(imageSize(bytes('GIF89a', [60, 0, 80, 0]))).toEqual({ width: 60, height: 80 });
    const bmp = new Uint8Array(30);
    bmp.set([66, 77]);
    bmp.set([90, 0, 0, 0, 0x88, 0xff, 0xff, 0xff], 18); // height -120: top-down rows
    expect(imageSize(bmp)).toEqual({ width: 90, height: 120 });
    const jpeg = bytes(
      [0xff, 0xd8],
      [0xff, 0xe0, 0, 6, 1, 2, 3, 4], // APP0 with 4 bytes of payload
      [0xff, 0xc4, 0, 4, 0, 0], // a Huffman table: same range as SOF, but not one
      [0xff, 0xc0, 0, 11, 8, 1, 144, 1, 44, 3, 1, 1, 1],
    );
    expect(imageSize(jpeg)).toEqual({ width: 300, height: 400 });
    expect(imageSize(bytes('hello'))).toBeNull();
  });
});
