/**
 * A training job in Node (WASM backend, the lab's kernels) with its stores and its backend faked: the GPU lost
 * mid-run, and a model that does not fit in storage.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BackendChoice } from '../core/backendChoice';
import type { TrainCheckpoint } from '../core/checkpoint';
import { ImageStore, type DatasetManifest } from '../core/dataset';
import { IMAGE_BYTES } from '../core/image';
import type { StoredModel } from '../core/modelFiles';
import { createRng } from '../core/rng';
import type { JobRecord, RunRecord } from '../core/runs';
import { deriveTasks } from '../core/tasks';
import { newJob, quickDraft } from '../core/trainDraft';
import { StorageError } from '../data/cache';
import { registerWasmTrainingKernels } from '../ml/wasm/register';
import { JobRunner, type JobBackend, type JobStore } from './trainJob';
import type { TrainEvent } from './trainEvents';

beforeAll(async () => {
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
});

const N = 48;
const CLASSES = [['Red'], ['Blue']];

/** Reddish and bluish images with noise; train, validation and test in turn 4 : 1 : 1. */
function dataset(): { manifest: DatasetManifest; images: ImageStore } {
  const rng = createRng(5);
  const chunk = new Uint8Array(N * IMAGE_BYTES);
  const labels: number[] = [];
  for (let i = 0; i < N; i++) {
    const cls = i % 2;
    for (let p = 0; p < IMAGE_BYTES; p += 3) {
      const noise = (rng() - 0.5) * 96;
      chunk[i * IMAGE_BYTES + p] = (cls ? 100 : 170) + noise;
      chunk[i * IMAGE_BYTES + p + 1] = 128 + noise;
      chunk[i * IMAGE_BYTES + p + 2] = (cls ? 170 : 100) + noise;
    }
    labels.push(cls);
  }
  const split = labels.map((_, i) => [0, 0, 0, 0, 1, 2][Math.floor(i / 2) % 6]!);
  const manifest = { id: 'ds', classes: CLASSES, labels, split } as unknown as DatasetManifest;
  return { manifest, images: new ImageStore([chunk], N) };
}

class MemoryJobStore implements JobStore {
  jobs = new Map<string, JobRecord>();
  runs = new Map<string, RunRecord>();
  models = new Map<string, StoredModel>();
  checkpoints = new Map<string, TrainCheckpoint>();
  /** Called after each checkpoint is stored (a test loses the GPU here). */
  afterCheckpoint: (c: TrainCheckpoint) => void = () => {};
  modelRefusal: Error | null = null;

  async loadJob(_d: string, id: string) {
    return structuredClone(this.jobs.get(id));
  }
  async loadRun(_d: string, id: string) {
    return structuredClone(this.runs.get(id));
  }
  async saveJob(job: JobRecord) {
    this.jobs.set(job.id, structuredClone(job));
  }
  async saveRun(run: RunRecord) {
    this.runs.set(run.id, structuredClone(run));
  }
  async saveModel(_d: string, runId: string, model: StoredModel) {
    if (this.modelRefusal) throw this.modelRefusal;
    this.models.set(runId, model);
  }
  async loadCheckpoint(_d: string, runId: string) {
    return this.checkpoints.get(runId);
  }
  async saveCheckpoint(_d: string, runId: string, c: TrainCheckpoint) {
    this.checkpoints.set(runId, c);
    this.afterCheckpoint(c);
  }
  async deleteCheckpoint(_d: string, runId: string) {
    this.checkpoints.delete(runId);
  }
}

/** Starts "WebGPU" (really the WASM backend tfjs already runs) that the test can lose. */
class LosableGpu implements JobBackend {
  lost: string | null = null;
  fallbacks = 0;
  async start(): Promise<BackendChoice> {
    return { backend: 'webgpu', label: 'WebGPU · test', reason: 'a test GPU' };
  }
  gpuLost() {
    return this.lost;
  }
  async fallBackToWasm() {
    this.fallbacks++;
    this.lost = null;
    return 'WASM · 2 threads';
  }
}

function job(epochs: number): JobRecord {
  const task = deriveTasks(CLASSES)[0]!;
  const draft = quickDraft(task);
  return newJob(
    task,
    'ds',
    {
      ...draft,
      spec: { ...draft.spec, filters: 16 },
      settings: { ...draft.settings, epochs, batchSize: 16, patience: 10, learningRate: 0.01, flip: false },
    },
    'single',
    'auto',
  );
}

function runner(store: MemoryJobStore, backend: JobBackend) {
  const data = dataset();
  return new JobRunner({ store, backend, openDataset: async () => data });
}

describe('a training job', () => {
  it('a GPU lost mid-run: the epochs before the last checkpoint are kept, and the run finishes on WASM', async () => {
    const store = new MemoryJobStore();
    const gpu = new LosableGpu();
    store.afterCheckpoint = (c) => {
      if (c.epochsDone === 1 && gpu.fallbacks === 0) gpu.lost = 'the WebGPU device was lost (destroyed)';
    };
    const events: TrainEvent[] = [];
    const ended = await runner(store, gpu).runJob(job(3), (e) => events.push(e));

    expect(ended.status).toBe('done');
    expect(gpu.fallbacks).toBe(1);
    const backends = events.filter((e) => e.type === 'backend');
    expect(backends.map((e) => e.reason)).toEqual([
      'a test GPU',
      'the WebGPU device was lost (destroyed); continuing on WASM from epoch 2',
    ]);
    // The badge says what WASM started on, not a fixed thread count.
    expect(backends.map((e) => e.label)).toEqual(['WebGPU · test', 'WASM · 2 threads']);
    const run = store.runs.get(ended.runIds[0]!)!;
    expect(run.status).toBe('done');
    expect(run.epochs.map((e) => e.epoch)).toEqual([0, 1, 2]);
    // The run started again from the checkpoint, not from scratch.
    expect(events.filter((e) => e.type === 'run-start').map((e) => e.resumedAt)).toEqual([0, 1]);
    expect(run.test?.accuracy).toBeGreaterThan(0);
    expect(store.models.has(run.id)).toBe(true);
    expect(store.checkpoints.size).toBe(0);
  }, 120_000);

  it('a model that does not fit in storage: the run and its numbers are kept, with the reason', async () => {
    const store = new MemoryJobStore();
    store.modelRefusal = new StorageError(
      "The browser's storage for this site is full while saving the trained model (needs about 1 MB more).",
      true,
    );
    const ended = await runner(store, new LosableGpu()).runJob(job(1), () => {});
    expect(ended.status).toBe('done');
    const run = store.runs.get(ended.runIds[0]!)!;
    expect(run.status).toBe('done');
    expect(run.modelSaved).toBe(false);
    expect(run.error).toBe(store.modelRefusal.message);
    expect(run.test?.confusion.flat().reduce((a, b) => a + b, 0)).toBe(8);
    expect(store.models.size).toBe(0);
  }, 120_000);

  it('resumes a stored job: finished runs are kept, and a job no longer stored says so', async () => {
    const store = new MemoryJobStore();
    const r = runner(store, new LosableGpu());
    const first = await r.runJob(job(1), () => {});
    const again: TrainEvent[] = [];
    const resumed = await r.resumeJob('ds', first.id, (e) => again.push(e));
    expect(resumed.status).toBe('done');
    expect(again.some((e) => e.type === 'run-start')).toBe(false); // nothing left to train
    await expect(r.resumeJob('ds', 'gone', () => {})).rejects.toThrow(
      'That training job is no longer stored.',
    );
  }, 120_000);
});
