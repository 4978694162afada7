import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { ClusterJob } from '../core/clusterJob';
import { RESULTS_FORMAT } from '../core/clusterResults';
import type { Task } from '../core/tasks';
import { Lab } from './lab';
import { fakeDeps, folder, MemoryStorage } from './testing/fakes';

const files: Record<string, string> = {};
for (let i = 0; i < 20; i++) {
  files[`Shoes/Boots/${i}.jpg`] = `b${i}`;
  files[`Shoes/Sandals/${i}.jpg`] = `s${i}`;
}

async function openLab() {
  const storage = new MemoryStorage();
  const env = fakeDeps({ storage });
  const lab = new Lab(env.deps);
  await lab.data.importFolder(folder('Shoes photos', files));
  const d = lab.getState().dataset!;
  await lab.training.openTraining(d.id, d.classes);
  const task = lab.getState().tasks[0]!;
  const draft = lab.getState().drafts[task.id]!;
  lab.training.updateDraft(task.id, {
    ...draft,
    grid: { filters: [4, 6] },
    repeats: 2,
    settings: { ...draft.settings, epochs: 3, flip: false },
  });
  return { lab, storage, task };
}

/** An image's class in the task, as the open dataset has it. */
const classOf = (lab: Lab, task: Task) => (item: number) => {
  const labels = lab.data.opened!.manifest.labels;
  return task.targetOf[labels[item % labels.length]!]!;
};

/** What cluster/run_job.py writes for a job: every run right on its first epoch, and a 2-output model. */
function resultsFor(job: ClusterJob, classOf: (item: number) => number, runs = job.runs) {
  // Items are dataset indices (the lab's export lists them); every prediction right.
  const evaluation = (items: number[]) => {
    const truth = items.map(classOf);
    const count = (c: number) => truth.filter((t) => t === c).length;
    return {
      loss: 0.3,
      accuracy: 1,
      confusion: [
        [count(0), 0],
        [0, count(1)],
      ],
      predictions: truth,
      confidence: truth.map(() => 0.9),
    };
  };
  const out: Record<string, Uint8Array> = {
    'results.json': strToU8(JSON.stringify({ format: RESULTS_FORMAT, version: 1, jobId: job.id })),
    'job.json': strToU8(JSON.stringify(job)),
  };
  for (const r of runs) {
    const val = job.splits.validation.count;
    // Each run a little better on validation than the one before: the last is the best.
    const right = Math.max(0, val - 3 + r.index);
    const run = {
      ...r,
      epochs: [
        {
          epoch: 0,
          loss: 0.4,
          accuracy: 0.9,
          valLoss: 0.3,
          valAccuracy: right / val,
          confusion: [
            [right, val - right],
            [0, 0],
          ],
          seconds: 2,
          samplesPerSecond: 10,
        },
      ],
      bestEpoch: 0,
      stoppedEarly: false,
      validation: evaluation(job.splits.validation.items!),
      test: evaluation(job.splits.test.items!),
      startedAt: '2026-12-01T11:00:00Z',
      finishedAt: '2026-12-01T11:00:02Z',
      trainedOn: { host: 'node7', torch: '1.13.1', device: 'cpu', python: '3.11.2', worker: 'w1' },
    };
    const model = {
      format: 'layers-model',
      generatedBy: 'PyTorch 1.13.1',
      modelTopology: {
        class_name: 'Sequential',
        config: {
          layers: [
            { class_name: 'Flatten', config: { name: 'f', batch_input_shape: [null, 120, 90, 3] } },
            { class_name: 'Dense', config: { name: 'd', units: 2 } },
          ],
        },
      },
      weightsManifest: [
        { paths: ['weights.bin'], weights: [{ name: 'd/bias', shape: [2], dtype: 'float32' }] },
      ],
    };
    out[`runs/${r.id}/run.json`] = strToU8(JSON.stringify(run));
    out[`runs/${r.id}/model.json`] = strToU8(JSON.stringify(model));
    out[`runs/${r.id}/weights.bin`] = new Uint8Array(8);
  }
  return new File([zipSync(out)], 'results.zip');
}

describe('a grid trained elsewhere, from the page', () => {
  it("'Run elsewhere…' zips the task's current grid as the job folder, its splits as the study's NPZ files", async () => {
    const { lab, task } = await openLab();
    const out = (await lab.cluster.runElsewhere(task.id))!;
    expect(out.name).toMatch(/^Shoes-job-.+\.zip$/);
    const zip = unzipSync(new Uint8Array(await out.blob.arrayBuffer()));
    expect(Object.keys(zip).sort()).toEqual([
      'README.md',
      'Shoes - Test.npz',
      'Shoes - Train.npz',
      'Shoes - Validation.npz',
      'job.json',
    ]);
    const job = JSON.parse(strFromU8(zip['job.json']!)) as ClusterJob;
    expect(job.cells.map((c) => c.label)).toEqual(['filters 4', 'filters 6']);
    expect(job.runs.map((r) => [r.cell, r.seed - job.settings.seed])).toEqual([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]);
    expect(job.settings).toMatchObject({ epochs: 3, flip: false });
    const split = lab.data.opened!.manifest.split;
    expect(job.splits.validation.items!.every((i) => split[i] === 1)).toBe(true);
    expect(job.splits.train.count + job.splits.validation.count + job.splits.test.count).toBe(40);
  });

  it('imports results beside the lab’s own runs: the grid, the chosen model and the labeller use them', async () => {
    const { lab, storage, task } = await openLab();
    const out = (await lab.cluster.runElsewhere(task.id))!;
    const job = JSON.parse(strFromU8(unzipSync(new Uint8Array(await out.blob.arrayBuffer()))['job.json']!));
    await lab.cluster.importResults(resultsFor(job, classOf(lab, task), job.runs.slice(0, 3)));
    const s = lab.getState();
    expect(s.clusterError).toBeNull();
    expect(s.clusterNotice).toBe(
      'Imported 3 of 4 runs of Shoes, trained elsewhere: PyTorch 1.13.1 on host node7, cpu. 1 run was not finished there.',
    );
    expect(s.runs.map((r) => r.trainedElsewhere?.framework)).toEqual(Array(3).fill('PyTorch 1.13.1'));
    expect(s.jobs.find((j) => j.id === job.id)?.status).toBe('interrupted');
    expect(await storage.loadModel(s.runs[0]!.datasetId, `${job.id}-2`)).toBeDefined();
    // The best run (cell 1, first seed) is the chosen one, and the labeller uses its model.
    expect(s.labeller?.models.map((m) => m.modelId)).toEqual([`${job.id}-2`]);

    // The rest comes later: imported again, nothing is doubled.
    await lab.cluster.importResults(resultsFor(job, classOf(lab, task)));
    expect(lab.getState().runs).toHaveLength(4);
    expect(lab.getState().jobs.filter((j) => j.id === job.id)).toHaveLength(1);
  });

  it('refuses results of another dataset in words, and keeps nothing of them', async () => {
    const { lab, storage, task } = await openLab();
    const out = (await lab.cluster.runElsewhere(task.id))!;
    const job = JSON.parse(strFromU8(unzipSync(new Uint8Array(await out.blob.arrayBuffer()))['job.json']!));
    await lab.cluster.importResults(
      resultsFor(
        {
          ...job,
          dataset: { ...job.dataset, images: 41 },
          preprocessing: { ...job.preprocessing, flipItemOffset: 41 },
        },
        () => 0,
      ),
    );
    expect(lab.getState().clusterError).toMatch(
      /^results.zip was not imported: These results do not belong here: .* of 41 images; "Shoes photos" has 40\.$/,
    );
    expect(lab.getState().runs).toEqual([]);
    expect(await storage.listJobs(lab.getState().trainDatasetId!)).toEqual([]);
  });
});
