/**
 * npm run bench:train -- [--backends wasm,wasm2,webgl,webgpu,cpu] [--out FILE] [--profile] [--no-helpers]
 *                        [--stock] [--no-counts] [--counts-only] [--all] [--wasm-reads] [--unfused]
 *                        [--models small,big] [--lab-query QUERY]
 * Training samples/second after warm-up, batch 64, in headless Chromium, per backend and model: the study's
 * primary model (Model 2, 32 filters 3x3, 3 classes) and a larger Model 3 (64 filters 5x5 and 3x3, dense 512,
 * 11 classes). Each run is a fresh page with the lab's own training worker. Prints and writes JSON; with
 * --profile, also where one step's time goes, per kernel.
 * On WebGPU and WebGL it also counts, the same on any hardware: device reads per training epoch, bytes uploaded
 * per sample, dispatches per step and (WebGPU) each kernel's threads and longest serial loop. --stock runs every
 * GPU config again on tfjs' own path (its kernels and Adam, float32 batches, a read per batch): the "before".
 * A software GPU (SwiftShader here) takes minutes for one batch of 64: it gets the counts for both models and a
 * timed run for the small one only (--all times the big one too). --wasm-reads: WASM also with reads every
 * 8th batch instead of every batch, to compare. --unfused: every config also with tfjs' conv layers as they are
 * (convolution, bias add and ReLU as three kernels) next to the lab's fused ones. Each timed run also says where a batch went (the feeder, the
 * optimizer's step, the rest) and what its first step cost; --lab-query appends to the page's query.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { scriptFlags } from './args';
import { launch, machine, serveLab } from './bench/harness';
import type { StepProfile } from '../src/ml/stepProfile';
import type { BatchPhases, TrainCounts } from '../src/ml/trainBench';

const { values: opt } = scriptFlags(
  `usage: npm run bench:train -- [--backends wasm,wasm2,webgl,webgpu,cpu] [--out FILE] [--profile] [--no-helpers]
                        [--stock] [--no-counts] [--counts-only] [--all] [--wasm-reads] [--unfused]
                        [--models small,big] [--lab-query QUERY]`,
  {
    backends: { type: 'string', default: 'wasm,wasm2,webgl,webgpu' },
    out: { type: 'string', default: 'bench-results/train.json' },
    profile: { type: 'boolean', default: false },
    'no-helpers': { type: 'boolean', default: false },
    stock: { type: 'boolean', default: false },
    'no-counts': { type: 'boolean', default: false },
    'counts-only': { type: 'boolean', default: false },
    all: { type: 'boolean', default: false },
    'wasm-reads': { type: 'boolean', default: false },
    unfused: { type: 'boolean', default: false },
    models: { type: 'string', default: 'small,big' },
    'lab-query': { type: 'string', default: '' },
  },
);
const backends = opt.backends.split(',');
const outFile = resolve(opt.out);

interface Report {
  ok: boolean;
  result?: {
    samplesPerSecond: number;
    warmUpSeconds: number;
    phases?: BatchPhases;
    details: object;
    profile?: StepProfile;
    counts?: TrainCounts;
  };
  error?: string;
}

interface Config {
  name: string;
  query: string;
  model: 'small' | 'big';
  timeoutS: number;
}

const flag = (name: string, on: boolean) => (on ? `&${name}` : '');

function configs(): Config[] {
  const out: Config[] = [];
  for (const b of backends) {
    const [backend, threads] = b === 'wasm2' ? ['wasm', 2] : [b, 1];
    const gpu = backend === 'webgl' || backend === 'webgpu';
    // Software GPUs (SwiftShader here) run about 1 sample/s: fewer batches, and the big model's timing only on request.
    const slow = gpu || backend === 'cpu';
    const counts = gpu && !opt['no-counts'];
    const variants: { suffix: string; extra: string }[] = [{ suffix: '', extra: '' }];
    if (gpu && opt.stock) variants.push({ suffix: ' stock', extra: '&stock' });
    if (backend === 'wasm' && opt['wasm-reads'])
      variants.push({ suffix: ' read/8', extra: '&read-every=8&no-wait' });
    // The conv layers as tfjs' layers run them (conv, bias add, ReLU), next to the fused ones (trainingForward.ts).
    if (opt.unfused) variants.push({ suffix: ' unfused', extra: '&unfused' });
    for (const model of opt.models.split(',') as ('small' | 'big')[]) {
      const timed = !opt['counts-only'] && (!slow || model === 'small' || opt.all);
      if (!timed && !counts) continue;
      for (const v of variants)
        out.push({
          name: `${b}${v.suffix} ${model}`,
          query:
            `?backend=${backend}&threads=${threads}&model=${model}&batches=${slow ? 1 : 3}${v.extra}` +
            flag('profile', opt.profile) +
            flag('no-helpers', opt['no-helpers']) +
            flag('counts', counts) +
            flag('no-timing', !timed) +
            (opt['lab-query'] ? `&${opt['lab-query']}` : ''),
          model,
          timeoutS: slow ? 1200 : 240,
        });
    }
  }
  return out;
}

/** The counts in a line, and the WebGPU filter gradient's launches against the targets. */
function printCounts(c: TrainCounts) {
  const pad = ''.padEnd(12);
  console.log(
    `${pad} reads/epoch ${c.readsPerEpoch} (${c.epoch.batches} batches of ${c.epoch.batchSize}), ` +
      `upload ${c.uploadBytesPerSample.toFixed(0)} B/sample, resident ${c.residentUploadBytes} B, ` +
      `dispatches/step ${c.dispatchesPerStep}; ${c.input?.path ?? '?'}`,
  );
  const grads = c.kernels.filter((k) => /FilterGrad|DerFilter/.test(k.name));
  for (const k of grads)
    console.log(
      `${pad}   ${k.name.padEnd(34)} ${String(k.threads).padStart(9)} threads × ${k.serialMacsPerThread ?? '?'} MACs (batch ${c.kernelsBatchSize})`,
    );
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
      const r = report.result;
      const line = !report.ok
        ? `failed: ${report.error}`
        : r!.samplesPerSecond
          ? `${r!.samplesPerSecond.toFixed(1)} samples/s (start-up and a first run of one batch ${r!.warmUpSeconds.toFixed(0)} s) ${JSON.stringify(r!.details)}`
          : `counted, not timed ${JSON.stringify(r!.details)}`;
      console.log(`${c.name.padEnd(12)} ${line}`);
      if (report.result?.counts) printCounts(report.result.counts);
      const ph = report.result?.phases;
      if (ph?.batchMs)
        console.log(
          `${''.padEnd(12)} a batch: ${ph.batchMs} ms = feed ${ph.feedMs} + step ${ph.stepMs} + rest ${ph.restMs}; ` +
            `setup ${ph.setupMs} ms, first step ${ph.firstStepMs} ms`,
        );
      const profile = report.result?.profile;
      if (profile) {
        console.log(`${''.padEnd(12)} one step: ${profile.stepMs} ms of kernels, ${profile.wallMs} ms wall`);
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
