import { describe, expect, it } from 'vitest';
import { contentProblem, sniffFormat } from './files';

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
