/**
 * Runs a training job inside the worker: every cell of its grid, every repeat, one run at a time. The worker is
 * the only writer of a job in progress: it stores each epoch's checkpoint and the run record, so a reload can
 * resume from the last finished epoch, and each finished model in tfjs' layers format.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendName } from '../core/backendChoice';
import type { ImageStore, DatasetManifest } from '../core/dataset';
import { summariseModel } from '../core/modelSummary';
import { layersOf } from '../core/models';
import { jobRunAt, jobRunCount, type JobRecord, type RunRecord } from '../core/runs';
import { taskSplitProblem, taskSplits } from '../core/taskData';
import { deriveTasks, type Task } from '../core/tasks';
import type { StoredModel } from '../core/modelFiles';
import type { BackendChoice } from '../core/backendChoice';
import type { TrainCheckpoint } from '../core/checkpoint';
import { StorageError } from '../data/cache';
import { buildModel } from '../ml/model';
import { createFeeder, type BatchFeeder } from '../ml/feed';
import { evaluate, trainModel, withFlips, type SplitData } from '../ml/train';
import type { TrainEventSink } from './trainEvents';
import { yieldToEvents } from './yieldToEvents';

/** What a job needs of the backend: start it, hear of a lost GPU, and fall back to the CPU (trainBackend.ts). */
export interface JobBackend {
  start(requested: BackendName | 'auto'): Promise<BackendChoice>;
  gpuLost(): string | null;
  /** Switches to WASM after a GPU loss; what it runs on, as the badge says it. */
  fallBackToWasm(): Promise<string>;
}

/** The stores a job reads and writes (src/data/runStore.ts in the worker). */
export interface JobStore {
  loadJob(datasetId: string, id: string): Promise<JobRecord | undefined>;
  loadRun(datasetId: string, id: string): Promise<RunRecord | undefined>;
  saveJob(job: JobRecord): Promise<void>;
  saveRun(run: RunRecord): Promise<void>;
  saveModel(datasetId: string, runId: string, model: StoredModel): Promise<void>;
  loadCheckpoint(datasetId: string, runId: string): Promise<TrainCheckpoint | undefined>;
  saveCheckpoint(datasetId: string, runId: string, c: TrainCheckpoint): Promise<void>;
  deleteCheckpoint(datasetId: string, runId: string): Promise<void>;
}

export interface JobEnv {
  store: JobStore;
  backend: JobBackend;
  openDataset(id: string): Promise<{ manifest: DatasetManifest; images: ImageStore }>;
}

/** The GPU went away mid-run: what it computed since the last checkpoint cannot be trusted. */
class GpuLost extends Error {}

interface TaskData {
  task: Task;
  train: SplitData;
  validation: SplitData;
  test: SplitData;
  classes: string[];
}

function taskData(job: JobRecord, manifest: DatasetManifest): TaskData {
  const task = deriveTasks(manifest.classes).find((t) => t.id === job.taskId);
  if (!task) throw new Error(`This dataset has no task "${job.taskName}".`);
  const splits = taskSplits(manifest.labels, manifest.split, task.targetOf);
  const problem = taskSplitProblem(splits, task.outputs.length);
  if (problem) throw new Error(`${task.name} cannot be trained: ${problem}.`);
  // The study appended mirrored copies to every split; a mirrored image is its index + the dataset size.
  const n = manifest.labels.length;
  const flip = (s: SplitData) => withFlips(s, job.settings.flip, n);
  return {
    task,
    train: flip(splits.train),
    validation: flip(splits.validation),
    test: flip(splits.test),
    classes: task.outputs.map((o) => o.at(-1)!),
  };
}

const message = (e: unknown) => (e as Error)?.message ?? String(e);

function newRun(job: JobRecord, index: number, data: TaskData, datasetId: string): RunRecord {
  const at = jobRunAt(job, index);
  return {
    id: `${job.id}-${index}`,
    jobId: job.id,
    datasetId,
    taskId: job.taskId,
    taskName: job.taskName,
    classes: data.classes,
    spec: at.spec,
    settings: { ...job.settings, seed: at.seed },
    cell: at.cell,
    repeat: at.repeat,
    status: 'running',
    epochs: [],
    bestEpoch: -1,
    stoppedEarly: false,
    test: null,
    backend: tf.getBackend(),
    params: summariseModel(at.spec, data.classes.length).params,
    startedAt: new Date().toISOString(),
    modelSaved: false,
  };
}

/**
 * Runs jobs in the training worker, one at a time: the worker is the only writer of a job in progress. Built with
 * the stores, the backend and the dataset it trains on (tested in Node with fakes of each).
 */
export class JobRunner {
  private stopRequested = false;

  constructor(private readonly env: JobEnv) {}

  /** Stops the job in progress between two batches; the run keeps its best weights so far. */
  requestStop(): void {
    this.stopRequested = true;
  }

  private checkHealth(loss?: number) {
    const lost = this.env.backend.gpuLost();
    if (lost) throw new GpuLost(lost);
    if (loss !== undefined && !Number.isFinite(loss))
      throw new Error(
        'The loss became NaN or infinite; try a lower learning rate. The last good epoch was kept.',
      );
  }

  async resumeJob(datasetId: string, jobId: string, emit: TrainEventSink): Promise<JobRecord> {
    const job = await this.env.store.loadJob(datasetId, jobId);
    if (!job) throw new Error('That training job is no longer stored.');
    return this.runJob(job, emit);
  }

  async runJob(job: JobRecord, emit: TrainEventSink): Promise<JobRecord> {
    const { store, backend } = this.env;
    this.stopRequested = false;
    job.status = 'running';
    delete job.error;
    await store.saveJob(job);
    try {
      const choice = await backend.start(job.backend as BackendName | 'auto');
      emit({ type: 'backend', backend: choice.backend, label: choice.label, reason: choice.reason });
      const { manifest, images } = await this.env.openDataset(job.datasetId);
      const data = taskData(job, manifest);
      const total = jobRunCount(job);
      for (let i = 0; i < total && !this.stopRequested; i++) {
        const stored = job.runIds[i] ? await store.loadRun(job.datasetId, job.runIds[i]!) : undefined;
        if (stored && (stored.status === 'done' || stored.status === 'stopped')) continue;
        const run = stored ?? newRun(job, i, data, manifest.id);
        if (!stored) {
          job.runIds[i] = run.id;
          await store.saveJob(job);
        }
        for (let losses = 0; ; losses++) {
          try {
            await this.trainRun(job, run, i, total, data, images, emit);
            break;
          } catch (e) {
            if (!(e instanceof GpuLost) || losses > 0) throw e;
            // Resume from the last checkpoint on the CPU: the epochs before it are exactly as they were.
            const label = await backend.fallBackToWasm();
            const from = (await store.loadCheckpoint(run.datasetId, run.id))?.epochsDone ?? 0;
            emit({
              type: 'backend',
              backend: 'wasm',
              label,
              reason: `${e.message}; continuing on WASM from epoch ${from + 1}`,
            });
          }
        }
        if (run.status === 'failed') throw new Error(run.error);
      }
      job.status = this.stopRequested ? 'stopped' : 'done';
    } catch (e) {
      job.status = 'failed';
      job.error = message(e);
    }
    await store.saveJob(job);
    emit({ type: 'job-end', job });
    return job;
  }

  private async trainRun(
    job: JobRecord,
    run: RunRecord,
    index: number,
    total: number,
    data: TaskData,
    images: ImageStore,
    emit: TrainEventSink,
  ) {
    const classes = data.classes.length;
    const { store, backend } = this.env;
    const checkpoint = await store.loadCheckpoint(run.datasetId, run.id);
    const model = buildModel(layersOf(run.spec, classes), run.settings.seed);
    run.status = 'running';
    run.backend = tf.getBackend();
    delete run.error;
    if (checkpoint) {
      // The checkpoint is written before the run record: after a reload it may be one epoch ahead of it.
      run.epochs = checkpoint.epochs;
      run.bestEpoch = checkpoint.bestEpoch;
    }
    await store.saveRun(run);
    const batches = Math.ceil(data.train.items.length / run.settings.batchSize);
    emit({
      type: 'run-start',
      jobId: job.id,
      run,
      index,
      runs: total,
      batchesPerEpoch: batches,
      resumedAt: checkpoint?.epochsDone ?? 0,
    });
    let epoch = checkpoint?.epochsDone ?? 0;
    let lastEmit = 0;
    let lost: GpuLost | null = null;
    let watchdog: ReturnType<typeof setInterval> | undefined;
    const abandon = new Promise<never>((_, reject) => {
      watchdog = setInterval(() => {
        const why = backend.gpuLost();
        if (why) reject(new GpuLost(why));
      }, 250);
    });
    abandon.catch(() => undefined);
    // One feeder for the run: where images are resident on the GPU, they are uploaded once for training and tests.
    let feeder: BatchFeeder | null = null;
    try {
      feeder = createFeeder(images, [data.train, data.validation, data.test]);
      const result = await trainModel(
        model,
        images,
        data.train,
        data.validation,
        classes,
        run.settings,
        {
          onBatch: async (_batch, n, sample) => {
            this.checkHealth(sample?.loss);
            const now = performance.now();
            if (sample && (now - lastEmit > 100 || sample.batch === n - 1)) {
              lastEmit = now;
              emit({
                type: 'batch',
                runId: run.id,
                epoch,
                batch: sample.batch,
                batches: n,
                loss: sample.loss,
                accuracy: sample.accuracy,
              });
            }
            await yieldToEvents();
          },
          onInput: (info) => emit({ type: 'input', runId: run.id, path: info.path, summary: info.summary }),
          onCheckpoint: async (c) => {
            this.checkHealth(c.epochs.at(-1)?.loss); // an epoch computed on a lost GPU is never kept
            run.epochs = c.epochs;
            run.bestEpoch = c.bestEpoch;
            await store.saveCheckpoint(run.datasetId, run.id, c);
            await store.saveRun(run);
            emit({ type: 'epoch', runId: run.id, result: c.epochs.at(-1)!, bestEpoch: c.bestEpoch });
            epoch = c.epochsDone;
          },
          shouldStop: () => this.stopRequested,
          abandon,
        },
        checkpoint,
        { feeder },
      );
      run.stoppedEarly = result.stoppedEarly;
      run.status = result.cancelled ? 'stopped' : 'done';
      if (run.epochs.length > 0) {
        const val = await evaluate(model, feeder, data.validation, classes, run.settings.batchSize, abandon);
        run.validation = {
          items: Array.from(data.validation.items),
          predictions: Array.from(val.predictions),
          confidence: Array.from(val.confidence),
        };
        const test = await evaluate(model, feeder, data.test, classes, run.settings.batchSize, abandon);
        run.test = {
          loss: test.loss,
          accuracy: test.accuracy,
          confusion: test.confusion,
          items: Array.from(data.test.items),
          predictions: Array.from(test.predictions),
          confidence: Array.from(test.confidence),
        };
        await this.storeModel(run, model);
      }
      run.finishedAt = new Date().toISOString();
      await store.deleteCheckpoint(run.datasetId, run.id);
    } catch (e) {
      if (e instanceof GpuLost) lost = e;
      else if (tf.getBackend() === 'webgpu' || tf.getBackend() === 'webgl') {
        // A destroyed WebGPU device fails the reads in flight before its `lost` promise settles: give it a moment.
        for (let i = 0; i < 10 && !backend.gpuLost(); i++) await new Promise((r) => setTimeout(r, 50));
        const why = backend.gpuLost();
        if (why) lost = new GpuLost(why);
      }
      // The checkpoint stays: the run can resume from its last epoch.
      run.status = lost ? 'interrupted' : 'failed';
      run.error = message(e);
    } finally {
      clearInterval(watchdog);
      try {
        feeder?.dispose();
        model.dispose();
      } catch {
        // A lost context cannot free its textures; they went with it.
      }
    }
    await store.saveRun(run);
    if (lost) throw lost;
    emit({ type: 'run-end', run });
  }

  private async storeModel(run: RunRecord, model: tf.LayersModel) {
    try {
      await model.save(
        tf.io.withSaveHandler(async (a) => {
          await this.env.store.saveModel(run.datasetId, run.id, {
            modelTopology: a.modelTopology,
            weightSpecs: (a.weightSpecs ?? []) as StoredModel['weightSpecs'],
            weightData: a.weightData as ArrayBuffer,
            generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs} (${tf.getBackend()})`,
          });
          return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
        }),
      );
      run.modelSaved = true;
    } catch (e) {
      // The run's numbers are still worth keeping when its weights do not fit.
      run.modelSaved = false;
      run.error = e instanceof StorageError ? e.message : `The model could not be stored: ${message(e)}`;
    }
  }
}
