/**
 * Training runs, jobs, trained models and resume checkpoints in IndexedDB. Keys carry the dataset id so that a
 * dataset's runs can be listed and deleted with it. Only the training worker writes a job in progress.
 */
import { del, delMany, get, getMany, keys, set } from 'idb-keyval';
import type { TrainCheckpoint } from '../core/checkpoint';
import type { Labeller } from '../core/labeller';
import type { StoredModel } from '../core/modelFiles';
import type { JobRecord, RunRecord } from '../core/runs';
import { db, wrapWrite } from './db';

export type { StoredModel };

const jobKey = (datasetId: string, id: string) => `job:${datasetId}:${id}`;
const runKey = (datasetId: string, id: string) => `run:${datasetId}:${id}`;
const modelKey = (runId: string) => `model:${runId}`;
const checkpointKey = (runId: string) => `ckpt:${runId}`;

const tensorBytes = (c: TrainCheckpoint) =>
  [...c.weights, ...c.optimizer, ...(c.bestWeights ?? [])].reduce((a, t) => a + t.data.byteLength, 0);

export async function saveJob(job: JobRecord): Promise<void> {
  await wrapWrite('the training job', 1e5, () => set(jobKey(job.datasetId, job.id), job, db()));
}

export async function saveRun(run: RunRecord): Promise<void> {
  await wrapWrite('the training run', 1e6, () => set(runKey(run.datasetId, run.id), run, db()));
}

export async function saveModel(runId: string, model: StoredModel): Promise<void> {
  await wrapWrite('the trained model', model.weightData.byteLength, () => set(modelKey(runId), model, db()));
}

export async function loadModel(runId: string): Promise<StoredModel | undefined> {
  return (await get(modelKey(runId), db())) as StoredModel | undefined;
}

export async function saveCheckpoint(runId: string, c: TrainCheckpoint): Promise<void> {
  await wrapWrite('the training checkpoint', tensorBytes(c), () => set(checkpointKey(runId), c, db()));
}

export async function loadCheckpoint(runId: string): Promise<TrainCheckpoint | undefined> {
  return (await get(checkpointKey(runId), db())) as TrainCheckpoint | undefined;
}

export async function deleteCheckpoint(runId: string): Promise<void> {
  await del(checkpointKey(runId), db());
}

async function listWithPrefix<T>(prefix: string): Promise<T[]> {
  const all = ((await keys(db())) as string[]).filter((k) => k.startsWith(prefix));
  return ((await getMany(all, db())) as (T | undefined)[]).filter((x): x is T => x !== undefined);
}

export async function listJobs(datasetId: string): Promise<JobRecord[]> {
  const jobs = await listWithPrefix<JobRecord>(`job:${datasetId}:`);
  return jobs.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export async function listRuns(datasetId: string): Promise<RunRecord[]> {
  const runs = await listWithPrefix<RunRecord>(`run:${datasetId}:`);
  return runs.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}

export async function loadJob(datasetId: string, id: string): Promise<JobRecord | undefined> {
  return (await get(jobKey(datasetId, id), db())) as JobRecord | undefined;
}

export async function loadRun(datasetId: string, id: string): Promise<RunRecord | undefined> {
  return (await get(runKey(datasetId, id), db())) as RunRecord | undefined;
}

export async function deleteRun(datasetId: string, runId: string): Promise<void> {
  await delMany([runKey(datasetId, runId), modelKey(runId), checkpointKey(runId)], db());
}

export async function deleteJob(job: JobRecord): Promise<void> {
  await delMany(
    [
      jobKey(job.datasetId, job.id),
      ...job.runIds.flatMap((id) => [runKey(job.datasetId, id), modelKey(id), checkpointKey(id)]),
    ],
    db(),
  );
}

/** Every job, run, model and checkpoint of a dataset. */
export async function deleteRunsOf(datasetId: string): Promise<void> {
  const runs = await listRuns(datasetId);
  const all = (await keys(db())) as string[];
  await delMany(
    [
      ...all.filter((k) => k.startsWith(`job:${datasetId}:`) || k.startsWith(`run:${datasetId}:`)),
      ...runs.flatMap((r) => [modelKey(r.id), checkpointKey(r.id)]),
    ],
    db(),
  );
}

const labellerKey = (id: string) => `labeller:${id}`;

/** An imported labeller and its models, all in one transaction-sized step each; the record last. */
export async function saveLabeller(l: Labeller, models: StoredModel[]): Promise<void> {
  const bytes = models.reduce((a, m) => a + m.weightData.byteLength, 0);
  try {
    await wrapWrite('the imported models', bytes, async () => {
      for (const [i, m] of models.entries()) await set(modelKey(l.models[i]!.modelId), m, db());
      await set(labellerKey(l.id), l, db());
    });
  } catch (e) {
    await delMany(
      l.models.map((m) => modelKey(m.modelId)),
      db(),
    ).catch(() => undefined);
    throw e;
  }
}

export async function listLabellers(): Promise<Labeller[]> {
  return (await listWithPrefix<Labeller>('labeller:')).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

export async function deleteLabeller(l: Labeller): Promise<void> {
  await delMany([labellerKey(l.id), ...l.models.map((m) => modelKey(m.modelId))], db());
}
