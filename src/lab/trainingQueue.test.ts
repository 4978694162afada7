import { describe, expect, it } from 'vitest';
import type { JobRecord, RunRecord } from '../core/runs';
import { Lab } from './lab';
import type { TrainEvent } from './deps';
import { fakeDeps, MemoryStorage } from './testing/fakes';

const CLASSES = [
  ['Glasses', 'Glasses'],
  ['Glasses', 'Sunglasses'],
  ['Shoes', 'Boots'],
  ['Shoes', 'Sandals'],
];

function runOf(job: JobRecord, over: Partial<RunRecord> = {}): RunRecord {
  return {
    id: `${job.id}-0`,
    jobId: job.id,
    datasetId: job.datasetId,
    taskId: job.taskId,
    taskName: job.taskName,
    classes: ['a', 'b'],
    spec: job.base,
    settings: job.settings,
    cell: 0,
    repeat: 0,
    status: 'running',
    epochs: [],
    bestEpoch: -1,
    stoppedEarly: false,
    test: null,
    backend: 'wasm',
    params: 10,
    startedAt: '2026-12-01T10:00:00Z',
    modelSaved: false,
    ...over,
  };
}

const epoch = (e: number) => ({
  epoch: e,
  loss: 0.5,
  accuracy: 0.8,
  valLoss: 0.6,
  valAccuracy: 0.75 + e / 100,
  confusion: [],
  seconds: 1,
  samplesPerSecond: 10,
});

/** What the worker does for one job: one run of `epochs` epochs, two batches each; the job ends as `status`. */
function scripted(status: JobRecord['status'], epochs = 2, seen: string[] = []) {
  return async (job: JobRecord, emit: (e: TrainEvent) => void): Promise<JobRecord> => {
    seen.push(job.taskId);
    const run = runOf(job);
    emit({ type: 'backend', backend: 'wasm', label: 'WASM · 1 thread', reason: 'no GPU here' });
    emit({ type: 'run-start', jobId: job.id, run, index: 0, runs: 1, batchesPerEpoch: 2, resumedAt: 0 });
    for (let e = 0; e < epochs; e++) {
      for (let b = 0; b < 2; b++)
        emit({
          type: 'batch',
          runId: run.id,
          epoch: e,
          batch: b,
          batches: 2,
          loss: 1 - e / 10,
          accuracy: 0.5,
        });
      emit({ type: 'epoch', runId: run.id, result: epoch(e), bestEpoch: e });
    }
    const ended = {
      ...run,
      status: 'done' as const,
      epochs: Array.from({ length: epochs }, (_, e) => epoch(e)),
    };
    emit({ type: 'run-end', run: ended });
    const out = {
      ...job,
      runIds: [run.id],
      status,
      ...(status === 'failed' ? { error: 'The loss became NaN' } : {}),
    };
    emit({ type: 'job-end', job: out });
    return out;
  };
}

describe('the training queue', () => {
  it('trains every task one job at a time, in order, and follows each run live', async () => {
    const { deps, trainers } = fakeDeps();
    const lab = new Lab(deps);
    await lab.training.openTraining('ds', CLASSES);
    const tasks = lab.getState().tasks;
    expect(tasks.length).toBeGreaterThan(2);
    const seen: string[] = [];
    const live: (number | undefined)[] = [];
    const job = scripted('done', 2, seen);
    trainers.job = async (j, emit) => {
      expect(lab.getState().training).toBe(true);
      return job(j, (e) => {
        emit(e);
        live.push(lab.getState().live?.batchesDone);
      });
    };
    await lab.training.trainEveryTask('quick');
    expect(seen).toEqual(tasks.map((t) => t.id));
    const s = lab.getState();
    expect(s.training).toBe(false);
    expect(s.live).toBeNull();
    expect(s.queue).toEqual([]);
    expect(s.jobs.map((j) => j.status)).toEqual(tasks.map(() => 'done'));
    expect(s.runs.map((r) => r.epochs.length)).toEqual(tasks.map(() => 2));
    expect(s.trainedOn?.backend).toBe('wasm');
    // Batches counted as they came: 4 per job.
    expect(live.slice(0, 9)).toEqual([undefined, 0, 1, 2, 2, 3, 4, 4, 4]);
    // One long-lived training worker; the backend probe ran in one of its own, dropped since.
    expect(trainers.started.filter((w) => !w.terminated)).toEqual([trainers.jobWorker]);
  });

  it('a job that fails is named with its reason, and every other task still trains', async () => {
    const { deps, trainers } = fakeDeps();
    const lab = new Lab(deps);
    await lab.training.openTraining('ds', CLASSES);
    const tasks = lab.getState().tasks;
    const seen: string[] = [];
    const done = scripted('done', 1, seen);
    const failed = scripted('failed', 1, seen);
    trainers.job = (j, emit) => (j.taskId === tasks[1]!.id ? failed(j, emit) : done(j, emit));
    await lab.training.trainEveryTask('quick');
    expect(seen).toEqual(tasks.map((t) => t.id));
    const s = lab.getState();
    expect(s.jobs.map((j) => j.status)).toEqual(tasks.map((_, i) => (i === 1 ? 'failed' : 'done')));
    expect(s.failures).toEqual([
      { taskId: tasks[1]!.id, taskName: tasks[1]!.name, error: 'The loss became NaN' },
    ]);
    expect(s.trainError).toBe(`${tasks[1]!.name} failed: The loss became NaN`);
    expect(s.queue).toEqual([]);
    expect(s.training).toBe(false);
  });

  it('a single task that fails says why in its own words', async () => {
    const { deps, trainers } = fakeDeps();
    const lab = new Lab(deps);
    await lab.training.openTraining('ds', CLASSES);
    trainers.job = scripted('failed', 1);
    await lab.training.train(lab.getState().tasks[0]!.id, 'single');
    expect(lab.getState().trainError).toBe('The loss became NaN');
  });

  it('a run left running by a reload is marked interrupted, and resumes from where it stopped', async () => {
    const storage = new MemoryStorage();
    const { deps, trainers } = fakeDeps({ storage });
    const lab = new Lab(deps);
    await lab.training.openTraining('ds', CLASSES);
    const task = lab.getState().tasks[0]!;
    const job: JobRecord = {
      id: 'j1',
      datasetId: 'ds',
      taskId: task.id,
      taskName: task.name,
      base: task.defaults.spec,
      grid: {},
      repeats: 1,
      settings: { epochs: 3, batchSize: 64, learningRate: 0.001, patience: 2, flip: false, seed: 1 },
      runIds: ['j1-0'],
      status: 'running',
      createdAt: '2026-12-01T09:00:00Z',
      backend: 'auto',
    };
    await storage.saveJob(job);
    await storage.saveRun(runOf(job, { epochs: [epoch(0)], bestEpoch: 0 }));

    const reloaded = new Lab(fakeDeps({ storage, trainers }).deps);
    await reloaded.training.openTraining('ds', CLASSES);
    expect(reloaded.getState().jobs.map((j) => j.status)).toEqual(['interrupted']);
    expect(reloaded.getState().runs.map((r) => r.status)).toEqual(['interrupted']);
    expect(storage.jobs.get('j1')?.status).toBe('interrupted');
    expect(storage.runs.get('j1-0')?.status).toBe('interrupted');

    const resumed: string[] = [];
    trainers.resume = async (datasetId, jobId, emit) => {
      resumed.push(`${datasetId}/${jobId}`);
      const stored = storage.jobs.get(jobId)!;
      const run = storage.runs.get('j1-0')!;
      emit({ type: 'run-start', jobId, run, index: 0, runs: 1, batchesPerEpoch: 2, resumedAt: 1 });
      expect(reloaded.getState().live).toMatchObject({ epoch: 1, results: [epoch(0)], batchesTotal: 4 });
      emit({ type: 'epoch', runId: run.id, result: epoch(1), bestEpoch: 1 });
      emit({ type: 'epoch', runId: run.id, result: epoch(2), bestEpoch: 2 });
      const done = { ...run, status: 'done' as const, epochs: [epoch(0), epoch(1), epoch(2)], bestEpoch: 2 };
      emit({ type: 'run-end', run: done });
      return { ...stored, status: 'done' };
    };
    await reloaded.training.resume('j1');
    expect(resumed).toEqual(['ds/j1']);
    const s = reloaded.getState();
    expect(s.jobs.map((j) => j.status)).toEqual(['done']);
    expect(s.runs[0]?.epochs.map((e) => e.epoch)).toEqual([0, 1, 2]);
    expect(s.training).toBe(false);
  });

  it('a crash of the training worker is reported, and the next job runs in a fresh worker told the choice again', async () => {
    const { deps, trainers, storage } = fakeDeps();
    const lab = new Lab(deps);
    await lab.training.openTraining('ds', CLASSES);
    const task = lab.getState().tasks[0]!;
    trainers.job = async (job) => {
      await storage.saveJob({ ...job, status: 'running' });
      trainers.jobWorker!.crash('out of memory');
      return new Promise<JobRecord>(() => {}); // a dead worker never answers
    };
    await lab.training.train(task.id, 'single');
    let s = lab.getState();
    expect(s.trainError).toBe('The training worker stopped: out of memory.');
    expect(s.training).toBe(false);
    const crashed = trainers.jobWorker!;
    expect(crashed.terminated).toBe(true);
    // The job the crash cut short is marked interrupted, so it can be resumed.
    expect(s.jobs.map((j) => j.status)).toEqual(['interrupted']);

    trainers.job = scripted('done');
    await lab.training.train(task.id, 'single');
    s = lab.getState();
    expect(s.trainError).toBeNull();
    expect(trainers.jobWorker).not.toBe(crashed);
    expect(trainers.autoChoices).toHaveLength(2);
  });

  it('after a GPU loss the worker goes on on WASM, and the page says so', async () => {
    const { deps, trainers } = fakeDeps();
    const lab = new Lab(deps);
    await lab.training.openTraining('ds', CLASSES);
    const reasons: string[] = [];
    trainers.job = async (job, emit) => {
      emit({ type: 'backend', backend: 'webgpu', label: 'WebGPU', reason: 'a GPU' });
      reasons.push(lab.getState().trainedOn!.backend);
      emit({
        type: 'backend',
        backend: 'wasm',
        label: 'WASM · 1 thread',
        reason: 'the WebGPU device was lost (destroyed); continuing on WASM from epoch 2',
      });
      return { ...job, status: 'done' };
    };
    await lab.training.train(lab.getState().tasks[0]!.id, 'single');
    expect(reasons).toEqual(['webgpu']);
    expect(lab.getState().trainedOn).toEqual({
      backend: 'wasm',
      label: 'WASM · 1 thread',
      reason: 'the WebGPU device was lost (destroyed); continuing on WASM from epoch 2',
    });
  });

  it('remembers the backend chosen by hand on this device', async () => {
    const first = fakeDeps();
    new Lab(first.deps).training.overrideBackend('webgl');
    expect(new Lab(first.deps).getState().backendOverride).toBe('webgl');
    new Lab(first.deps).training.overrideBackend('auto');
    expect(first.settings.size).toBe(0);
  });
});
