import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigEnv, UserConfig } from 'vite';
import { describe, expect, it } from 'vitest';
import config, { LAB_TOOLS_MODE } from '../vite.config';

const pagesOf = (mode: string) => {
  const make = config as unknown as (env: ConfigEnv) => UserConfig;
  const input = make({ mode, command: 'build' }).build?.rollupOptions?.input as Record<string, string>;
  return Object.values(input).sort();
};

describe('the build', () => {
  it('serves a host only the lab: the benchmark and command-line pages are built for the tools alone', () => {
    expect(pagesOf('production')).toEqual(['index.html']);
    expect(pagesOf(LAB_TOOLS_MODE)).toEqual(['bench.html', 'cli.html', 'index.html']);
  });
});

describe('the dev server', () => {
  it('bundles every worker’s dependencies at start, so no first click reloads the page to bundle them', () => {
    const make = config as unknown as (env: ConfigEnv) => UserConfig;
    const entries = make({ mode: 'development', command: 'serve' }).optimizeDeps?.entries;
    expect(entries).toEqual(['*.html', 'src/**/*.worker.ts']);
    const sources = readdirSync('src', { recursive: true, encoding: 'utf8' }).filter((f) =>
      /\.tsx?$/.test(f),
    );
    const workers = sources.flatMap((f) =>
      [...readFileSync(join('src', f), 'utf8').matchAll(/new Worker\(\s*new URL\('([^']+)'/g)].map(
        (m) => m[1]!,
      ),
    );
    expect(workers.length).toBeGreaterThan(3);
    for (const w of workers) expect(w).toMatch(/\.worker\.ts$/);
  });
});
