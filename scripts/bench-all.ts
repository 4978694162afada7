/**
 * `npm run bench`: every benchmark in turn (each in headless Chromium through scripts/bench/harness.ts, as the
 * command line runs the lab), then one JSON with all of them: bench-results/all.json.
 *
 *   npm run bench -- [--quick]     --quick: 500 (and 4,000) images to import, the WASM backend only
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { scriptFlags } from './args';
import { machine } from './bench/harness';

const { quick } = scriptFlags('usage: npm run bench -- [--quick]', {
  quick: { type: 'boolean', default: false },
}).values;
const runs: [string, string, string[]][] = [
  ['ingest', 'scripts/bench-ingest.ts', quick ? ['--images', '500'] : []],
  ['train', 'scripts/bench-train.ts', quick ? ['--backends', 'wasm'] : []],
];
mkdirSync('bench-results', { recursive: true });
const all: Record<string, unknown> = { machine: machine(), quick };
for (const [name, script, args] of runs) {
  const out = `bench-results/${name}.json`;
  process.stderr.write(`\n== bench:${name} ${args.join(' ')}\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, '--out', out, ...args], {
    stdio: 'inherit',
  });
  all[name] = r.status === 0 ? JSON.parse(readFileSync(out, 'utf8')) : { failed: `exit ${r.status}` };
}
writeFileSync('bench-results/all.json', JSON.stringify(all, null, 2));
process.stderr.write('\nWrote bench-results/all.json\n');
