/**
 * Training runs, jobs, trained models and resume checkpoints in IndexedDB, each in its own store and indexed by
 * dataset, so that a dataset's runs can be listed and deleted with it. Only the training worker writes a job in
 * progress.
 */
import type { TrainCheckpoint } from '../core/checkpoint';
import type { Labeller } from '../core/labeller';
import type { StoredModel } from '../core/modelFiles';
import type { JobRecord, RunRecord } from '../core/runs';
import { db, wrapWrite } from './db';
import { BY_DATASET, BY_ID, BY_JOB, STORES, type StoreName } from './schema';
import { deleteByDataset, each, write, type WriteTx } from './stores';

export type { StoredModel };

const { jobs, runs, models, checkpoints, labellers } = STORES;

const tensorBytes = (c: TrainCheckpoint) =>
  [...c.weights, ...c.optimizer, ...(c.bestWeights ?? [])].reduce((a, t) => a + t.data.byteLength, 0);

export async function saveJob(job: JobRecord): Promise<void> {
  await wrapWrite('the training job', 1e5, () => write([jobs], (tx) => tx.objectStore(jobs).put(job)));
}

export async function saveRun(run: RunRecord): Promise<void> {
  await wrapWrite('the training run', 1e6, () => write([runs], (tx) => tx.objectStore(runs).put(run)));
}

/** The dataset of a stored run: models and checkpoints are filed under it too. */
async function datasetOf(tx: WriteTx<StoreName[]>, runId: string): Promise<{ datasetId?: string }> {
  const key = await tx.objectStore(runs).index(BY_ID).getKey(runId);
  return key ? { datasetId: key[0] } : {};
}

export async function saveModel(runId: string, model: StoredModel): Promise<void> {
  await wrapWrite('the trained model', model.weightData.byteLength, () =>
    write([runs, models], async (tx) => {
      const dataset = await datasetOf(tx, runId);
      await tx.objectStore(models).put({ id: runId, ...dataset, model });
    }),
  );
}

export async function loadModel(runId: string): Promise<StoredModel | undefined> {
  return (await (await db()).get(models, runId))?.model;
}

export async function saveCheckpoint(runId: string, c: TrainCheckpoint): Promise<void> {
  await wrapWrite('the training checkpoint', tensorBytes(c), () =>
    write([runs, checkpoints], async (tx) => {
      const dataset = await datasetOf(tx, runId);
      await tx.objectStore(checkpoints).put({ id: runId, ...dataset, checkpoint: c });
    }),
  );
}

export async function loadCheckpoint(runId: string): Promise<TrainCheckpoint | undefined> {
  return (await (await db()).get(checkpoints, runId))?.checkpoint;
}

export async function deleteCheckpoint(runId: string): Promise<void> {
  await (await db()).delete(checkpoints, runId);
}

export async function listJobs(datasetId: string): Promise<JobRecord[]> {
  const all = await (await db()).getAllFromIndex(jobs, BY_DATASET, datasetId);
  return all.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export async function listRuns(datasetId: string): Promise<RunRecord[]> {
  const all = await (await db()).getAllFromIndex(runs, BY_DATASET, datasetId);
  return all.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}

export async function loadJob(datasetId: string, id: string): Promise<JobRecord | undefined> {
  return (await db()).get(jobs, [datasetId, id]);
}

export async function loadRun(datasetId: string, id: string): Promise<RunRecord | undefined> {
  return (await db()).get(runs, [datasetId, id]);
}

export async function deleteRun(datasetId: string, runId: string): Promise<void> {
  await write([runs, models, checkpoints], async (tx) => {
    await tx.objectStore(runs).delete([datasetId, runId]);
    await tx.objectStore(models).delete(runId);
    await tx.objectStore(checkpoints).delete(runId);
  });
}

/** A job and its runs (those it names and any stored under it), their models and checkpoints. */
export async function deleteJob(job: JobRecord): Promise<void> {
  await write([jobs, runs, models, checkpoints], async (tx) => {
    const stored = await tx.objectStore(runs).index(BY_JOB).getAllKeys(job.id);
    const ids = new Set([...job.runIds, ...stored.filter(([d]) => d === job.datasetId).map(([, id]) => id)]);
    await tx.objectStore(jobs).delete([job.datasetId, job.id]);
    await each(ids, (id) => tx.objectStore(runs).delete([job.datasetId, id]));
    await each(ids, (id) => tx.objectStore(models).delete(id));
    await each(ids, (id) => tx.objectStore(checkpoints).delete(id));
  });
}

/** Within a transaction: every job, run, model and checkpoint of a dataset; how many jobs and runs there were. */
export async function removeRunsOf(tx: WriteTx<StoreName[]>, datasetId: string): Promise<number> {
  const counts = await each([jobs, runs] as const, (s) => deleteByDataset(tx, s, datasetId));
  await deleteByDataset(tx, models, datasetId);
  await deleteByDataset(tx, checkpoints, datasetId);
  return counts[0]! + counts[1]!;
}

/** Every job, run, model and checkpoint of a dataset. */
export async function deleteRunsOf(datasetId: string): Promise<void> {
  await write([jobs, runs, models, checkpoints], (tx) => removeRunsOf(tx, datasetId).then(() => undefined));
}

/**
 * Runs trained elsewhere (a cluster's results.zip), with their job and kept weights, in one transaction: a full
 * disk keeps none of them. Importing the same results again replaces them (same ids): nothing is doubled.
 */
export async function saveImportedRuns(
  job: JobRecord,
  imported: readonly RunRecord[],
  stored: ReadonlyMap<string, StoredModel>,
): Promise<void> {
  const bytes = [...stored.values()].reduce((a, m) => a + m.weightData.byteLength, 0);
  await wrapWrite('the imported runs', bytes, () =>
    write([jobs, runs, models], async (tx) => {
      await tx.objectStore(jobs).put(job);
      await each(imported, (r) => tx.objectStore(runs).put(r));
      await each(stored, ([id, model]) =>
        tx.objectStore(models).put({ id, datasetId: job.datasetId, model }),
      );
    }),
  );
}

/** An imported labeller and its models, in one transaction: a full disk keeps none of them. */
export async function saveLabeller(l: Labeller, stored: StoredModel[]): Promise<void> {
  const bytes = stored.reduce((a, m) => a + m.weightData.byteLength, 0);
  await wrapWrite('the imported models', bytes, () =>
    write([models, labellers], async (tx) => {
      await each(stored.entries(), ([i, model]) =>
        tx.objectStore(models).put({ id: l.models[i]!.modelId, model }),
      );
      await tx.objectStore(labellers).put(l);
    }),
  );
}

export async function listLabellers(): Promise<Labeller[]> {
  const all = await (await db()).getAll(labellers);
  return all.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

export async function deleteLabeller(l: Labeller): Promise<void> {
  await write([labellers, models], async (tx) => {
    await tx.objectStore(labellers).delete(l.id);
    await each(l.models, (m) => tx.objectStore(models).delete(m.modelId));
  });
}
