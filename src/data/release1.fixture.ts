/**
 * FROZEN: how release 5b3a259 (schema version 1, idb-keyval) wrote every kind of record, copied from its
 * src/data/cache.ts, runStore.ts and sweep.ts with only `db()` made a fresh store per test. The upgrade test
 * writes a database with these and opens it with today's code. Never edit these to match the new layout.
 */
import { createStore, get, set, setMany, type UseStore } from 'idb-keyval';
import type { TrainCheckpoint } from '../core/checkpoint';
import { summarise, type DatasetManifest } from '../core/dataset';
import type { Labeller } from '../core/labeller';
import type { StoredModel } from '../core/modelFiles';
import type { JobRecord, RunRecord } from '../core/runs';

let store: UseStore | null = null;
const db = () => store!;
/** Release 5b3a259's db(): `createStore(DB_NAME, 'datasets')` with DB_NAME 'fashion-cnn-lab'. */
export const openRelease1 = () => (store = createStore('fashion-cnn-lab', 'datasets'));
export const release1Store = () => db();

// cache.ts
const chunkKey = (id: string, n: number) => `ds:${id}:chunk:${n}`;
const manifestKey = (id: string) => `ds:${id}:manifest`;
const summaryKey = (id: string) => `ds:${id}:summary`;

export async function writeChunks(id: string, chunks: [number, Uint8Array][]) {
  await setMany(
    chunks.map(([n, c]) => [chunkKey(id, n), c]),
    db(),
  );
}

export const readManifest = async (id: string) =>
  (await get(manifestKey(id), db())) as DatasetManifest | undefined;

export async function writeManifest(m: DatasetManifest) {
  await set(manifestKey(m.id), m, db());
  await set(summaryKey(m.id), summarise(m), db());
}

// runStore.ts
const jobKey = (datasetId: string, id: string) => `job:${datasetId}:${id}`;
const runKey = (datasetId: string, id: string) => `run:${datasetId}:${id}`;
const modelKey = (runId: string) => `model:${runId}`;
const checkpointKey = (runId: string) => `ckpt:${runId}`;
const labellerKey = (id: string) => `labeller:${id}`;

export const saveJob = (job: JobRecord) => set(jobKey(job.datasetId, job.id), job, db());
export const saveRun = (run: RunRecord) => set(runKey(run.datasetId, run.id), run, db());
export const saveModel = (runId: string, model: StoredModel) => set(modelKey(runId), model, db());
export const saveCheckpoint = (runId: string, c: TrainCheckpoint) => set(checkpointKey(runId), c, db());

export async function saveLabeller(l: Labeller, models: StoredModel[]): Promise<void> {
  for (const [i, m] of models.entries()) await set(modelKey(l.models[i]!.modelId), m, db());
  await set(labellerKey(l.id), l, db());
}

// sweep.ts: the record withImportRecord writes as an import starts (a crash leaves it), and saveImportProgress.
const pendingKey = (id: string) => `ds:${id}:pending`;
interface Pending {
  name: string;
  startedAt: string;
  listingKey?: string;
  progress?: { files: string[]; labels: number[]; hashes: string[] };
}

export async function startImport(id: string, name: string, listingKey?: string) {
  const before = (await get(pendingKey(id), db())) as Pending | undefined;
  await set(pendingKey(id), { ...before, name, startedAt: new Date().toISOString(), listingKey }, db());
}

export async function saveImportProgress(
  id: string,
  progress: NonNullable<Pending['progress']>,
): Promise<void> {
  const before = (await get(pendingKey(id), db())) as Pending | undefined;
  if (before) await set(pendingKey(id), { ...before, progress }, db());
}

/** Closes idb-keyval's connection, as closing the release's tab would: it never closes on a version change. */
export const closeRelease1 = () => db()('readonly', (s) => s.transaction.db.close());
