import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { nearestFlag, numberFlag, readFlags, UsageError } from './args';

const options = {
  backends: { type: 'string', default: 'wasm' },
  'counts-only': { type: 'boolean', default: false },
  out: { type: 'string' },
} as const;

describe('readFlags', () => {
  it('reads strings, switches and defaults, with --flag=value too', () => {
    expect(readFlags(['--counts-only', '--out=x.json'], options)).toEqual({
      backends: 'wasm',
      'counts-only': true,
      out: 'x.json',
    });
    expect(readFlags(['--backends', 'webgpu,wasm'], options).backends).toBe('webgpu,wasm');
  });

  it('refuses an unknown or misspelt flag, naming the nearest known one', () => {
    expect(() => readFlags(['--backend', 'webgpu'], options)).toThrow(
      new UsageError("Unknown option '--backend' (did you mean --backends?)"),
    );
    expect(() => readFlags(['--count-only'], options)).toThrow(/did you mean --counts-only\?/);
    expect(() => readFlags(['--frobnicate'], options)).toThrow(/^Unknown option '--frobnicate'$/);
  });

  it('refuses a missing value, a value given to a switch, and stray arguments', () => {
    expect(() => readFlags(['--out'], options)).toThrow(/'--out <value>' argument missing/);
    expect(() => readFlags(['--out', '--counts-only'], options)).toThrow(/'--out' argument is ambiguous/);
    expect(() => readFlags(['--counts-only=yes'], options)).toThrow(/does not take an argument/);
    expect(() => readFlags(['wasm'], options)).toThrow(/^Unexpected argument 'wasm'$/);
  });
});

describe('nearestFlag and numberFlag', () => {
  it('suggest only close names', () => {
    expect(nearestFlag('--per-rows', ['per-row', 'seed'])).toBe('per-row');
    expect(nearestFlag('--sed', ['per-row', 'seed'])).toBe('seed');
    expect(nearestFlag('--x', ['per-row', 'seed'])).toBeUndefined();
  });

  it('read numbers and refuse what is not one', () => {
    expect(numberFlag('scale', '0.25')).toBe(0.25);
    expect(numberFlag('images', '500', true)).toBe(500);
    expect(() => numberFlag('images', '5e2x', true)).toThrow("--images needs a whole number, not '5e2x'");
    expect(() => numberFlag('images', '2.5', true)).toThrow(/whole number/);
    expect(() => numberFlag('scale', ' ')).toThrow("--scale needs a number, not ' '");
  });
});

describe('a script on a bad command line', () => {
  const run = (...args: string[]) =>
    spawnSync('npx', ['tsx', 'scripts/contact-sheet.ts', ...args], { encoding: 'utf8' });

  it('exits 2 with the error and the usage, and does nothing', () => {
    const r = run('--per-rows', '3', '--out', '/nonexistent/never-written.png');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("contact-sheet: Unknown option '--per-rows' (did you mean --per-row?)");
    expect(r.stderr).toContain('usage: npm run contact-sheet -- [--out FILE.png] [--per-row N]');
    expect(r.stdout).toBe('');
  });

  it('prints the usage on --help and exits 0', () => {
    const r = run('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: npm run contact-sheet/);
  });
}, 30_000);
