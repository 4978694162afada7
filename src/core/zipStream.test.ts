import { Zip, ZipDeflate, ZipPassThrough, zipSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { chunksOf, zipEntries, ZipStreamError } from './zipStream';

/** A zip written entry by entry, as a runner streaming its results would (names may repeat). */
function zipOf(entries: [string, Uint8Array, 'store' | 'deflate'][]): Uint8Array {
  const parts: Uint8Array[] = [];
  const zip = new Zip((err, data) => {
    if (err) throw err;
    parts.push(data);
  });
  for (const [name, bytes, how] of entries) {
    const f = how === 'store' ? new ZipPassThrough(name) : new ZipDeflate(name, { level: 1 });
    zip.add(f);
    f.push(bytes, true);
  }
  zip.end();
  const out = new Uint8Array(parts.reduce((a, p) => a + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

async function read(bytes: Uint8Array, cap = (_: string) => 2 ** 30, chunk = 4096) {
  const out: [string, number][] = [];
  for await (const e of zipEntries(chunksOf(bytes, chunk), cap)) out.push([e.name, e.bytes.byteLength]);
  return out;
}

describe('a zip read entry by entry', () => {
  it('gives every entry whole, in order, stored or deflated, whatever the chunks', async () => {
    const big = new Uint8Array(300_000).map((_, i) => i % 251);
    const bytes = zipOf([
      ['a.json', strToU8('{"x":1}'), 'deflate'],
      ['b.bin', big, 'store'],
      ['c.bin', big, 'deflate'],
    ]);
    for (const chunk of [1, 777, 1 << 20])
      expect(await read(bytes, undefined, chunk)).toEqual([
        ['a.json', 7],
        ['b.bin', 300_000],
        ['c.bin', 300_000],
      ]);
    const got: Uint8Array[] = [];
    for await (const e of zipEntries(chunksOf(bytes, 999), () => 2 ** 30)) got.push(e.bytes);
    expect(Buffer.from(got[2]!).equals(Buffer.from(big))).toBe(true);
  });

  it('stops an entry that inflates past its cap as its bytes arrive (a zip bomb), whatever its header says', async () => {
    // 64 MB of zeros deflate to ~64 KB: refused at the cap's 1 MB, long before the rest is inflated.
    const bomb = zipSync({ 'weights.bin': new Uint8Array(64 * 2 ** 20) }, { level: 9 });
    expect(bomb.byteLength).toBeLessThan(200_000);
    const error = await read(bomb, () => 2 ** 20).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZipStreamError);
    expect((error as Error).message).toBe('weights.bin is larger than the 1 MB it may be.');
  });

  const bad: [string, Uint8Array, RegExp][] = [
    ['not a zip', strToU8('hello, not a zip at all'), /not a readable zip file/],
    [
      'an entry named twice',
      zipOf([
        ['a', strToU8('1'), 'store'],
        ['a', strToU8('2'), 'store'],
      ]),
      /^a is in the zip twice\.$/,
    ],
    [
      'an entry that does not belong',
      zipOf([['../../etc/passwd', strToU8('x'), 'store']]),
      /^the zip holds \.\.\/\.\.\/etc\/passwd, which does not belong in it\.$/,
    ],
    [
      'a zip cut short',
      zipOf([['b.bin', new Uint8Array(100_000).fill(3), 'store']]).subarray(0, 50_000),
      /ends in the middle of b\.bin/,
    ],
  ];
  for (const [what, bytes, message] of bad)
    it(`refuses ${what}, in words`, async () => {
      const error = await read(bytes, (name) => (name.startsWith('..') ? 0 : 2 ** 30)).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ZipStreamError);
      expect((error as Error).message).toMatch(message);
    });
});
