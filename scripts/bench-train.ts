/**
 * npm run bench:train -- [--backends wasm,wasm2,webgl,webgpu,cpu] [--out FILE] [--profile] [--no-helpers]
 *                        [--stock] [--no-counts] [--counts-only] [--all] [--time-software] [--wasm-reads]
 *                        [--unfused] [--models small,big] [--lab-query QUERY]
 * Training samples/second after warm-up, batch 64, in headless Chromium, per backend and model: the study's
 * primary model (Model 2, 32 filters 3x3, 3 classes) and a larger Model 3 (64 filters 5x5 and 3x3, dense 512,
 * 11 classes). Each run is a fresh page with the lab's own training worker. Prints and writes JSON; with
 * --profile, also where one step's time goes, per kernel.
 * On WebGPU and WebGL it also counts, the same on any hardware: device reads per training epoch, bytes uploaded
 * per sample, dispatches per step and (WebGPU) each kernel's threads and longest serial loop. --stock runs every
 * GPU config again on tfjs' own path (its kernels and Adam, float32 batches, a read per batch): the "before".
 * A software GPU (SwiftShader here, as the training worker's probe finds it) takes minutes for one batch of 64 and
 * its speed says nothing of a GPU's: by default it gets the small model's counts only (the big model's took ~10 of
 * a default run's 13 minutes here; --models small,big or --all adds them), no timed run; --time-software times
 * the small model on it too (with --all, the big one). --models names the models for every backend. --wasm-reads: WASM also with reads every
 * 8th batch instead of every batch, to compare. --unfused: every config also with tfjs' conv layers as they are
 * (convolution, bias add and ReLU as three kernels) next to the lab's fused ones. Each timed run also says where a batch went (the feeder, the
 * optimizer's step, the rest) and what its first step cost; --lab-query appends to the page's query.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { scriptFlags } from './args';
import type { Browser } from '@playwright/test';
import { launch, machine, serveLab } from './bench/harness';
import { planTrainRuns } from './bench/trainPlan';
import { isSoftwareWebGpu, isSoftwareWebGl, type BackendProbe } from '../src/core/backendChoice';
import type { StepProfile } from '../src/ml/stepProfile';
import type { BatchPhases, TrainCounts } from '../src/ml/trainBench';

const { values: opt } = scriptFlags(
  `usage: npm run bench:train -- [--backends wasm,wasm2,webgl,webgpu,cpu] [--out FILE] [--profile] [--no-helpers]
                        [--stock] [--no-counts] [--counts-only] [--all] [--time-software] [--wasm-reads]
                        [--unfused] [--models small,big] [--lab-query QUERY]`,
  {
    backends: { type: 'string', default: 'wasm,wasm2,webgl,webgpu' },
    out: { type: 'string', default: 'bench-results/train.json' },
    profile: { type: 'boolean', default: false },
    'no-helpers': { type: 'boolean', default: false },
    stock: { type: 'boolean', default: false },
    'no-counts': { type: 'boolean', default: false },
    'counts-only': { type: 'boolean', default: false },
    all: { type: 'boolean', default: false },
    'time-software': { type: 'boolean', default: false },
    'wasm-reads': { type: 'boolean', default: false },
    unfused: { type: 'boolean', default: false },
    models: { type: 'string', default: '' },
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

/** The GPU backends whose only adapter here is a software one, from the training worker's own probe. */
async function softwareGpus(browser: Browser, url: string): Promise<Set<string>> {
  const page = await browser.newPage();
  await page.goto(`${url}bench.html?probe`);
  const report = await page
    .waitForFunction(() => (window as unknown as { __bench?: unknown }).__bench, null, { timeout: 60_000 })
    .then((h) => h.jsonValue() as Promise<{ ok: boolean; result?: { probe: BackendProbe }; error?: string }>);
  await page.close();
  if (!report.ok || !report.result) throw new Error(`The backend probe failed: ${report.error}`);
  const { probe } = report.result;
  const software = new Set<string>();
  if (probe.webgpu.available && isSoftwareWebGpu(probe.webgpu)) software.add('webgpu');
  if (probe.webgl.available && isSoftwareWebGl(probe.webgl)) software.add('webgl');
  return software;
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
    const { notes, configs } = planTrainRuns(
      {
        backends,
        models: opt.models,
        profile: opt.profile,
        noHelpers: opt['no-helpers'],
        stock: opt.stock,
        noCounts: opt['no-counts'],
        countsOnly: opt['counts-only'],
        all: opt.all,
        timeSoftware: opt['time-software'],
        wasmReads: opt['wasm-reads'],
        unfused: opt.unfused,
        labQuery: opt['lab-query'],
      },
      await softwareGpus(browser, url),
    );
    for (const n of notes) console.log(n);
    for (const c of configs) {
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
