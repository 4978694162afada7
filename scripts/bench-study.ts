/**
 * `npm run bench:study`: the whole study at its size, as a person runs it. The demo catalog at 941 a class
 * (15,997 images) imported in the page and reopened from its cache, with the peak memory of the browser's processes;
 * then every task trained at the study's own settings (`lab train`, one epoch by default) on the fastest backend,
 * labelled and reported, with per task its samples/s and the sizes of its model and checkpoint, and for the run
 * the peak memory of the command line's processes and the bytes the browser's IndexedDB holds. Prints, and writes
 * JSON to bench-results/.
 *
 *   npm run bench:study -- [--per-class 941] [--epochs 1]
 */
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  childrenPssMB,
  ensureBuilt,
  launchWithProfile,
  machine,
  peakSampler,
  serveLab,
} from './bench/harness';
import type { Report } from './lab/report';

const { values } = parseArgs({
  options: { 'per-class': { type: 'string', default: '941' }, epochs: { type: 'string', default: '1' } },
});
const perClass = Number(values['per-class']);
const epochs = Number(values.epochs);
const out = resolve('node_modules/.bench-study');

/** The page's demo catalog at `perClass`: the import's time and peak, then a reload and the reopen's. */
async function importAndReopen() {
  const { url, server } = await serveLab(0, { rebuild: 'if-stale' });
  const browser = await launchWithProfile(); // IndexedDB on disk, as in a person's browser
  try {
    const page = await browser.context.newPage();
    await page.goto(url);
    await page.getByLabel('Size').selectOption(String(perClass));
    let stop = peakSampler(() => childrenPssMB().all!);
    let t0 = performance.now();
    await page.getByRole('button', { name: 'Try the demo catalog' }).click();
    await page.getByTestId('dataset-summary').waitFor({ timeout: 1_800_000 });
    const importSeconds = (performance.now() - t0) / 1000;
    const importPeakMB = stop();
    const images = perClass * 17;
    await page.reload();
    stop = peakSampler(() => childrenPssMB().all!);
    t0 = performance.now();
    await page.getByRole('button', { name: /^Open/ }).first().click();
    await page.getByTestId('from-cache').waitFor({ timeout: 600_000 });
    const reopenSeconds = (performance.now() - t0) / 1000;
    const reopenPeakMB = stop();
    const usage = await page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
    return {
      images,
      importSeconds,
      imagesPerSecond: images / importSeconds,
      importPeakMB,
      reopenSeconds,
      reopenPeakMB,
      indexedDbBytes: usage,
    };
  } finally {
    await browser.close();
    await new Promise<void>((r) => server.httpServer.close(() => r()));
  }
}

/** `lab train` of every task at the study's settings: its report and the peak of its process tree. */
async function trainEveryTask() {
  const dir = join(out, 'train');
  rmSync(dir, { recursive: true, force: true });
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    ['bin/fashion-cnn-lab.mjs', 'train', `demo:${perClass}`, '--epochs', String(epochs), '--out', dir],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let err = '';
  // The command line's progress, as it comes: each task's line, even if the run is cut short.
  child.stderr.on('data', (d) => {
    err += String(d);
    appendFileSync(join(out, 'train.log'), String(d));
  });
  const stop = peakSampler(() => childrenPssMB(child.pid!, true).all!, 500);
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  const peakMB = stop();
  const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
  const tasks = report.tasks.map((t) => {
    const run = t.runs.find((r) => r.id === t.chosenRunId) ?? t.runs[0];
    const epochsRun = run?.epochs ?? [];
    const weightBytes = (run?.params ?? 0) * 4;
    return {
      task: t.task.name,
      status: run?.status ?? 'not trained',
      samplesPerSecond: epochsRun.length
        ? epochsRun.reduce((a, e) => a + e.samplesPerSecond, 0) / epochsRun.length
        : null,
      params: run?.params ?? null,
      modelZipBytes: t.modelFile ? statSync(join(dir, t.modelFile)).size : null,
      // What each epoch's checkpoint holds: the weights, Adam's two moments, and the best epoch's weights.
      checkpointBytes: weightBytes * 4,
      testAccuracy: run?.test?.accuracy ?? null,
    };
  });
  return {
    exitCode: code,
    failed: report.failed ?? [],
    seconds: (performance.now() - t0) / 1000,
    peakMB,
    tasks,
    labellerBytes: report.labellerFile ? statSync(join(dir, report.labellerFile)).size : null,
    indexedDbBytes: (report.environment['storage'] as { usage?: number } | undefined)?.usage ?? null,
    stderrTail: err.split('\n').slice(-4).join('\n'),
  };
}

async function main() {
  mkdirSync(out, { recursive: true });
  await ensureBuilt(); // before any measurement: a build inside one would count as its memory
  console.log(`The study at ${perClass} a class (${perClass * 17} images), every task ${epochs} epoch(s)…`);
  const data = await importAndReopen();
  console.log(
    `import: ${data.imagesPerSecond.toFixed(0)} images/s (${data.importSeconds.toFixed(1)} s), peak ${data.importPeakMB.toFixed(0)} MB ` +
      `across the browser's processes; reopen ${data.reopenSeconds.toFixed(2)} s, peak ${data.reopenPeakMB.toFixed(0)} MB; ` +
      `IndexedDB ${(data.indexedDbBytes / 1e6).toFixed(0)} MB`,
  );
  const train = await trainEveryTask();
  for (const t of train.tasks)
    console.log(
      `  ${t.task}: ${t.status}, ${t.samplesPerSecond?.toFixed(0) ?? '–'} samples/s, model ${((t.modelZipBytes ?? 0) / 1e6).toFixed(1)} MB, ` +
        `checkpoint ${(t.checkpointBytes / 1e6).toFixed(0)} MB, test ${t.testAccuracy === null ? '–' : (t.testAccuracy * 100).toFixed(1) + '%'}`,
    );
  console.log(
    `train every task: ${train.seconds.toFixed(0)} s, exit ${train.exitCode}, ${train.failed.length} failed, peak ${train.peakMB.toFixed(0)} MB ` +
      `(PSS of the command line and its browser), labeller ${((train.labellerBytes ?? 0) / 1e6).toFixed(0)} MB, ` +
      `IndexedDB ${train.indexedDbBytes === null ? '?' : (train.indexedDbBytes / 1e6).toFixed(0)} MB at the end`,
  );
  mkdirSync('bench-results', { recursive: true });
  const file = join('bench-results', `study-${perClass}-${Date.now()}.json`);
  writeFileSync(
    file,
    JSON.stringify(
      { bench: 'study', date: new Date().toISOString(), machine: machine(), perClass, epochs, data, train },
      null,
      1,
    ),
  );
  console.log(`-> ${file}`);
  if (train.exitCode !== 0) process.exitCode = 1;
}

await main();
