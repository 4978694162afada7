/**
 * Training runs, jobs, trained models and resume checkpoints in IndexedDB, each in its own store, keyed and
 * indexed by dataset, so that a dataset's runs can be listed and deleted with it and never touch another's. Models
 * and checkpoints can be larger than the browser takes in one value: they are written in parts (parts.ts). Only
 * the training worker writes a job in progress.
 */
import type { TrainCheckpoint } from '../core/checkpoint';
import type { Labeller } from '../core/labeller';
import type { StoredModel } from '../core/modelFiles';
import type { JobRecord, RunRecord } from '../core/runs';
import { db, wrapWrite } from './db';
import { deleteWhole, getWhole, putWhole } from './parts';
import {
  BY_DATASET,
  BY_JOB,
  NO_DATASET,
  STORES,
  type CheckpointRecord,
  type ModelRecord,
  type StoreName,
} from './schema';
import { deleteByDataset, each, write, type WriteTx } from './stores';

export type { StoredModel };

const { jobs, runs, models, checkpoints, labellers, parts } = STORES;

const tensorBytes = (c: TrainCheckpoint) =>
  [...c.weights, ...c.optimizer, ...(c.bestWeights ?? [])].reduce((a, t) => a + t.data.byteLength, 0);

export async function saveJob(job: JobRecord): Promise<void> {
  await wrapWrite('the training job', 1e5, () => write([jobs], (tx) => tx.objectStore(jobs).put(job)));
}

export async function saveRun(run: RunRecord): Promise<void> {
  await wrapWrite('the training run', 1e6, () => write([runs], (tx) => tx.objectStore(runs).put(run)));
}

export async function saveModel(datasetId: string, runId: string, model: StoredModel): Promise<void> {
  await wrapWrite('the trained model', model.weightData.byteLength, () =>
    write([models, parts], (tx) => putWhole(tx, models, [datasetId, runId], { datasetId, id: runId, model })),
  );
}

/** A run's model, or an imported labeller's (under NO_DATASET); a part missing throws PartsMissingError. */
export async function loadModel(datasetId: string, id: string): Promise<StoredModel | undefined> {
  const tx = (await db()).transaction([models, parts]);
  return (await getWhole<ModelRecord>(tx, models, [datasetId, id], 'The trained model'))?.model;
}

export async function saveCheckpoint(datasetId: string, runId: string, c: TrainCheckpoint): Promise<void> {
  await wrapWrite('the training checkpoint', tensorBytes(c), () =>
    write([checkpoints, parts], (tx) =>
      putWhole(tx, checkpoints, [datasetId, runId], { datasetId, id: runId, checkpoint: c }),
    ),
  );
}

export async function loadCheckpoint(datasetId: string, runId: string): Promise<TrainCheckpoint | undefined> {
  const tx = (await db()).transaction([checkpoints, parts]);
  return (await getWhole<CheckpointRecord>(tx, checkpoints, [datasetId, runId], 'The training checkpoint'))
    ?.checkpoint;
}

export async function deleteCheckpoint(datasetId: string, runId: string): Promise<void> {
  await write([checkpoints, parts], (tx) => deleteWhole(tx, checkpoints, [datasetId, runId]));
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
  await write([runs, models, checkpoints, parts], async (tx) => {
    await tx.objectStore(runs).delete([datasetId, runId]);
    await deleteWhole(tx, models, [datasetId, runId]);
    await deleteWhole(tx, checkpoints, [datasetId, runId]);
  });
}

/** A job and its runs (those it names and any stored under it), their models and checkpoints. */
export async function deleteJob(job: JobRecord): Promise<void> {
  await write([jobs, runs, models, checkpoints, parts], async (tx) => {
    const stored = await tx.objectStore(runs).index(BY_JOB).getAllKeys(job.id);
    const ids = new Set([...job.runIds, ...stored.filter(([d]) => d === job.datasetId).map(([, id]) => id)]);
    await tx.objectStore(jobs).delete([job.datasetId, job.id]);
    await each(ids, (id) => tx.objectStore(runs).delete([job.datasetId, id]));
    await each(ids, (id) => deleteWhole(tx, models, [job.datasetId, id]));
    await each(ids, (id) => deleteWhole(tx, checkpoints, [job.datasetId, id]));
  });
}

/** Within a transaction: every job, run, model and checkpoint of a dataset; how many jobs and runs there were. */
export async function removeRunsOf(tx: WriteTx<StoreName[]>, datasetId: string): Promise<number> {
  const counts = await each([jobs, runs] as const, (s) => deleteByDataset(tx, s, datasetId));
  for (const store of [models, checkpoints] as const) {
    const keys = await tx.objectStore(store).index(BY_DATASET).getAllKeys(datasetId);
    await each(keys, (k) => deleteWhole(tx, store, k));
  }
  return counts[0]! + counts[1]!;
}

/**
 * Runs trained elsewhere (a cluster's results.zip) with their job, in one transaction: a full disk keeps none of
 * them. Their weights are saved before, one run at a time (saveModel): a real grid's are tens of GB. Importing the
 * same results again replaces them (same ids): nothing is doubled.
 */
export async function saveImportedRuns(job: JobRecord, imported: readonly RunRecord[]): Promise<void> {
  await wrapWrite('the imported runs', 1e6 * imported.length, () =>
    write([jobs, runs], async (tx) => {
      await tx.objectStore(jobs).put(job);
      await each(imported, (r) => tx.objectStore(runs).put(r));
    }),
  );
}

export async function deleteModels(datasetId: string, runIds: readonly string[]): Promise<void> {
  await write([models, parts], (tx) => each(runIds, (id) => deleteWhole(tx, models, [datasetId, id])));
}

/** An imported labeller and its models, in one transaction: a full disk keeps none of them. */
export async function saveLabeller(l: Labeller, stored: StoredModel[]): Promise<void> {
  const bytes = stored.reduce((a, m) => a + m.weightData.byteLength, 0);
  await wrapWrite('the imported models', bytes, () =>
    write([models, labellers, parts], async (tx) => {
      for (const [i, model] of stored.entries()) {
        const id = l.models[i]!.modelId;
        await putWhole(tx, models, [NO_DATASET, id], { datasetId: NO_DATASET, id, model });
      }
      await tx.objectStore(labellers).put(l);
    }),
  );
}

export async function listLabellers(): Promise<Labeller[]> {
  const all = await (await db()).getAll(labellers);
  return all.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

export async function deleteLabeller(l: Labeller): Promise<void> {
  await write([labellers, models, parts], async (tx) => {
    await tx.objectStore(labellers).delete(l.id);
    await each(l.models, (m) => deleteWhole(tx, models, [NO_DATASET, m.modelId]));
  });
}
