/**
 * The page's side of training: one long-lived training worker (comlink), jobs started, resumed and stopped, and the
 * stored runs read back. After a reload no worker is running, so a job still marked as running was interrupted.
 */
import * as Comlink from 'comlink';
import type { JobRecord, RunRecord } from '../core/runs';
import { deleteJob as removeJob, listJobs, listRuns, saveJob, saveRun } from '../data/runStore';
import type { TrainEvent } from '../workers/trainEvents';
import type { TrainWorkerApi } from '../workers/train.worker';
import { decidedBackend } from './backends';

export type { TrainEvent };

let worker: Worker | null = null;
let api: Comlink.Remote<TrainWorkerApi> | null = null;
let crashed: ((reason: string) => void) | null = null;

let told: Promise<void> | null = null;

/**
 * The training worker, told the lab's backend choice for 'auto' before its first call. It also predicts with stored
 * models (it holds the backend and the dataset).
 */
export async function trainWorker(): Promise<Comlink.Remote<TrainWorkerApi>> {
  const remote = startWorker();
  told ??= decidedBackend().then((choice) => remote.setAutoChoice(choice));
  await told;
  return remote;
}

/** After a new decision (the user timed the backends): the worker is told again before its next call. */
export function retellBackendChoice(): void {
  told = null;
}

function startWorker(): Comlink.Remote<TrainWorkerApi> {
  if (api) return api;
  worker = new Worker(new URL('../workers/train.worker.ts', import.meta.url), {
    type: 'module',
    name: 'train',
  });
  worker.addEventListener('error', (e) => {
    crashed?.(`The training worker stopped: ${e.message || 'an error it could not report'}.`);
    dropWorker();
  });
  api = Comlink.wrap<TrainWorkerApi>(worker);
  return api;
}

function dropWorker() {
  told = null;
  api?.[Comlink.releaseProxy]();
  worker?.terminate();
  worker = null;
  api = null;
}

let running = false;

async function run(call: (api: Comlink.Remote<TrainWorkerApi>) => Promise<JobRecord>): Promise<JobRecord> {
  running = true;
  try {
    return await Promise.race([
      trainWorker().then(call),
      new Promise<never>((_, reject) => (crashed = (reason) => reject(new Error(reason)))),
    ]);
  } finally {
    running = false;
    crashed = null;
  }
}

export function startJob(job: JobRecord, onEvent: (e: TrainEvent) => void): Promise<JobRecord> {
  return run((w) => w.startJob(job, Comlink.proxy(onEvent)));
}

export function resumeJob(job: JobRecord, onEvent: (e: TrainEvent) => void): Promise<JobRecord> {
  return run((w) => w.resumeJob(job.datasetId, job.id, Comlink.proxy(onEvent)));
}

export async function stopTraining(): Promise<void> {
  if (running) await api?.stop();
}

/** A dataset's jobs and runs; those left "running" by a closed or reloaded page are marked interrupted. */
export async function loadTraining(datasetId: string): Promise<{ jobs: JobRecord[]; runs: RunRecord[] }> {
  const [jobs, runs] = await Promise.all([listJobs(datasetId), listRuns(datasetId)]);
  if (!running) {
    for (const job of jobs.filter((j) => j.status === 'running')) {
      job.status = 'interrupted';
      await saveJob(job);
    }
    for (const r of runs.filter((x) => x.status === 'running')) {
      r.status = 'interrupted';
      await saveRun(r);
    }
  }
  return { jobs, runs };
}

export const deleteJob = (job: JobRecord) => removeJob(job);
