import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Runs scripts/system-deps.sh with Chromium missing and `id`, `sudo` and `apt-get` replaced by stubs. */
function run(stubs: { uid: number; sudoWithoutPassword?: boolean }) {
  const bin = mkdtempSync(join(tmpdir(), 'system-deps-'));
  const log = join(bin, 'apt.log');
  const stub = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  stub('id', `echo ${stubs.uid}`);
  stub(
    'sudo',
    stubs.sudoWithoutPassword ? `[ "$*" = "-n true" ] && exit 0; echo sudo >> ${log}; exec "$@"` : 'exit 1',
  );
  stub('apt-get', `echo "$*" >> ${log}`);
  const result = spawnSync('bash', ['scripts/system-deps.sh'], {
    encoding: 'utf8',
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, CHROMIUM_PATH: join(bin, 'no-chromium') },
  });
  let apt = '';
  try {
    apt = readFileSync(log, 'utf8');
  } catch {
    // apt-get never ran
  }
  return { status: result.status, stderr: result.stderr, apt };
}

describe('the set-up step npm test takes first', () => {
  it('stops at once, naming the command to run, where it may not install', () => {
    const { status, stderr, apt } = run({ uid: 1000 });
    expect(status).toBe(1);
    expect(stderr).toMatch(/sudo apt-get update && sudo apt-get install -y chromium( |$)/m);
    expect(apt).toBe('');
  });

  it('installs what is missing as root, and with sudo that asks no password', () => {
    const root = run({ uid: 0 });
    expect(root.status).toBe(0);
    expect(root.apt).toMatch(/^update -qq\ninstall -y -qq chromium\n/);
    const user = run({ uid: 1000, sudoWithoutPassword: true });
    expect(user.status).toBe(0);
    expect(user.apt).toMatch(/^sudo\nupdate -qq\nsudo\ninstall -y -qq chromium\n/);
  });
});
