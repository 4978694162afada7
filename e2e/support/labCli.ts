import { spawnSync } from 'node:child_process';

/** The command line as a user runs it (the bin entry, which npx uses), against the build the suite made. */
export function lab(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['bin/fashion-cnn-lab.mjs', ...args], {
    encoding: 'utf8',
    timeout: 240_000,
    env: { ...process.env, INIT_CWD: process.cwd() },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
