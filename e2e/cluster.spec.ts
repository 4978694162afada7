/**
 * A grid trained elsewhere, end to end as a user runs it: export a 2-cell × 2-seed job from the demo catalog with the
 * command line, run it with cluster/run_job.py on a Dask LocalCluster of 2 workers, kill one worker mid-grid (Dask
 * reruns its task: nothing lost, nothing doubled), rerun (nothing redone), import the results and read the report.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { unzipSync } from 'fflate';
import { torchPython } from '../scripts/cluster/torchPython';
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

test.describe.configure({ timeout: 360_000 });

test(`a grid run on a Dask LocalCluster survives a lost worker and comes back into the lab${python ? '' : ` (skipped: ${reason})`}`, async () => {
  test.skip(!python, reason);
  const root = join(process.cwd(), '.e2e-data', 'cluster');
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const jobDir = join(root, 'job');
  const exported = lab(
    'export-job',
    'demo:10',
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
    jobDir,
  );
  expect(exported.err).not.toContain('error:');
  expect(exported.code).toBe(0);
  expect(exported.err).toContain('Primary: 2 cells × 2 seeds = 4 runs');
  expect(readdirSync(jobDir).sort()).toEqual([
    'Primary categories - Test.npz',
    'Primary categories - Train.npz',
    'Primary categories - Validation.npz',
    'README.md',
    'job.json',
  ]);

  // The first run to finish names its worker, which has already taken its next run: that worker is killed.
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
  const zip = unzipSync(readFileSync(join(jobDir, 'results.zip')));
  const runJsons = Object.keys(zip).filter((n) => n.endsWith('/run.json'));
  expect(runJsons.sort()).toEqual(
    (JSON.parse(readFileSync(join(jobDir, 'job.json'), 'utf8')) as { runs: { id: string }[] }).runs
      .map((r) => `runs/${r.id}/run.json`)
      .sort(),
  );
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
  const imported = lab('import-results', 'demo:10', join(jobDir, 'results.zip'), '--out', out);
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
});
