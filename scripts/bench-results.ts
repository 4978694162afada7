/**
 * `npm run bench:results`: the memory a results.zip import takes, on the command line and in the page, for a
 * real-size grid and one a fifth its size. The results are written here as cluster/run_job.py --keep-weights all
 * would write them: R runs of the study's Model 3 ("Shoes — all 11", 77 MB of weights each), with the lab's own
 * model files (one epoch trained first) and the job `lab export-job` writes. Peak memory is sampled every 200 ms
 * across the process tree (the command line) or the browser's processes (the page), above what they held before.
 *
 *   npm run bench:results -- [--runs 70] [--keep DIR] [--keep-zips]   (70 runs: 5.4 GB; the small file a fifth)
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Zip, ZipPassThrough, strToU8, unzipSync } from 'fflate';
import { parseArgs } from 'node:util';
import type { ClusterJob } from '../src/core/clusterJob';
import type { Report } from './lab/report';
import { RESULTS_FORMAT, RESULTS_VERSION } from '../src/core/clusterResults';
import { readNpz } from '../src/core/npz';
import {
  childrenPssMB,
  ensureBuilt,
  launchWithProfile,
  machine,
  peakSampler,
  serveLab,
} from './bench/harness';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '70' },
    keep: { type: 'string' },
    'keep-zips': { type: 'boolean' },
    /** Only the page's import of this file (to look into one result). */
    zip: { type: 'string' },
  },
});
const RUNS = Number(values.runs);
const work = resolve(values.keep ?? 'node_modules/.bench-results');
const TASK = 'Shoes — all 11';

function lab(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/fashion-cnn-lab.mjs', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`lab ${args.join(' ')} failed:\n${r.stderr}`);
  return r;
}

/** The lab's own Model 3 files for the task, and a job of `runs` seeds of it, exported as the cluster gets it. */
function prepare(runs: number) {
  const trained = join(work, 'trained');
  if (!existsSync(join(trained, 'report.json')))
    lab('train', 'demo:20', '--tasks', TASK, '--epochs', '1', '--out', trained);
  const report = JSON.parse(readFileSync(join(trained, 'report.json'), 'utf8')) as Report;
  const modelFile = report.tasks.find((t) => t.task.name === TASK)!.modelFile!;
  const model = unzipSync(readFileSync(join(trained, modelFile)));
  const jobDir = join(work, `job-${runs}`);
  rmSync(jobDir, { recursive: true, force: true });
  lab(
    'export-job',
    'demo:20',
    '--tasks',
    TASK,
    '--grid',
    'none',
    '--repeats',
    String(runs),
    '--epochs',
    '1',
    '--out',
    jobDir,
  );
  const job = JSON.parse(readFileSync(join(jobDir, 'job.json'), 'utf8')) as ClusterJob;
  const truth = { validation: splitTruth(jobDir, job, 'validation'), test: splitTruth(jobDir, job, 'test') };
  return { job, truth, modelJson: model['model.json']!, weights: model['weights.bin']! };
}

/** Each row's class in a split's NPZ file, mirrored rows after the originals as the runner reads them. */
function splitTruth(jobDir: string, job: ClusterJob, split: 'validation' | 'test'): number[] {
  const labels = Array.from(
    readNpz(readFileSync(join(jobDir, job.splits[split].file)))['labels']!.data,
    Number,
  );
  return job.preprocessing.flip ? [...labels, ...labels] : labels;
}

/** What run_job.py writes for a run: made-up figures that agree with themselves (every prediction right). */
function runJson(job: ClusterJob, index: number, truth: { validation: number[]; test: number[] }) {
  const k = job.task.classes.length;
  const evaluation = (t: number[]) => {
    const confusion = Array.from({ length: k }, (_, i) =>
      Array.from({ length: k }, (_, j) => (i === j ? t.filter((c) => c === i).length : 0)),
    );
    return { loss: 0.1, accuracy: 1, confusion, predictions: t, confidence: t.map(() => 0.9) };
  };
  const run = job.runs[index]!;
  const validation = evaluation(truth.validation);
  return {
    id: run.id,
    index,
    cell: run.cell,
    seed: run.seed,
    epochs: [
      {
        epoch: 0,
        loss: 0.1,
        accuracy: 1,
        valLoss: 0.1,
        valAccuracy: 1,
        confusion: validation.confusion,
        seconds: 10,
        samplesPerSecond: 30,
      },
    ],
    bestEpoch: 0,
    stoppedEarly: false,
    validation,
    test: evaluation(truth.test),
    trainedOn: { host: 'bench', torch: '1.13.1', device: 'cpu', python: '3.11', worker: 'w0' },
    startedAt: '2026-12-08T00:00:00Z',
    finishedAt: '2026-12-08T00:00:10Z',
  };
}

/** results.zip written entry by entry to disk (stored: weights do not deflate), in the runner's order. */
function writeResults(path: string, p: ReturnType<typeof prepare>): number {
  const fd = openSync(path, 'w');
  const zip = new Zip((err, data) => {
    if (err) throw err;
    writeSync(fd, data);
  });
  const add = (name: string, bytes: Uint8Array) => {
    const f = new ZipPassThrough(name);
    zip.add(f);
    f.push(bytes, true);
  };
  const meta = {
    format: RESULTS_FORMAT,
    version: RESULTS_VERSION,
    jobId: p.job.id,
    createdAt: new Date().toISOString(),
  };
  add('results.json', strToU8(JSON.stringify(meta)));
  add('job.json', strToU8(JSON.stringify(p.job)));
  p.job.runs.forEach((r, i) => {
    add(`runs/${r.id}/run.json`, strToU8(JSON.stringify(runJson(p.job, i, p.truth))));
    add(`runs/${r.id}/model.json`, p.modelJson);
    add(`runs/${r.id}/weights.bin`, p.weights);
  });
  zip.end();
  closeSync(fd);
  return statSync(path).size;
}

/** `lab import-results`: the peak of its process tree (Node reading the zip, and the Chromium it drives). */
async function cliPeak(zip: string): Promise<{ peakMB: number; seconds: number }> {
  const t0 = Date.now();
  const child = spawn(
    process.execPath,
    ['bin/fashion-cnn-lab.mjs', 'import-results', 'demo:20', zip, '--out', join(work, 'cli-out')],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let err = '';
  child.stderr.on('data', (d) => (err += String(d)));
  const stop = peakSampler(() => childrenPssMB(child.pid!, true).all!);
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  const peakMB = stop();
  if (code !== 0) throw new Error(`import-results failed:\n${err}`);
  return { peakMB, seconds: (Date.now() - t0) / 1000 };
}

/** The page's "Import results" on the demo catalog: the browser's peak above its level just before. */
async function pagePeak(zip: string): Promise<{
  baseMB: number;
  peakMB: number;
  peakByTypeMB: Record<string, number>;
  seconds: number;
  notice: string;
}> {
  const { url, server } = await serveLab(0, { rebuild: 'if-stale' });
  const browser = await launchWithProfile(); // IndexedDB on disk, as in a person's browser
  try {
    const page = await browser.context.newPage();
    await page.goto(url);
    await page.getByLabel('Size').selectOption('20');
    await page.getByRole('button', { name: 'Try the demo catalog' }).click();
    await page.getByRole('button', { name: 'Train models on it' }).click();
    await page.getByRole('tab', { name: new RegExp(`^${TASK}`) }).click();
    await page.waitForTimeout(2000);
    const baseMB = childrenPssMB().all!;
    const t0 = Date.now();
    // PSS, not RSS: Chromium's processes share memory (a blob's bytes on their way to IndexedDB), which RSS counts
    // once in each process that maps it.
    const byType: Record<string, number> = {};
    const stop = peakSampler(() => {
      const now = childrenPssMB();
      for (const [k, v] of Object.entries(now)) byType[k] = Math.max(byType[k] ?? 0, v);
      return now.all!;
    });
    await page.getByTestId('import-results').setInputFiles(zip);
    const notice = page.getByTestId('cluster-notice').or(page.getByTestId('cluster-error'));
    await notice.waitFor({ timeout: 1_800_000 });
    const peakMB = stop();
    return {
      baseMB,
      peakMB,
      peakByTypeMB: byType,
      seconds: (Date.now() - t0) / 1000,
      notice: (await notice.textContent()) ?? '',
    };
  } finally {
    await browser.close();
    await new Promise<void>((r) => server.httpServer.close(() => r()));
  }
}

async function main() {
  mkdirSync(work, { recursive: true });
  await ensureBuilt(); // before any measurement: a build inside one would count as its memory
  if (values.zip) {
    console.log(JSON.stringify(await pagePeak(resolve(values.zip)), null, 1));
    return;
  }
  const sizes = [Math.max(1, Math.round(RUNS / 5)), RUNS];
  const rows = [];
  for (const runs of sizes) {
    const p = prepare(runs);
    const zip = join(work, `results-${runs}.zip`);
    const bytes = writeResults(zip, p);
    console.log(`results.zip of ${runs} runs: ${(bytes / 2 ** 30).toFixed(2)} GiB`);
    const cli = await cliPeak(zip);
    console.log(
      `  command line: peak ${cli.peakMB.toFixed(0)} MB PSS (its process tree), ${cli.seconds.toFixed(0)} s`,
    );
    const page = await pagePeak(zip);
    console.log(
      `  page: ${(page.peakMB - page.baseMB).toFixed(0)} MB above its ${page.baseMB.toFixed(0)} MB ` +
        `(peak ${page.peakMB.toFixed(0)} MB PSS; by process ${Object.entries(page.peakByTypeMB)
          .map(([k, v]) => `${k} ${v.toFixed(0)}`)
          .join(', ')}), ${page.seconds.toFixed(0)} s: ${page.notice}`,
    );
    rows.push({ runs, bytes, cli, page });
    if (!values['keep-zips']) rmSync(zip);
  }
  const [small, big] = rows;
  const out = {
    bench: 'results-import',
    date: new Date().toISOString(),
    machine: machine(),
    rows,
    ratios: {
      cliPeak: big!.cli.peakMB / small!.cli.peakMB,
      pageAboveBase: (big!.page.peakMB - big!.page.baseMB) / (small!.page.peakMB - small!.page.baseMB),
    },
  };
  mkdirSync('bench-results', { recursive: true });
  const file = join('bench-results', `results-import-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(out, null, 1));
  console.log(
    `peak memory, ${big!.runs} runs against ${small!.runs}: command line ${out.ratios.cliPeak.toFixed(2)}×, ` +
      `page ${out.ratios.pageAboveBase.toFixed(2)}× -> ${file}`,
  );
}

await main();
