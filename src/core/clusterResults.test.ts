import { strFromU8, strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  ClusterResultsError,
  readClusterResultsWithModels as readClusterResults,
  RESULTS_FORMAT,
} from './clusterResults';
import type { ClusterJob } from './clusterJob';
import { gridResult } from './runs';
import { taskSplits } from './taskData';
import { deriveTasks } from './tasks';
import { clusterDataset, clusterJobFixture } from './testing/clusterFixture';

const fixture = clusterJobFixture({ grid: { filters: [4, 6] }, repeats: 2 });
const job = JSON.parse(strFromU8(fixture.files['job.json']!)) as ClusterJob;

/** A validation matrix of 16 images (8 a class) with the given accuracy: the file's figures agree. */
const matrixFor = (accuracy: number) => {
  const right = Math.round(accuracy * 16);
  return [
    [8, 0],
    [16 - right, right - 8],
  ];
};

/** A run.json as cluster/lab_train.py writes it: 8 validation and 8 test images, each mirrored (16 rows). */
function runJson(index: number, valAccuracy: number) {
  const run = job.runs[index]!;
  const evaluation = (loss: number) => ({
    loss,
    accuracy: 0.75,
    confusion: [
      [6, 2],
      [2, 6],
    ],
    predictions: [...Array(8).fill(0), ...Array(8).fill(1)].map((p, i) => (i % 4 === 3 ? 1 - p : p)),
    confidence: Array(16).fill(0.8),
  });
  return {
    id: run.id,
    index,
    cell: run.cell,
    repeat: run.repeat,
    seed: run.seed,
    epochs: [0, 1].map((epoch) => ({
      epoch,
      loss: 0.5,
      accuracy: 0.7,
      valLoss: 0.6 - epoch * 0.1,
      valAccuracy: epoch === 1 ? valAccuracy : 0.5,
      confusion: matrixFor(epoch === 1 ? valAccuracy : 0.5),
      seconds: 0.5,
      samplesPerSecond: 96,
    })),
    bestEpoch: 1,
    stoppedEarly: false,
    validation: evaluation(0.5),
    test: evaluation(0.55),
    params: 1234,
    startedAt: '2026-12-01T00:00:00Z',
    finishedAt: '2026-12-01T00:00:05Z',
    trainedOn: { host: 'node7', torch: '1.13.1', device: 'cpu (1 threads)', python: '3.11.2', worker: 'w1' },
  };
}

const modelJson = (units: number) => ({
  format: 'layers-model',
  generatedBy: 'PyTorch 1.13.1',
  modelTopology: {
    class_name: 'Sequential',
    config: {
      layers: [
        {
          class_name: 'Flatten',
          config: { name: 'flatten_Flatten1', batch_input_shape: [null, 120, 90, 3] },
        },
        { class_name: 'Dense', config: { name: 'dense_Dense1', units } },
      ],
    },
  },
  weightsManifest: [
    { paths: ['weights.bin'], weights: [{ name: 'dense_Dense1/bias', shape: [units], dtype: 'float32' }] },
  ],
});

function resultsZip(edit: (files: Record<string, unknown>) => void = () => undefined, runs = [0, 1, 2, 3]) {
  const files: Record<string, unknown> = {
    'results.json': { format: RESULTS_FORMAT, version: 1, jobId: job.id, createdAt: '2026-12-01T00:01:00Z' },
    'job.json': job,
  };
  for (const i of runs) {
    files[`runs/${job.runs[i]!.id}/run.json`] = runJson(i, [0.75, 0.875, 0.625, 0.5][i]!);
    files[`runs/${job.runs[i]!.id}/model.json`] = modelJson(2);
    files[`runs/${job.runs[i]!.id}/weights.bin`] = new Uint8Array(8);
  }
  edit(files);
  return zipSync(
    Object.fromEntries(
      Object.entries(files).map(([k, v]) => [k, v instanceof Uint8Array ? v : strToU8(JSON.stringify(v))]),
    ),
  );
}

const run0 = `runs/${job.runs[0]!.id}/run.json`;

describe('cluster results import', () => {
  it("gives the lab's own run records, marked as trained elsewhere, and a job the grid statistics read", async () => {
    const r = await readClusterResults(resultsZip());
    expect(r.runs).toHaveLength(4);
    expect(r.missing).toEqual([]);
    const [first] = r.runs;
    expect(first).toMatchObject({
      id: 'testjob-0',
      jobId: 'testjob',
      datasetId: 'cluster-test',
      taskName: 'Primary',
      classes: ['Bags', 'Hats'],
      spec: { family: 'dropout', filters: 4 },
      settings: { seed: 3, epochs: 2, flip: true },
      status: 'done',
      bestEpoch: 1,
      modelSaved: true,
      backend: 'PyTorch 1.13.1 (cpu (1 threads)) on node7',
      trainedElsewhere: { host: 'node7', framework: 'PyTorch 1.13.1', device: 'cpu (1 threads)' },
    });
    // Validation and test items are dataset indices; mirrored copies are item + dataset size.
    expect(first!.test!.items).toEqual([32, 33, 34, 35, 36, 37, 38, 39, 72, 73, 74, 75, 76, 77, 78, 79]);
    expect(first!.validation!.items.slice(0, 2)).toEqual([24, 25]);
    expect(r.models.get('testjob-0')!.weightData.byteLength).toBe(8);
    const grid = gridResult(r.jobRecord, r.runs);
    expect(grid.rows.map((row) => [row.label, row.summary.n, row.summary.mean])).toEqual([
      ['filters 4', 2, 0.8125],
      ['filters 6', 2, 0.5625],
    ]);
  });

  it("maps rows to the lab's dataset indices when given them, and reports the runs it lacks", async () => {
    const r = await readClusterResults(resultsZip(undefined, [0, 2]), {
      datasetId: 'mine',
      items: { validation: [100, 101, 102, 103, 104, 105, 106, 107], test: [0, 1, 2, 3, 4, 5, 6, 7] },
    });
    expect(r.missing).toEqual(['testjob-1', 'testjob-3']);
    expect(r.jobRecord.status).toBe('interrupted');
    expect(r.runs[0]!.datasetId).toBe('mine');
    expect(r.runs[0]!.validation!.items[8]).toBe(140);
    await expect(readClusterResults(resultsZip(), { items: { test: [1, 2] } })).rejects.toThrow(
      /the job's split has 8 images where this dataset's has 2/,
    );
  });

  const bad: [string, (f: Record<string, unknown>) => void, RegExp][] = [
    ['not a zip', () => undefined, /not a readable zip file/],
    ['no results.json', (f) => delete f['results.json'], /has no results.json/],
    ['another format', (f) => (f['results.json'] = { format: 'x' }), /not a lab cluster results file/],
    [
      'a newer version',
      (f) => (f['results.json'] = { format: RESULTS_FORMAT, version: 2 }),
      /results version 2/,
    ],
    [
      'a run of another cell',
      (f) => (f[run0] = { ...runJson(0, 0.5), cell: 1 }),
      /describes run testjob-0 \(cell 1, seed 3\), not the job's run testjob-0 \(cell 0/,
    ],
    [
      'a confusion matrix of the wrong size',
      (f) => (f[run0] = { ...runJson(0, 0.5), test: { ...runJson(0, 0.5).test, confusion: [[16]] } }),
      /run testjob-0: test.confusion has 1 entries where 2 are expected/,
    ],
    [
      "an epoch's matrix that counts other images",
      (f) => {
        const r = runJson(0, 0.5);
        r.epochs[1]!.confusion = [
          [1, 0],
          [0, 1],
        ];
        f[run0] = r;
      },
      /epoch 2's validation confusion counts 2 images where the split has 16/,
    ],
    [
      'a prediction out of range',
      (f) =>
        (f[run0] = { ...runJson(0, 0.5), test: { ...runJson(0, 0.5).test, predictions: Array(16).fill(2) } }),
      /test.predictions must be class indices from 0 to 1/,
    ],
    [
      'an accuracy above 1',
      (f) => {
        const r = runJson(0, 0.5);
        r.epochs[0]!.valAccuracy = 3;
        f[run0] = r;
      },
      /epoch 1's validation accuracy must be a number from 0 to 1/,
    ],
    [
      'a kept epoch that does not exist',
      (f) => (f[run0] = { ...runJson(0, 0.5), bestEpoch: 5 }),
      /bestEpoch must be a whole number from 0 to 1/,
    ],
    ['no host', (f) => (f[run0] = { ...runJson(0, 0.5), trainedOn: {} }), /trainedOn.host must be a string/],
    [
      'weights of the wrong size',
      (f) => (f[`runs/${job.runs[0]!.id}/weights.bin`] = new Uint8Array(3)),
      /weights file has 3 bytes but the model declares 8/,
    ],
    [
      'a model with other outputs',
      (f) => {
        f[`runs/${job.runs[0]!.id}/model.json`] = modelJson(5);
        f[`runs/${job.runs[0]!.id}/weights.bin`] = new Uint8Array(20);
      },
      /the model has 5 outputs for 2 classes/,
    ],
    [
      'a test accuracy its matrix does not give',
      (f) => (f[run0] = { ...runJson(0, 0.5), test: { ...runJson(0, 0.5).test, accuracy: 1 } }),
      /test\.accuracy is 1 but its confusion matrix gives 12 right of 16/,
    ],
    [
      'a matrix that does not count its predictions',
      (f) => {
        const r = runJson(0, 0.5);
        f[run0] = { ...r, test: { ...r.test, predictions: Array(16).fill(0) } };
      },
      /test\.confusion does not count its own predictions \(16, 0 a class\)/,
    ],
    [
      "an epoch's accuracy its matrix does not give",
      (f) => {
        const r = runJson(0, 0.5);
        f[run0] = { ...r, epochs: r.epochs.map((e) => ({ ...e, valAccuracy: 1 })) };
      },
      /epoch 1's validation accuracy is 1 but its confusion matrix gives 8 right of 16/,
    ],
    [
      'a grid whose values are not lists',
      (f) => (f['job.json'] = { ...job, grid: { filters: 4 } }),
      /grid\.filters must be a list/,
    ],
    [
      'a grid that does not make its cells',
      (f) => (f['job.json'] = { ...job, grid: { filters: [4, 6, 8, 10] } }),
      /the job has 2 cells where its grid makes 4/,
    ],
    [
      'more runs than cells × repeats',
      (f) => (f['job.json'] = { ...job, repeats: 1 }),
      /the job has 4 runs where 2 cells × 1 repeats make 2/,
    ],
    [
      'a job without createdAt',
      (f) => (f['job.json'] = { ...job, createdAt: undefined }),
      /createdAt must be a string/,
    ],
    [
      'a job without preprocessing',
      (f) => (f['job.json'] = { ...job, preprocessing: undefined }),
      /preprocessing must be an object/,
    ],
    [
      'a negative mirror offset',
      (f) => (f['job.json'] = { ...job, preprocessing: { ...job.preprocessing, flipItemOffset: -3 } }),
      /preprocessing\.flipItemOffset must be the dataset's size \(40\)/,
    ],
    [
      'a mirror offset as a string',
      (f) => (f['job.json'] = { ...job, preprocessing: { ...job.preprocessing, flipItemOffset: '40' } }),
      /preprocessing\.flipItemOffset must be the dataset's size/,
    ],
    [
      'a run its job does not list',
      (f) => (f['runs/stranger/run.json'] = runJson(0, 0.5)),
      /holds runs\/stranger\/, which its job does not list/,
    ],
    [
      'weights without their run.json',
      (f) => delete f[run0],
      /run testjob-0: it has weights but no run\.json/,
    ],
    [
      "a run's files apart from each other",
      (f) => {
        const [m, w] = [`runs/${job.runs[0]!.id}/model.json`, `runs/${job.runs[0]!.id}/weights.bin`];
        const kept = [f[m], f[w]];
        delete f[m];
        delete f[w];
        [f[m], f[w]] = kept;
      },
      /the files of run testjob-0 are not stored together/,
    ],
    [
      'job.json after the runs',
      (f) => {
        const j = f['job.json'];
        delete f['job.json'];
        f['job.json'] = j;
      },
      /has no job\.json before its runs/,
    ],
    [
      'an entry that does not belong',
      (f) => (f['runs/testjob-0/../../../evil.sh'] = 'x'),
      /holds runs\/testjob-0\/\.\.\/\.\.\/\.\.\/evil\.sh, which does not belong in it/,
    ],
    [
      'no runs at all',
      (f) => Object.keys(f).forEach((k) => k.startsWith('runs/') && delete f[k]),
      /holds no finished run/,
    ],
  ];
  for (const [what, edit, message] of bad)
    it(`refuses ${what} with a clear message`, async () => {
      const bytes = what === 'not a zip' ? strToU8('hello') : resultsZip(edit);
      const error = await readClusterResults(bytes).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ClusterResultsError);
      expect((error as Error).message).toMatch(message);
    });

  it('takes runs whose weights the runner did not keep (--keep-weights best or none): their metrics, no model', async () => {
    const r = await readClusterResults(
      resultsZip((f) => {
        for (const i of [1, 2, 3]) {
          delete f[`runs/${job.runs[i]!.id}/model.json`];
          delete f[`runs/${job.runs[i]!.id}/weights.bin`];
        }
      }),
    );
    expect(r.runs.map((x) => x.modelSaved)).toEqual([true, false, false, false]);
    expect(r.kept).toBe(1);
    expect([...r.models.keys()]).toEqual(['testjob-0']);
    expect(r.runs[3]!.test!.accuracy).toBeGreaterThanOrEqual(0);
  });

  describe('into a dataset of the lab', () => {
    const d = clusterDataset();
    const target = (edit: Partial<{ images: number; classes: string[][]; split: number[] }> = {}) => ({
      dataset: { id: 'here', name: 'my photos', images: edit.images ?? d.labels.length },
      tasks: deriveTasks(edit.classes ?? d.classes),
      labels: d.labels,
      split: edit.split ?? d.split,
    });

    // The figures of each run as its predictions give them for these images' own classes: every one right.
    const task = deriveTasks(d.classes).find((t) => t.id === job.task.id)!;
    const mine = taskSplits(d.labels, d.split, task.targetOf);
    const rows = (items: ArrayLike<number>) => {
      const all = Array.from(items);
      return job.preprocessing.flip ? [...all, ...all.map((i) => i + job.preprocessing.flipItemOffset)] : all;
    };
    const classOf = (i: number) => task.targetOf[d.labels[i % d.labels.length]!]!;
    const honest =
      (wrong = false) =>
      (f: Record<string, unknown>) => {
        for (const [name, value] of Object.entries(f)) {
          if (!name.endsWith('/run.json')) continue;
          const run = value as ReturnType<typeof runJson>;
          for (const split of ['validation', 'test'] as const) {
            const truth = rows(mine[split].items).map(classOf);
            const confusion = [0, 1].map((t) =>
              [0, 1].map((p) => (t === p ? truth.filter((c) => c === t).length : 0)),
            );
            // Wrong: every prediction the first class, the matrix and the accuracy still claiming every image right.
            const predictions = wrong ? truth.map(() => 0) : truth;
            run[split] = { ...run[split], predictions, confusion, accuracy: 1 };
            if (split === 'validation')
              run.epochs = run.epochs.map((e) => ({ ...e, confusion, valAccuracy: 1 }));
          }
        }
      };

    it('refuses a run whose stated matrix is not what its predictions give for these images', async () => {
      await expect(readClusterResults(resultsZip(honest(true)), { target: target() })).rejects.toThrow(
        /validation\.confusion (does not count its own predictions|is not what its predictions give)/,
      );
    });

    it("files the runs under the open dataset, with its own task's images", async () => {
      const r = await readClusterResults(resultsZip(honest()), { target: target() });
      expect(r.runs.every((x) => x.datasetId === 'here')).toBe(true);
      expect(r.jobRecord.datasetId).toBe('here');
      expect(r.runs[0]!.test!.items.slice(0, 8)).toEqual([32, 33, 34, 35, 36, 37, 38, 39]);
    });

    const others: [string, Parameters<typeof target>[0], RegExp][] = [
      [
        'another task',
        {
          classes: [
            ['Bags', 'Big'],
            ['Bags', 'Small'],
          ],
        },
        /task "Primary", which "my photos" does not have/,
      ],
      [
        'other classes',
        { classes: [['Caps'], ['Socks']] },
        /classes \(Bags, Hats\) are not those of Primary here/,
      ],
      ['another size', { images: 41 }, /trained on "cluster test set" of 40 images; "my photos" has 41/],
      [
        'another split',
        { split: d.split.map((s, i) => (i === 0 ? 2 : s)) },
        /their train split \(24 images\) is not Primary's train split here \(23 images\)/,
      ],
    ];
    for (const [what, edit, message] of others)
      it(`refuses results of ${what}, in words`, async () => {
        await expect(readClusterResults(resultsZip(honest()), { target: target(edit) })).rejects.toThrow(
          message,
        );
      });
  });
});
