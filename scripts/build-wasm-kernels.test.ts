import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { generate, OUTPUT } from './build-wasm-kernels';

// Node 20's V8 compiles the relaxed-SIMD builds behind a flag.
setFlagsFromString('--experimental-wasm-relaxed-simd');

describe('the committed SIMD kernels', () => {
  it('are what the AssemblyScript source compiles to (run `npm run build:kernels` after editing it)', async () => {
    expect(readFileSync(OUTPUT, 'utf8')).toBe(await generate());
  }, 60_000);

  it('are four: SIMD128 and relaxed SIMD, each for plain and shared memory; only the relaxed ones hold relaxed instructions', async () => {
    const text = readFileSync(OUTPUT, 'utf8');
    const found: Record<string, string> = Object.fromEntries(
      [...text.matchAll(/export const (\w+) = '([^']+)'/g)].map(([, name, b64]) => [name!, b64!]),
    );
    expect(Object.keys(found).sort()).toEqual([
      'KERNELS_PLAIN',
      'KERNELS_PLAIN_RELAXED',
      'KERNELS_SHARED',
      'KERNELS_SHARED_RELAXED',
    ]);
    // f32x4.relaxed_madd is 0xfd 0x105 (LEB128: fd 85 02).
    const madd = Buffer.from([0xfd, 0x85, 0x02]);
    for (const [name, b64] of Object.entries(found))
      expect(Buffer.from(b64, 'base64').includes(madd), name).toBe(name.endsWith('_RELAXED'));
  });

  it('import the backend memory and place nothing in it (no data, start or global sections)', async () => {
    const text = readFileSync(OUTPUT, 'utf8');
    for (const [, base64] of text.matchAll(/= '([^']+)'/g)) {
      const bytes = Buffer.from(base64!, 'base64');
      const sections: number[] = [];
      for (let i = 8; i < bytes.length;) {
        sections.push(bytes[i++]!);
        let size = 0;
        for (let shift = 0, b = 0x80; b & 0x80; shift += 7) size |= ((b = bytes[i++]!) & 0x7f) << shift;
        i += size;
      }
      expect(sections.filter((id) => id === 6 || id === 8 || id === 11)).toEqual([]);
      expect(WebAssembly.Module.imports(new WebAssembly.Module(bytes))).toEqual([
        { module: 'env', name: 'memory', kind: 'memory' },
      ]);
    }
  });
});
