import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generate, OUTPUT } from './build-wasm-kernels';

describe('the committed SIMD kernels', () => {
  it('are what the AssemblyScript source compiles to (run `npm run build:kernels` after editing it)', async () => {
    expect(readFileSync(OUTPUT, 'utf8')).toBe(await generate());
  }, 60_000);

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
