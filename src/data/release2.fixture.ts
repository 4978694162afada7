/**
 * FROZEN: how release 4f650f9 (schema version 2) laid out its database and wrote models, checkpoints and labellers,
 * copied from its src/data/schema.ts and runStore.ts. The upgrade test writes a database with these and opens it
 * with today's code. Never edit these to match the new layout.
 */
import { openDB, type IDBPDatabase } from 'idb';
import type { TrainCheckpoint } from '../core/checkpoint';
import { summarise, type DatasetManifest } from '../core/dataset';
import type { Labeller } from '../core/labeller';
import type { StoredModel } from '../core/modelFiles';
import type { JobRecord, RunRecord } from '../core/runs';

let connection: IDBPDatabase | null = null;

/** Release 4f650f9's stores (its createV2Stores). */
export async function openRelease2(): Promise<IDBPDatabase> {
  connection = await openDB('fashion-cnn-lab', 2, {
    upgrade(db) {
      db.createObjectStore('datasets', { keyPath: 'id' });
      db.createObjectStore('manifests', { keyPath: 'id' });
      db.createObjectStore('chunks', { keyPath: ['datasetId', 'n'] }).createIndex('by-dataset', 'datasetId');
      db.createObjectStore('imports', { keyPath: 'id' });
      db.createObjectStore('jobs', { keyPath: ['datasetId', 'id'] }).createIndex('by-dataset', 'datasetId');
      const runs = db.createObjectStore('runs', { keyPath: ['datasetId', 'id'] });
      runs.createIndex('by-dataset', 'datasetId');
      runs.createIndex('by-job', 'jobId');
      runs.createIndex('by-id', 'id');
      db.createObjectStore('models', { keyPath: 'id' }).createIndex('by-dataset', 'datasetId');
      db.createObjectStore('checkpoints', { keyPath: 'id' }).createIndex('by-dataset', 'datasetId');
      db.createObjectStore('labellers', { keyPath: 'id' });
    },
  });
  return connection;
}

const d = () => connection!;

export async function writeDataset(m: DatasetManifest, chunks: [number, Uint8Array][]) {
  for (const [n, bytes] of chunks) await d().put('chunks', { datasetId: m.id, n, bytes });
  await d().put('manifests', m);
  await d().put('datasets', summarise(m));
}

export const saveJob = (job: JobRecord) => d().put('jobs', job);
export const saveRun = (run: RunRecord) => d().put('runs', run);

/** Its saveModel: filed under the dataset of the run's record, when there is one. */
export async function saveModel(runId: string, model: StoredModel) {
  const key = (await d().getKeyFromIndex('runs', 'by-id', runId)) as [string, string] | undefined;
  await d().put('models', { id: runId, ...(key ? { datasetId: key[0] } : {}), model });
}

export async function saveCheckpoint(runId: string, checkpoint: TrainCheckpoint) {
  const key = (await d().getKeyFromIndex('runs', 'by-id', runId)) as [string, string] | undefined;
  await d().put('checkpoints', { id: runId, ...(key ? { datasetId: key[0] } : {}), checkpoint });
}

export async function saveLabeller(l: Labeller, models: StoredModel[]) {
  for (const [i, model] of models.entries()) await d().put('models', { id: l.models[i]!.modelId, model });
  await d().put('labellers', l);
}

/** As closing the release's tab does. */
export function closeRelease2() {
  connection?.close();
  connection = null;
}
