import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../core/runs';
import { Lab } from './lab';
import { fakeDeps, folder, MemoryStorage } from './testing/fakes';

const files: Record<string, string> = {};
for (let i = 0; i < 6; i++) {
  files[`Shoes/Boots/${i}.jpg`] = `b${i}`;
  files[`Shoes/Sandals/${i}.jpg`] = `s${i}`;
}

function run(id: string, datasetId: string, taskId: string, val: number, modelSaved = true): RunRecord {
  const epoch = {
    epoch: 0,
    loss: 1,
    accuracy: 1,
    valLoss: 1,
    valAccuracy: val,
    confusion: [],
    seconds: 1,
    samplesPerSecond: 1,
  };
  return {
    id,
    jobId: 'j',
    datasetId,
    taskId,
    taskName: 'Shoes',
    classes: ['Boots', 'Sandals'],
    spec: { family: 'model2', filters: 8, kernel1: 3, kernel2: 3, dense: 0, dropout: 0 },
    settings: { epochs: 1, batchSize: 64, learningRate: 0.001, patience: 2, flip: false, seed: 1 },
    cell: 0,
    repeat: 0,
    status: 'done',
    epochs: [epoch],
    bestEpoch: 0,
    stoppedEarly: false,
    test: { loss: 1, accuracy: val, confusion: [], items: [], predictions: [], confidence: [] },
    backend: 'wasm',
    params: 1,
    startedAt: '2026-12-01T10:00:00Z',
    modelSaved,
  };
}

async function labWithRuns(runs: (datasetId: string, taskId: string) => RunRecord[]) {
  const storage = new MemoryStorage();
  const env = fakeDeps({ storage });
  const lab = new Lab(env.deps);
  await lab.data.importFolder(folder('Shoes photos', files));
  const d = lab.getState().dataset!;
  await lab.training.openTraining(d.id, d.classes);
  const task = lab.getState().tasks[0]!;
  for (const r of runs(d.id, task.id)) await storage.saveRun(r);
  // Reopen, as the page does after a reload, to read the stored runs.
  const reopened = new Lab(env.deps);
  await reopened.data.openDataset(d.id);
  await reopened.training.openTraining(d.id, d.classes);
  return { lab: reopened, task, env };
}

describe('labelling', () => {
  it("uses the open dataset's chosen runs: a run whose model did not fit in storage is never the one", async () => {
    const { lab, task } = await labWithRuns((ds, t) => [
      run('kept', ds, t, 0.7),
      run('full-disk', ds, t, 0.9, false),
      run('worse', ds, t, 0.6),
    ]);
    expect(lab.getState().labeller?.models.map((m) => [m.taskId, m.modelId])).toEqual([[task.id, 'kept']]);
  });

  it('labels new images through the models, and says which files are not images', async () => {
    const { lab, env } = await labWithRuns((ds, t) => [run('kept', ds, t, 0.7)]);
    const asked: string[][] = [];
    const predict = env.trainers.predict;
    env.trainers.predict = (ids, input) => {
      asked.push(ids);
      return predict(ids, input);
    };
    await lab.labelling.labelImages([new File(['x1'], 'new.jpg'), new File(['bad'], 'notes.txt')]);
    const s = lab.getState();
    expect(s.labelError).toBeNull();
    expect(asked).toEqual([['kept']]);
    expect(s.labelled.map((x) => [x.name, x.problem, x.result?.path])).toEqual([
      ['new.jpg', null, ['Shoes', 'Boots']],
      ['notes.txt', 'not an image', undefined],
    ]);
    expect(s.labelling).toBe(false);
  });

  it('a file that is no labeller is refused with the reason, and nothing is stored', async () => {
    const { lab, env } = await labWithRuns(() => []);
    await lab.labelling.importLabeller(new File([new Uint8Array([1, 2, 3])], 'holiday.zip'));
    expect(lab.getState().labelError).toMatch(/^holiday\.zip was not imported: /);
    expect(env.storage.labellers.size).toBe(0);
    expect(lab.getState().labellerChoice).toBe('dataset');
  });

  it('a model zip for a run with no stored model says so', async () => {
    const { lab } = await labWithRuns((ds, t) => [run('kept', ds, t, 0.7)]);
    await expect(lab.labelling.modelZip('kept')).rejects.toThrow('This run has no stored model');
  });
});

describe('the prediction worker', () => {
  it('labels in a worker of its own; a crash there is reported, and the next call gets a fresh one', async () => {
    const { lab, env } = await labWithRuns((ds, t) => [run('kept', ds, t, 0.7)]);
    const predict = env.trainers.predict;
    env.trainers.predict = () => {
      env.trainers.predictors.at(-1)!.crash('out of memory');
      return new Promise(() => {}); // a dead worker never answers
    };
    await lab.labelling.labelImages([new File(['x1'], 'new.jpg')]);
    expect(lab.getState().labelError).toBe('The prediction worker stopped: out of memory.');
    expect(lab.getState().labelling).toBe(false);
    expect(env.trainers.predictors.map((p) => p.terminated)).toEqual([true]);
    // Training never started a worker for this.
    expect(env.trainers.jobWorker).toBeNull();

    env.trainers.predict = predict;
    await lab.labelling.labelImages([new File(['x1'], 'new.jpg')]);
    expect(lab.getState().labelError).toBeNull();
    expect(lab.getState().labelled[0]?.result?.path).toEqual(['Shoes', 'Boots']);
    expect(env.trainers.predictors).toHaveLength(2);
  });
});
