#!/usr/bin/env node
// `npx fashion-cnn-lab …` from the repository: runs scripts/lab/cli.ts with tsx, from the package root (where the
// build and the Vite config are), with paths still relative to where the command was typed (INIT_CWD).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', join(root, 'scripts/lab/cli.ts'), ...process.argv.slice(2)],
  {
    stdio: 'inherit',
    cwd: root,
    env: { ...process.env, INIT_CWD: process.env.INIT_CWD ?? process.cwd() },
  },
);
process.exit(result.status ?? 1);
