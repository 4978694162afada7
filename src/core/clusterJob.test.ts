import { strFromU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { clusterJobFiles, JOB_FORMAT, JOB_VERSION } from './clusterJob';
import { parseClusterJob } from './clusterResults';
import { layersOf } from './models';
import { readNpz } from './npz';
import { jobRunAt, jobRunCount } from './runs';
import { clusterJobFixture } from './testing/clusterFixture';

describe('cluster job export', () => {
  it("holds every cell and seed of the lab's job, in the lab's run order", () => {
    const { job, files, task } = clusterJobFixture({ grid: { filters: [4, 6] }, repeats: 2 });
    const value = JSON.parse(strFromU8(files['job.json']!));
    expect(parseClusterJob(value)).toEqual(value);
    expect(value.format).toBe(JOB_FORMAT);
    expect(value.version).toBe(JOB_VERSION);
    expect(value.runs).toHaveLength(jobRunCount(job));
    for (const run of value.runs) {
      const at = jobRunAt(job, run.index);
      expect(run).toEqual({
        id: `testjob-${run.index}`,
        index: run.index,
        cell: at.cell,
        repeat: at.repeat,
        seed: at.seed,
      });
    }
    expect(value.runs.map((r: { seed: number }) => r.seed)).toEqual([3, 4, 3, 4]);
    expect(value.cells.map((c: { label: string }) => c.label)).toEqual(['filters 4', 'filters 6']);
    expect(value.cells[1].layers).toEqual(layersOf({ ...job.base, filters: 6 }, 2));
    expect(value.task.classes).toEqual(task.outputs.map((o) => o.join('/')));
    expect(value.preprocessing).toEqual({ scale: 'x / 255', flip: true, flipItemOffset: 40 });
    expect(value.settings).toMatchObject({ epochs: 2, batchSize: 8, seed: 3, patience: 2, flip: true });
  });

  it("writes the task's splits as the study's NPZ files, rows in dataset order, with their dataset indices", () => {
    const { files, dataset } = clusterJobFixture();
    const value = JSON.parse(strFromU8(files['job.json']!));
    expect(Object.keys(files).sort()).toEqual(
      [
        'Primary categories - Test.npz',
        'Primary categories - Train.npz',
        'Primary categories - Validation.npz',
        'README.md',
        'job.json',
      ].sort(),
    );
    const test = readNpz(files['Primary categories - Test.npz']!);
    expect(test['images']!.shape).toEqual([8, 120, 90, 3]);
    expect(value.splits.test).toEqual({
      file: 'Primary categories - Test.npz',
      count: 8,
      items: [32, 33, 34, 35, 36, 37, 38, 39],
    });
    expect(Array.from(test['labels']!.data)).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    expect(Array.from(test['images']!.data.subarray(0, 50))).toEqual(
      Array.from(dataset.image(32).subarray(0, 50)),
    );
    const readme = strFromU8(files['README.md']!);
    expect(readme).toContain('python3 cluster/run_job.py THIS_FOLDER');
    expect(readme).toContain('1 cells × 1 seeds = 1 runs');
  });

  it('refuses to export a task without validation images', () => {
    const { job, task, dataset } = clusterJobFixture();
    const split = dataset.split.map((s) => (s === 1 ? 0 : s));
    expect(() => clusterJobFiles(job, task, { ...dataset, split })).toThrow(
      'Primary has no validation images in this dataset: a job needs them to train.',
    );
  });

  it('refuses a job.json that is not one, naming what is wrong', () => {
    const { files } = clusterJobFixture();
    const value = JSON.parse(strFromU8(files['job.json']!));
    expect(() => parseClusterJob({ ...value, version: 9 })).toThrow(
      /job version 9 is not one this lab reads/,
    );
    expect(() => parseClusterJob({ ...value, format: 'x' })).toThrow(/not a lab cluster job/);
    expect(() => parseClusterJob({ ...value, runs: [{ ...value.runs[0], cell: 5 }] })).toThrow(
      /run 0's cell must be a whole number from 0 to 0/,
    );
    expect(() =>
      parseClusterJob({ ...value, splits: { ...value.splits, test: { ...value.splits.test, items: [1] } } }),
    ).toThrow(/splits.test.items has 1 entries where 8 are expected/);
  });
});
