// The docs against the code: the layer table against eslint.config.js, every path, command and relative link they
// name, the README's size and the line lengths. What cannot be checked mechanically is in docs/ for review.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// docs/gpu.md and docs/cpu-speed.md have owners of their own; their links are still checked.
const OWN = [
  'README.md',
  'scripts/dev/README.md',
  ...mdIn('docs').filter((f) => !/gpu\.md$|cpu-speed\.md$/.test(f)),
];
const ALL = [...OWN, ...mdIn('docs').filter((f) => !OWN.includes(f))];

function mdIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(dir, f));
}

const text = (file: string) => readFileSync(file, 'utf8');

/** GitHub's anchor for a heading. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

const anchors = (file: string) =>
  new Set(
    text(file)
      .split('\n')
      .filter((l) => /^#{1,6} /.test(l))
      .map((l) => slug(l.replace(/^#+ /, ''))),
  );

describe('README and docs', () => {
  it('keep the README under 8 KB and every line within 120 characters', () => {
    expect(Buffer.byteLength(text('README.md'))).toBeLessThan(8 * 1024);
    for (const file of OWN)
      text(file)
        .split('\n')
        .forEach((line, i) => expect([...line].length, `${file}:${i + 1}`).toBeLessThanOrEqual(120));
  });

  it('link only to files and headings that exist', () => {
    for (const file of ALL)
      for (const [, target, anchor] of text(file).matchAll(/\]\(([^)#\s]*)(?:#([^)\s]+))?\)/g)) {
        if (/^[a-z]+:/.test(target!)) continue;
        const path = target ? resolve(dirname(file), target) : resolve(file);
        expect(existsSync(path), `${file} links to ${target}`).toBe(true);
        if (anchor && path.endsWith('.md'))
          expect(anchors(path).has(anchor), `${file} links to ${target}#${anchor}`).toBe(true);
      }
  });

  it('name only paths and npm scripts that exist', () => {
    const scripts = Object.keys(JSON.parse(text('package.json')).scripts as object);
    for (const file of OWN) {
      for (const [, path] of text(file).matchAll(
        /`((?:src|scripts|e2e|docs|bin|public|\.ci)\/[^`\s*{}<>]*)`/g,
      ))
        expect(existsSync(path!), `${file} names ${path}`).toBe(true);
      for (const [, name] of text(file).matchAll(/npm run ([\w:-]+)/g))
        if (!name!.endsWith(':')) expect(scripts, `${file} runs npm run ${name}`).toContain(name);
    }
  });
});

interface FlatConfig {
  files?: string[];
  rules?: Record<string, [string, { patterns: { group: string[]; allowTypeImports?: boolean }[] }]>;
}

/** Per layer folder, what eslint.config.js lets it import from src/ and which packages it bans. */
async function lintedLayers() {
  const { default: config } = (await import('../eslint.config.js' as string)) as { default: FlatConfig[] };
  const rules = new Map<string, { layers: Map<string, boolean>; packages: string[] }>();
  for (const entry of config) {
    const layer = /^src\/(\w+)\/\*\*/.exec(entry.files?.[0] ?? '')?.[1];
    const rule = entry.rules?.['@typescript-eslint/no-restricted-imports'];
    if (!layer || !rule) continue;
    const r = { layers: new Map<string, boolean>(), packages: [] as string[] };
    for (const p of rule[1].patterns) {
      const other = /^\*\*\/(\w+)\/\*$/.exec(p.group[0]!)?.[1];
      if (other) r.layers.set(other, !!p.allowTypeImports);
      else r.packages.push(...p.group);
    }
    rules.set(layer, r);
  }
  const all = new Set([...rules.keys(), ...[...rules.values()].flatMap((r) => [...r.layers.keys()])]);
  const imports = new Map<string, string>();
  for (const layer of all) {
    const r = rules.get(layer);
    if (!r) {
      imports.set(layer, 'all');
      continue;
    }
    const ok = [...all].filter((l) => l !== layer && !r.layers.has(l));
    const types = [...r.layers].filter(([, typeOnly]) => typeOnly).map(([l]) => `${l} (types)`);
    imports.set(layer, [...ok, ...types].sort().join(', ') || 'nothing');
  }
  const packages = new Map([...rules].filter(([, r]) => r.packages.length).map(([l, r]) => [l, r.packages]));
  return { imports, packages };
}

/** The rows of the first table in `file` whose header starts with `header`: first cell → the named column. */
function table(file: string, header: RegExp, column: number): Map<string, string> {
  const lines = text(file).split('\n');
  const start = lines.findIndex((l) => header.test(l));
  expect(start, `${file}: a table headed ${header}`).toBeGreaterThanOrEqual(0);
  const rows = new Map<string, string>();
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line.split('|').map((c) => c.trim());
    rows.set(cells[1]!.replace(/`/g, ''), cells[column + 1]!);
  }
  return rows;
}

const normalise = (cell: string) =>
  cell
    .split(',')
    .map((s) => s.trim())
    .sort()
    .join(', ');

describe('docs/architecture.md', () => {
  it('lists the layers and their imports exactly as eslint.config.js enforces them', async () => {
    const { imports, packages } = await lintedLayers();
    const doc = table('docs/architecture.md', /^\| folder +\| may import/, 1);
    expect(Object.fromEntries([...doc].map(([l, c]) => [l, normalise(c)]))).toEqual(
      Object.fromEntries(imports),
    );
    const banned = table('docs/architecture.md', /^\| folder +\| must not use/, 1);
    expect(Object.fromEntries([...banned].map(([l, c]) => [l, normalise(c.replace(/`/g, ''))]))).toEqual(
      Object.fromEntries([...packages].map(([l, p]) => [l, [...p].sort().join(', ')])),
    );
  });
});
