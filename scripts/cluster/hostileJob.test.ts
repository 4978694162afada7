/**
 * Hostile jobs for cluster/run_job.py: each case is a job folder someone crafted, the one line the runner must answer
 * with, exit status 2, and nothing written anywhere (the job folder and the folders above it are left as they were).
 * The runner refuses a bad job before importing PyTorch or Dask, so these need only Python and NumPy.
 */
import { spawn, spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import type { ClusterJob } from '../../src/core/clusterJob';
import { writeNpz } from '../../src/core/npz';
import { clusterJobFixture } from '../../src/core/testing/clusterFixture';

const root = join(import.meta.dirname, '..', '..');
const python = ['python3', '/usr/bin/python3'].find(
  (p) => spawnSync(p, ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0,
);
const fixture = clusterJobFixture();
const TRAIN = fixture.clusterJob.splits.train.file;
const IMAGES = fixture.clusterJob.splits.train.count;
const tmp = mkdtempSync(join(tmpdir(), 'lab-hostile-job-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type Job = ClusterJob & Record<string, unknown>;
interface Case {
  name: string;
  /** Changes the job before it is written; `dir` is the job folder. */
  job?: (job: Job, dir: string) => unknown;
  /** Replaces or adds files after the job is written. */
  files?: (dir: string) => void;
  message: string;
}

const labels = (data: Float64Array, dtype: 'int64' | 'float32' = 'int64') =>
  writeNpz({
    images: {
      dtype: 'uint8',
      shape: [data.length, 120, 90, 3],
      data: new Uint8Array(data.length * 120 * 90 * 3),
    },
    labels: { dtype, shape: [data.length], data },
  });

const HOSTILE_JOBS: Case[] = [
  {
    name: "a run id that climbs out of the folder ('../../x')",
    job: (j) => (j.runs[0]!.id = '../../x'),
    message: `runs[0].id: '../../x' is not a safe id (letters, digits, '-' and '_', at most 64)`,
  },
  {
    name: 'an absolute run id',
    job: (j) => (j.runs[0]!.id = '/tmp/x'),
    message: `runs[0].id: '/tmp/x' is not a safe id`,
  },
  {
    name: "a safe run id that is not the job's id and index",
    job: (j) => (j.runs[0]!.id = 'other-0'),
    message: `runs[0].id: 'other-0' is not testjob-0 (the job's id, then the index)`,
  },
  {
    name: 'a job id with a slash',
    job: (j) => (j.id = 'a/b'),
    message: `id: 'a/b' is not a safe id`,
  },
  {
    name: "a split file in the folder above ('../elsewhere.npz')",
    job: (j) => (j.splits.train.file = '../elsewhere.npz'),
    message: `splits.train.file: '../elsewhere.npz' is not the name of an .npz file in the job folder`,
  },
  {
    name: 'an absolute split file',
    job: (j) => (j.splits.test.file = '/etc/passwd'),
    message: `splits.test.file: '/etc/passwd' is not the name of an .npz file in the job folder`,
  },
  {
    name: 'a split file that is a link to a file outside the folder',
    job: (j) => (j.splits.validation.file = 'link.npz'),
    files: (dir) => symlinkSync(join(dir, '..', 'outside.npz'), join(dir, 'link.npz')),
    message: `splits.validation.file: 'link.npz' leads outside the job folder`,
  },
  {
    name: 'runs/ a link to a folder outside',
    files: (dir) => symlinkSync(join(dir, '..'), join(dir, 'runs')),
    message: `runs: 'runs' leads outside the job folder`,
  },
  {
    name: "no 'classes'",
    job: (j) => delete (j.task as Partial<Job['task']>).classes,
    message: 'task.classes: is missing',
  },
  {
    name: 'a task that is a string',
    job: (j) => ((j as Record<string, unknown>).task = 'Primary'),
    message: 'task: must be an object, not a string',
  },
  {
    name: "no 'preprocessing'",
    job: (j) => delete (j as Partial<Job>).preprocessing,
    message: 'preprocessing: is missing',
  },
  {
    name: 'epochs as a string',
    job: (j) => ((j.settings as unknown as Record<string, unknown>).epochs = '5'),
    message: 'settings.epochs: must be an integer, not a string',
  },
  {
    name: 'a fractional batch size',
    job: (j) => (j.settings.batchSize = 7.5),
    message: 'settings.batchSize: must be an integer, not the number 7.5',
  },
  {
    name: 'a NaN learning rate (JSON that JavaScript cannot write)',
    files: (dir) =>
      writeFileSync(
        join(dir, 'job.json'),
        JSON.stringify(fixture.clusterJob).replace('"learningRate":0.001', '"learningRate":NaN'),
      ),
    message: 'is not valid JSON (NaN is not a number)',
  },
  {
    name: 'more runs than cells × repeats',
    job: (j) => j.runs.push({ ...j.runs[0]!, id: 'testjob-1', index: 1 }),
    message: 'runs: has 2 runs for 1 cells x 1 repeats',
  },
  {
    name: 'a run of a cell that does not exist',
    job: (j) => (j.runs[0]!.cell = 5),
    message: 'runs[0].cell: run 0 must be cell 0, repeat 0',
  },
  {
    name: 'logits for three classes in a two-class task',
    job: (j) => {
      const layers = j.cells[0]!.layers;
      layers[layers.length - 1] = { type: 'dense', units: 3, relu: false };
    },
    message: 'cells[0].layers[7].units: 3 outputs for 2 classes',
  },
  {
    name: 'an unknown layer type',
    job: (j) => (j.cells[0]!.layers[0] = { type: 'lstm' } as never),
    message: `cells[0].layers[0].type: must be one of 'conv2d', 'maxPool', 'flatten', 'dense', 'dropout', not 'lstm'`,
  },
  {
    name: 'a kernel larger than the image',
    job: (j) => (j.cells[0]!.layers[0] = { type: 'conv2d', filters: 4, kernel: 121 }),
    message: 'cells[0].layers[0].kernel: 121 is out of range (1..31)',
  },
  {
    name: 'a huge dense layer (a memory bomb)',
    job: (j) => {
      const layers = j.cells[0]!.layers;
      layers[layers.length - 3] = { type: 'dense', units: 1 << 20, relu: true };
    },
    message: 'cells[0].layers[5]: the model passes 200,000,000 parameters here',
  },
  {
    name: 'a truncated NPZ',
    files: (dir) => writeFileSync(join(dir, TRAIN), labels(new Float64Array(IMAGES)).subarray(0, 5000)),
    message: `splits.train.file: ${TRAIN} is not a readable NPZ file (BadZipFile`,
  },
  {
    name: 'float labels (0.7)',
    files: (dir) => writeFileSync(join(dir, TRAIN), labels(new Float64Array(IMAGES).fill(0.7), 'float32')),
    message: `splits.train.file: labels must be integers, not float32 (class indices 0..1)`,
  },
  {
    name: 'a label past the classes',
    files: (dir) => writeFileSync(join(dir, TRAIN), labels(new Float64Array(IMAGES).fill(2))),
    message: 'splits.train.file: label 2 is not a class (labels must be 0..1)',
  },
  {
    name: 'a negative label',
    files: (dir) => writeFileSync(join(dir, TRAIN), labels(new Float64Array(IMAGES).fill(-1))),
    message: 'splits.train.file: label -1 is not a class (labels must be 0..1)',
  },
  {
    name: 'more images than job.json counts',
    files: (dir) => writeFileSync(join(dir, TRAIN), labels(new Float64Array(IMAGES + 40))),
    message: `splits.train.file: ${TRAIN}'s images.npy declares`,
  },
  {
    name: 'an array header that declares a trillion labels (a memory bomb)',
    files: (dir) => {
      const npz = unzipSync(labels(new Float64Array(IMAGES)));
      const from = `(${IMAGES},), }${' '.repeat(12)}`;
      const to = '(999999999999,), }';
      const header = Buffer.from(npz['labels.npy']!).toString('latin1');
      npz['labels.npy'] = Buffer.from(
        header.replace(from, to + ' '.repeat(from.length - to.length)),
        'latin1',
      );
      writeFileSync(join(dir, TRAIN), zipSync(npz, { level: 0 }));
    },
    message: `splits.train.file: labels.npy is int64 (999999999999,); job.json's count of ${IMAGES} needs integers (N,)`,
  },
  {
    name: 'an NPZ that is not a zip at all',
    files: (dir) => writeFileSync(join(dir, TRAIN), strToU8('not a zip')),
    message: `splits.train.file: ${TRAIN} is not a readable NPZ file (BadZipFile`,
  },
  {
    name: 'an NPZ whose labels are pickled objects',
    files: (dir) => {
      const npz = unzipSync(labels(new Float64Array(IMAGES)));
      const latin = Buffer.from(npz['labels.npy']!).toString('latin1');
      npz['labels.npy'] = Buffer.from(latin.replace("'<i8'", "'|O' "), 'latin1');
      writeFileSync(join(dir, TRAIN), zipSync(npz, { level: 0 }));
    },
    message: 'splits.train.file: labels must be integers, not object (class indices 0..1)',
  },
  {
    name: 'an NPZ member that is not a .npy array',
    files: (dir) =>
      writeFileSync(join(dir, TRAIN), zipSync({ 'images.npy': strToU8('x'), 'labels.npy': strToU8('y') })),
    message: `splits.train.file: ${TRAIN} is not a readable NPZ file (ValueError: EOF: reading magic string`,
  },
  {
    name: 'split items past the dataset',
    job: (j) => (j.splits.test.items![0] = 10 ** 6),
    message: "splits.test.items: item 1000000 is past the dataset's 40 images",
  },
  {
    name: 'two splits naming the same file',
    job: (j) => (j.splits.test.file = j.splits.validation.file),
    message: 'splits: two splits name the same file',
  },
  {
    name: 'job.json that is a list',
    files: (dir) => writeFileSync(join(dir, 'job.json'), '[1, 2]'),
    message: 'is not a lab cluster job',
  },
];

/** Every file, folder and link under `dir` (links not followed) with its size and time: what must not change. */
function listing(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((name) => {
    const s = lstatSync(join(dir, name));
    const line = `${prefix}${name} ${s.size} ${s.mtimeMs}`;
    return s.isDirectory() ? [line, ...listing(join(dir, name), `${prefix}${name}/`)] : [line];
  });
}

function runJob(dir: string) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const p = spawn(python!, [join(root, 'cluster/run_job.py'), dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.skipIf(!python)(
  `cluster/run_job.py refuses a hostile job${python ? '' : ' (skipped: no python3 with numpy)'}`,
  () => {
    it.concurrent.each(HOSTILE_JOBS.map((c, i) => [c.name, c, i] as const))('%s', async (_name, c, i) => {
      const outer = join(tmp, `case-${i}`);
      const dir = join(outer, 'job');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(outer, 'outside.npz'), labels(new Float64Array(IMAGES)));
      const job = structuredClone(fixture.clusterJob) as Job;
      c.job?.(job, dir);
      for (const [name, bytes] of Object.entries(fixture.files))
        writeFileSync(join(dir, name), name === 'job.json' ? JSON.stringify(job) : bytes);
      c.files?.(dir);
      const before = listing(outer);

      const r = await runJob(dir);

      const lines = r.stderr.trim().split('\n');
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toContain('run_job: ');
      expect(lines[0]).toContain(c.message);
      expect(r.stderr).not.toContain('Traceback');
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(listing(outer)).toEqual(before);
    });
  },
);
