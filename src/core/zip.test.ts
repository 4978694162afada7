import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { crc32, unzipChecked } from './zip';

describe('the zip reader', () => {
  it('computes CRC-32 as zlib does, whatever the length (eight bytes a step, then the rest)', () => {
    expect(crc32(strToU8('123456789'))).toBe(0xcbf43926);
    expect(crc32(strToU8('12345678901234567'))).toBe(0x3fa43360); // zlib.crc32 in Python
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('reads back what fflate writes, stored and deflated, every length from 0 to 40 bytes', () => {
    const files = Object.fromEntries(
      Array.from({ length: 41 }, (_, n) => [`f${n}.bin`, Uint8Array.from({ length: n }, (_, i) => i * 7)]),
    );
    for (const level of [0, 6] as const)
      expect(unzipChecked(zipSync(files, { level }), (m) => new Error(m))).toEqual(files);
  });
});
