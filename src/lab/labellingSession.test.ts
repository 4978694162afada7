import { describe, expect, it } from 'vitest';
import type { AnyRoute } from '../core/flatRoute';
import type { RunRecord } from '../core/runs';
import { Lab } from './lab';
import { usesFlat } from './labellingSession';
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

describe('the flat route', () => {
  const two: Record<string, string> = {};
  for (let i = 0; i < 10; i++)
    for (const leaf of ['Bags/Clutch', 'Bags/Tote', 'Hats/Beanie', 'Hats/Cap'])
      two[`${leaf}/${i}.jpg`] = leaf + i;

  async function twoCategoryLab(withFlat: boolean) {
    const storage = new MemoryStorage();
    const env = fakeDeps({ storage });
    const first = new Lab(env.deps);
    await first.data.importFolder(folder('Bags and hats', two));
    const d = first.getState().dataset!;
    await first.training.openTraining(d.id, d.classes);
    const tasks = first.getState().tasks;
    expect(tasks.map((t) => t.name)).toEqual(['Primary', 'Bags', 'Hats', 'Flat (all 4 leaves)']);
    for (const t of tasks)
      if (withFlat || t.kind !== 'flat') await storage.saveRun({ ...run(`run-${t.id}`, d.id, t.id, 0.7) });
    const lab = new Lab(env.deps);
    await lab.data.openDataset(d.id);
    await lab.training.openTraining(d.id, d.classes);
    // Every pipeline model says its first class; the flat model says Hats / Cap (its last output).
    env.trainers.predict = async (ids, pixels) =>
      Object.fromEntries(
        ids.map((id) => {
          const classes = id === 'run-flat' ? 4 : 2;
          const probs = new Float32Array(pixels.length * classes);
          for (let i = 0; i < pixels.length; i++)
            probs.set(id === 'run-flat' ? [0.1, 0.1, 0.1, 0.7] : [0.9, 0.1], i * classes);
          return [id, { probs, classes }];
        }),
      );
    return { lab, env, testImages: lab.data.opened!.manifest.split.filter((s) => s === 2).length };
  }

  it('says in plain words when the flat model has not been trained, and labels through the pipeline', async () => {
    const { lab } = await twoCategoryLab(false);
    await lab.labelling.compareThree();
    expect(lab.getState().threeRoutes).toBeNull();
    expect(lab.getState().threeRoutesNote).toBe('Flat (all 4 leaves) has not been trained.');
    await lab.labelling.labelImages([new File(['x1'], 'new.jpg')]);
    expect(lab.getState().labelled.map((x) => [x.route, x.result?.path])).toEqual([
      ['combined', ['Bags', 'Clutch']],
    ]);
  });

  it('takes the flat route by default only when the labeller says so, it ranked first, or there is no Primary', async () => {
    const { lab } = await twoCategoryLab(true);
    const l = lab.getState().labeller!;
    const none = { flatChoice: null, threeRoutes: null };
    expect(usesFlat(none, l)).toBe(false);
    expect(usesFlat(none, { ...l, flat: true })).toBe(true);
    expect(usesFlat({ ...none, flatChoice: false }, { ...l, flat: true })).toBe(false);
    expect(usesFlat(none, { ...l, models: l.models.filter((m) => m.taskId !== 'primary') })).toBe(true);
    expect(usesFlat({ flatChoice: true, threeRoutes: null }, { ...l, models: [] })).toBe(false);
    await lab.labelling.compareThree();
    const three = lab.getState().threeRoutes!;
    const ranked = (first: 'flat' | 'combined') => {
      const ranking: AnyRoute[] = [first, 'hierarchical', first === 'flat' ? 'combined' : 'flat'];
      return { flatChoice: null, threeRoutes: { ...three, ranking } };
    };
    expect(usesFlat(ranked('flat'), l)).toBe(true);
    expect(usesFlat(ranked('combined'), l)).toBe(false);
    // A comparison of other models (a task retrained since) says nothing about these.
    const retrained = {
      ...l,
      models: l.models.map((m) => (m.taskId === 'primary' ? { ...m, modelId: 'new' } : m)),
    };
    expect(usesFlat(ranked('flat'), retrained)).toBe(false);
  });

  it('labels through the flat model when chosen, says so, and compares the three routes', async () => {
    const { lab, testImages } = await twoCategoryLab(true);
    const l = lab.getState().labeller!;
    expect(l.models.map((m) => m.taskId)).toContain('flat');
    // The pipeline is complete, so it stays the default until the person picks the flat route.
    expect(lab.labelling.usesFlat(l)).toBe(false);
    lab.labelling.setFlatRoute(true);
    await lab.labelling.labelImages([new File(['x1'], 'new.jpg')]);
    const [x] = lab.getState().labelled;
    expect(x!.route).toBe('flat');
    expect(x!.result).toMatchObject({ path: ['Hats', 'Cap'], complete: true });
    expect(x!.result!.levels.map((v) => v.taskName)).toEqual(['Flat (all 4 leaves)']);

    await lab.labelling.compareThree();
    const c = lab.getState().threeRoutes!;
    expect(lab.getState().threeRoutesNote).toBeNull();
    expect(testImages).toBeGreaterThan(0);
    expect(c.images).toBe(testImages);
    expect(c.flatTask).toBe('Flat (all 4 leaves)');
    // The pipelines say Bags / Clutch for every image, the flat model Hats / Cap: each right on its own class.
    const m = lab.data.opened!.manifest;
    const inTest = (f: (leaf: string) => boolean) =>
      m.split.filter((s, i) => s === 2 && f(m.classes[m.labels[i]!]!.join('/'))).length;
    const right = (r: 'flat' | 'hierarchical' | 'combined') => c.routes[r].leafCorrect.filter(Boolean).length;
    expect(right('flat')).toBe(inTest((leaf) => leaf === 'Hats/Cap'));
    expect(right('combined')).toBe(inTest((leaf) => leaf === 'Bags/Clutch'));
    expect(right('hierarchical')).toBe(right('combined'));
    expect(c.routes.flat.wrongCategory).toBe(inTest((leaf) => leaf.startsWith('Bags/')));
    expect(c.pairs.map((p) => `${p.a}-${p.b}`)).toEqual([
      'flat-hierarchical',
      'flat-combined',
      'hierarchical-combined',
    ]);
    expect(c.pairs[2]!.mcnemar.words).toMatch(/exactly the same images/);
    expect(c.routes.flat.wrongCategory + c.routes.flat.rightCategoryWrongLeaf).toBe(
      c.images - c.routes.flat.leafCorrect.filter(Boolean).length,
    );
  });
});
