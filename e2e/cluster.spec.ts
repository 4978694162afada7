/**
 * A grid trained elsewhere, end to end as a user runs it: export a 2-cell × 2-seed job from the demo catalog with the
 * page's "Run elsewhere…" (the same job as the command line's export-job), run it with cluster/run_job.py on a Dask
 * LocalCluster of 2 workers, kill one worker mid-grid (Dask reruns its task: nothing lost, nothing doubled), rerun
 * (nothing redone), import the results with the command line (its report) and in the page (its grid, confusion
 * images and labeller).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { torchPython } from '../scripts/cluster/torchPython';
import { renderJpeg } from '../scripts/demo/render';
import type { ClusterJob } from '../src/core/clusterJob';
import { DEMO_CLASSES } from '../src/demo/taxonomy';
import { openDemo, taskTab } from './support/flows';
import { lab } from './support/labCli';

const { python, reason } = torchPython();

/** Runs the runner; `onLine` sees each line of its output as it comes. */
function runJob(dir: string, onLine: (line: string) => void = () => undefined) {
  return new Promise<{ code: number | null; out: string }>((resolve) => {
    const p = spawn(python!, ['cluster/run_job.py', dir, '--workers', '2'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let partial = '';
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const lines = (partial + d.toString()).split('\n');
      partial = lines.pop()!;
      lines.forEach(onLine);
    });
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    p.on('close', (code) => resolve({ code, out }));
  });
}

test.describe.configure({ timeout: 480_000 });

const readJob = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as ClusterJob;
/** What the page's job and the command line's must share: the task, cells, seeds, settings and split files. */
const essence = (j: ClusterJob) => ({
  dataset: j.dataset,
  task: j.task,
  settings: j.settings,
  preprocessing: j.preprocessing,
  grid: j.grid,
  repeats: j.repeats,
  cells: j.cells,
  runs: j.runs.map(({ id: _id, ...r }) => r),
  splits: Object.fromEntries(Object.entries(j.splits).map(([k, v]) => [k, { file: v.file, count: v.count }])),
});

test(`a grid run on a Dask LocalCluster survives a lost worker and comes back into the lab${python ? '' : ` (skipped: ${reason})`}`, async ({
  page,
}) => {
  test.skip(!python, reason);
  const root = join(process.cwd(), '.e2e-data', 'cluster');
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  // The page offers the demo catalog from 20 images per class; demo:20 is the same dataset on the command line.
  const cliJobDir = join(root, 'cli-job');
  const exported = lab(
    'export-job',
    'demo:20',
    '--tasks',
    'Primary',
    '--grid',
    'filters=4,6',
    '--repeats',
    '2',
    '--epochs',
    '2',
    '--quick',
    '--out',
    cliJobDir,
  );
  expect(exported.err).not.toContain('error:');
  expect(exported.code).toBe(0);
  expect(exported.err).toContain('Primary: 2 cells × 2 seeds = 4 runs');
  const files = [
    'Primary categories - Test.npz',
    'Primary categories - Train.npz',
    'Primary categories - Validation.npz',
    'README.md',
    'job.json',
  ];
  expect(readdirSync(cliJobDir).sort()).toEqual(files);

  // The same grid in the page: Quick look, 2 epochs, filters 4 and 6 only, 2 runs per cell; "Run elsewhere…".
  await openDemo(page, 20);
  await taskTab(page, 'Primary').click();
  await page.getByRole('button', { name: 'Quick look' }).click();
  await page.getByTestId('task-settings').getByLabel('Epochs').fill('2');
  const grid = page.getByTestId('grid-editor');
  for (const name of ['First kernel', 'Second kernel', 'Dense units', 'Dropout'])
    await grid.getByRole('textbox', { name, exact: true }).fill('');
  await grid.getByRole('textbox', { name: 'Filters', exact: true }).fill('4, 6');
  await grid.getByLabel('Runs per cell').fill('2');
  await expect(page.getByTestId('grid-size')).toContainText('2 cells × 2 runs = 4 runs');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    grid.getByRole('button', { name: 'Run elsewhere…' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^Primary-job-.+\.zip$/);
  const jobDir = join(root, 'job');
  mkdirSync(jobDir);
  const unzipped = unzipSync(readFileSync(await download.path()));
  for (const [name, data] of Object.entries(unzipped)) writeFileSync(join(jobDir, name), data);
  expect(readdirSync(jobDir).sort()).toEqual(files);
  const pageJob = readJob(join(jobDir, 'job.json'));
  expect(pageJob.cells.map((c) => c.label)).toEqual(['filters 4', 'filters 6']);
  expect(pageJob.runs.map((r) => [r.cell, r.seed])).toEqual([
    [0, pageJob.settings.seed],
    [0, pageJob.settings.seed + 1],
    [1, pageJob.settings.seed],
    [1, pageJob.settings.seed + 1],
  ]);
  expect(pageJob.splits.test.items).toHaveLength(pageJob.splits.test.count);
  expect(essence(pageJob)).toEqual(essence(readJob(join(cliJobDir, 'job.json'))));
  expect(strFromU8(unzipped['README.md']!)).toContain('python3 cluster/run_job.py');

  // The page's job on the runner. The first run to finish names its worker, which has already taken its next run:
  // that worker is killed.
  let killed: number | null = null;
  const first = await runJob(jobDir, (line) => {
    const m = /^\[1\/4\] .*\(pid (\d+)\)$/.exec(line);
    if (m && killed === null) {
      killed = Number(m[1]);
      process.kill(killed, 'SIGKILL');
    }
  });
  expect(first.out).toContain('job ');
  expect(killed).not.toBeNull();
  expect(first.out).toMatch(new RegExp(`1 worker\\(s\\) lost during the grid \\(pid ${killed}\\)`));
  expect(first.out).toMatch(
    /4\/4 runs done \(4 trained now in [\d.]+ s, [\d.]+ runs\/min on LocalCluster with 2 workers/,
  );
  expect(first.code).toBe(0);
  const resultsZip = join(jobDir, 'results.zip');
  const zip = unzipSync(readFileSync(resultsZip));
  const runJsons = Object.keys(zip).filter((n) => n.endsWith('/run.json'));
  expect(runJsons.sort()).toEqual(pageJob.runs.map((r) => `runs/${r.id}/run.json`).sort());
  expect(readdirSync(join(jobDir, 'runs'))).toHaveLength(4); // no half-written run left behind
  // The killed worker trained the first run only: the run it had taken next was trained again by another worker.
  const pids = runJsons.map(
    (n) =>
      (JSON.parse(Buffer.from(zip[n]!).toString('utf8')) as { trainedOn: { pid: number } }).trainedOn.pid,
  );
  expect(pids.filter((p) => p === killed)).toHaveLength(1);

  const again = await runJob(jobDir);
  expect(again.out).toContain('4 already done, 0 to run');
  expect(again.code).toBe(0);

  const out = join(root, 'report');
  const imported = lab('import-results', 'demo:20', resultsZip, '--out', out);
  expect(imported.err).not.toContain('error:');
  expect(imported.code).toBe(0);
  expect(imported.err).toContain('Imported 4 of 4 runs of Primary');
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  const [task] = report.tasks;
  expect(task.task.name).toBe('Primary');
  expect(task.runs).toHaveLength(4);
  expect(task.runs.every((r: { backend: string }) => /^PyTorch 1\.\d+.* on /.test(r.backend))).toBe(true);
  const rows = task.jobs[0].gridResult.rows as {
    label: string;
    summary: { n: number; mean: number; sd: number };
  }[];
  expect(rows.map((r) => r.label).sort()).toEqual(['filters 4', 'filters 6']);
  for (const r of rows) {
    expect(r.summary.n).toBe(2);
    expect(Number.isFinite(r.summary.mean) && Number.isFinite(r.summary.sd)).toBe(true);
  }
  const md = readFileSync(join(out, 'report.md'), 'utf8');
  expect(md).toMatch(/\| filters [46] \| 2 \| [\d.]+% \| [\d.]+% \|/);
  expect(md).toContain('trained elsewhere: PyTorch');

  // The same results.zip in the page: the grid, the chosen model's confusion images, the labeller.
  await grid.getByTestId('import-results').setInputFiles(resultsZip);
  await expect(page.getByTestId('cluster-notice')).toContainText(
    /Imported 4 of 4 runs of Primary, trained elsewhere: PyTorch 1\.\d+.* on host .+, cpu/,
  );
  const results = page.getByTestId('grid-results');
  const cells = results.locator('tbody tr[data-n="2"]');
  await expect(cells).toHaveCount(2);
  for (const c of await cells.all()) {
    await expect(c.locator('td[data-col="mean"]')).toHaveText(/^\d+\.\d%$/);
    await expect(c.locator('td').nth(3)).toHaveText(/^\d+\.\d%$/); // sd over the 2 runs
  }
  await expect(page.getByTestId('runs-table').locator('tr[data-run][data-status="done"]')).toHaveCount(4);
  await expect(page.getByTestId('job-elsewhere')).toContainText('trained elsewhere: PyTorch 1.');
  await expect(page.getByTestId('trained-elsewhere')).toContainText(
    /Trained elsewhere: PyTorch 1\.\d+.* on host/,
  );
  await expect(page.getByTestId('chosen-run')).toBeVisible();
  const testMatrix = page.getByTestId('test-confusion');
  await testMatrix.locator('summary').click();
  await testMatrix.getByTestId('test-confusion-counts').locator('td button').first().click();
  await expect(testMatrix.getByTestId('cell-examples').locator('canvas').first()).toBeVisible();

  // Results of a task this dataset lacks are refused in words, and what was imported stays.
  const other = { ...unzipSync(readFileSync(resultsZip)) };
  const otherJob = JSON.parse(strFromU8(other['job.json']!)) as ClusterJob;
  other['job.json'] = strToU8(JSON.stringify({ ...otherJob, task: { ...otherJob.task, id: 'elsewhere' } }));
  const otherZip = join(root, 'other-results.zip');
  writeFileSync(otherZip, zipSync(other));
  await grid.getByTestId('import-results').setInputFiles(otherZip);
  await expect(page.getByTestId('cluster-error')).toContainText(
    'other-results.zip was not imported: These results do not belong here: they are of the task "Primary"',
  );
  await expect(page.getByTestId('runs-table').locator('tr[data-run][data-status="done"]')).toHaveCount(4);

  // One image moved between splits: the command line refuses it as the page does, and writes nothing.
  const moved = { ...unzipSync(readFileSync(resultsZip)) };
  const movedJob = JSON.parse(strFromU8(moved['job.json']!)) as ClusterJob;
  const [fromTrain] = movedJob.splits.train.items!;
  movedJob.splits.train.items = [
    movedJob.splits.validation.items![0]!,
    ...movedJob.splits.train.items!.slice(1),
  ];
  movedJob.splits.validation.items = [fromTrain!, ...movedJob.splits.validation.items!.slice(1)];
  moved['job.json'] = strToU8(JSON.stringify(movedJob));
  const movedZip = join(root, 'moved-results.zip');
  writeFileSync(movedZip, zipSync(moved));
  const movedOut = join(root, 'moved-report');
  const refused = lab('import-results', 'demo:20', movedZip, '--out', movedOut);
  expect(refused.code).toBe(2);
  expect(refused.err).toMatch(
    /^error: These results do not belong here: their train split .* is not Primary's train split here/m,
  );
  expect(existsSync(join(movedOut, 'report.json'))).toBe(false);

  // The labeller labels a new photo with the imported Primary model.
  await page.getByRole('button', { name: 'Label', exact: true }).click();
  await expect(page.getByTestId('labeller-models')).toContainText(/^1 of \d+ task models/);
  const heels = DEMO_CLASSES.findIndex((c) => c.path.join('/') === 'Shoes/Female/High heels');
  await page
    .getByTestId('label-input')
    .setInputFiles([{ name: 'heels.jpg', mimeType: 'image/jpeg', buffer: renderJpeg(heels, 0, 777) }]);
  const item = page.getByTestId('labelled').locator(':scope > li');
  await expect(item).toHaveCount(1, { timeout: 60_000 });
  await expect(item.locator('ol.levels li[data-task="Primary"]')).toHaveText(/\(Primary, \d+\.\d%\)/);
});
