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
