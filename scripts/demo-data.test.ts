import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { loadImage } from '@napi-rs/canvas';
import { afterAll, describe, expect, it } from 'vitest';
import { renderCanvas, renderJpeg } from './demo/render';
import { DEMO_CLASSES } from '../src/demo/taxonomy';

const tmp = mkdtempSync(join(tmpdir(), 'demo-data-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)],
  );
}

function runCli(...args: string[]) {
  return execFileSync('npx', ['tsx', 'scripts/demo-data.ts', ...args], { encoding: 'utf8', stdio: 'pipe' });
}

describe('npm run demo-data', () => {
  it('writes the folder tree of 300x400 JPEGs, N per class, the same bytes for the same seed', async () => {
    const a = join(tmp, 'a');
    const b = join(tmp, 'b');
    runCli('--out', a, '--per-class', '3', '--seed', '7', '--threads', '2');
    runCli('--out', b, '--per-class', '3', '--seed', '7', '--threads', '1');
    const files = listFiles(a)
      .map((f) => relative(a, f))
      .sort();
    expect(files).toHaveLength(DEMO_CLASSES.length * 3);
    for (const cls of DEMO_CLASSES) {
      expect(files.filter((f) => f.startsWith(cls.path.join('/') + '/'))).toHaveLength(3);
    }
    for (const f of files) {
      expect(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), f).toBe(true);
    }
    const img = await loadImage(readFileSync(join(a, files[0]!)));
    expect([img.width, img.height]).toEqual([300, 400]);
    expect(readFileSync(join(a, files[0]!)).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
  }, 60_000);

  it('explains a bad command line and exits non-zero', () => {
    expect(() => runCli('--per-class', '3')).toThrow(/--out DIR is required/);
    expect(() => runCli('--out', join(tmp, 'x'), '--per-class', 'many')).toThrow(/needs a whole number/);
  });
});

describe('demo drawings', () => {
  it('are deterministic per seed and differ between seeds and items', () => {
    const one = renderJpeg(5, 3, 1);
    expect(renderJpeg(5, 3, 1).equals(one)).toBe(true);
    expect(renderJpeg(5, 3, 2).equals(one)).toBe(false);
    expect(renderJpeg(5, 4, 1).equals(one)).toBe(false);
  });

  it('draw one item on a light background, away from the edges', () => {
    for (let cls = 0; cls < DEMO_CLASSES.length; cls++) {
      const { canvas } = renderCanvas(cls, 0, 1);
      const px = canvas.getContext('2d').getImageData(0, 0, 300, 400).data;
      const lum = (x: number, y: number) => {
        const i = (y * 300 + x) * 4;
        return (px[i]! + px[i + 1]! + px[i + 2]!) / 3;
      };
      for (const [x, y] of [
        [2, 2],
        [297, 2],
        [2, 397],
        [297, 397],
      ] as const) {
        expect(lum(x, y), `corner of class ${cls}`).toBeGreaterThan(200);
      }
      let dark = 0;
      for (let y = 0; y < 400; y += 4) for (let x = 0; x < 300; x += 4) if (lum(x, y) < 180) dark++;
      expect(dark, `item pixels of class ${cls}`).toBeGreaterThan(20);
    }
  });
});

describe('npm run contact-sheet', () => {
  it('renders a PNG with a row per class', async () => {
    const out = join(tmp, 'sheet.png');
    execFileSync(
      'npx',
      ['tsx', 'scripts/contact-sheet.ts', '--out', out, '--per-row', '3', '--scale', '0.2'],
      {
        stdio: 'pipe',
      },
    );
    expect(statSync(out).size).toBeGreaterThan(1000);
    const img = await loadImage(readFileSync(out));
    expect(img.height).toBe(DEMO_CLASSES.length * 80);
  });
});
