/**
 * npm run bench:train -- [--backends wasm,wasm2,webgl,webgpu,cpu] [--out FILE] [--profile] [--no-helpers]
 * Training samples/second after warm-up, batch 64, in headless Chromium, per backend and model: the study's
 * primary model (Model 2, 32 filters 3x3, 3 classes) and a larger Model 3 (64 filters 5x5 and 3x3, dense 512,
 * 11 classes). Each run is a fresh page with the lab's own training worker. Prints and writes JSON; with
 * --profile, also where one step's time goes, per kernel.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { argValue } from './args';
import { launch, machine, serveLab } from './bench/harness';
import type { StepProfile } from '../src/ml/stepProfile';

const args = process.argv.slice(2);
const backends = argValue(args, '--backends', 'wasm,wasm2,webgl,webgpu').split(',');
const outFile = resolve(argValue(args, '--out', 'bench-results/train.json'));

interface Report {
  ok: boolean;
  result?: { samplesPerSecond: number; warmUpSeconds: number; details: object; profile?: StepProfile };
  error?: string;
}

interface Config {
  name: string;
  query: string;
  model: 'small' | 'big';
  timeoutS: number;
}

function configs(): Config[] {
  const out: Config[] = [];
  for (const b of backends) {
    const [backend, threads] = b === 'wasm2' ? ['wasm', 2] : [b, 1];
    // Software GPUs (SwiftShader here) run about 1 sample/s: fewer batches, and the big model only on request.
    const slow = backend === 'webgl' || backend === 'webgpu' || backend === 'cpu';
    for (const model of slow && !args.includes('--all')
      ? (['small'] as const)
      : (['small', 'big'] as const)) {
      const batches = slow ? 1 : 3;
      out.push({
        name: `${b} ${model}`,
        query: `?backend=${backend}&threads=${threads}&model=${model}&batches=${batches}${args.includes('--profile') ? '&profile' : ''}${args.includes('--no-helpers') ? '&no-helpers' : ''}`,
        model,
        timeoutS: slow ? 480 : 240,
      });
    }
  }
  return out;
}

async function main() {
  const { url, server } = await serveLab(4181);
  const browser = await launch();
  const runs = [];
  try {
    for (const c of configs()) {
      const page = await browser.newPage();
      const t0 = performance.now();
      await page.goto(`${url}bench.html${c.query}`);
      const report: Report = await page
        .waitForFunction(() => (window as unknown as { __bench?: unknown }).__bench, null, {
          timeout: c.timeoutS * 1000,
        })
        .then((h) => h.jsonValue() as Promise<Report>)
        .catch(() => ({ ok: false, error: `no result within ${c.timeoutS} s` }));
      await page.close();
      const wall = (performance.now() - t0) / 1000;
      const line = report.ok
        ? `${report.result!.samplesPerSecond.toFixed(1)} samples/s (start-up and first batch ${report.result!.warmUpSeconds.toFixed(0)} s) ${JSON.stringify(report.result!.details)}`
        : `failed: ${report.error}`;
      console.log(`${c.name.padEnd(12)} ${line}`);
      const profile = report.result?.profile;
      if (profile) {
        console.log(`${''.padEnd(12)} one step: ${profile.stepMs} ms of kernels`);
        for (const k of profile.kernels)
          console.log(
            `${''.padEnd(14)}${k.kernel.padEnd(24)} ${String(k.ms).padStart(6)} ms ${(k.share * 100).toFixed(1).padStart(5)}%`,
          );
      }
      runs.push({ config: c.name, model: c.model, query: c.query, wallSeconds: wall, ...report });
    }
  } finally {
    await browser.close();
    await server.close();
  }
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(
    outFile,
    JSON.stringify({ benchmark: 'train', batchSize: 64, machine: machine(), runs }, null, 2),
  );
  console.log(`\nWrote ${outFile}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
