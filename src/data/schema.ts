/**
 * The lab's IndexedDB schema: one database, a store per kind of record, indexes on the dataset (and what the
 * queries need), and the upgrade from each earlier layout. Nothing outside this file knows how records are keyed.
 *
 * Version 1 was idb-keyval's layout (releases up to 5b3a259): one store, `datasets`, with string keys
 * `ds:<id>:chunk:<n>|manifest|summary|pending`, `job:<dataset>:<id>`, `run:<dataset>:<id>`, `model:<id>`,
 * `ckpt:<run>` and `labeller:<id>`. Version 2 moved every record into a store of its kind, in the upgrade's one
 * transaction: a failure leaves version 1 as it was. Version 2 keyed models and checkpoints by run id alone (one
 * dataset's run could overwrite another's model) and kept each in one value (Chromium refuses one over ~133 MB);
 * version 3 keys them by dataset and run, and keeps their large binaries in parts (parts.ts). An upgrade runs
 * every step from the version it finds, in one transaction.
 */
import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { TrainCheckpoint } from '../core/checkpoint';
import type { DatasetManifest, DatasetSummary } from '../core/dataset';
import { NO_DATASET, type Labeller } from '../core/labeller';
import type { StoredModel } from '../core/modelFiles';
import type { JobRecord, RunRecord } from '../core/runs';
import { putWhole } from './parts';

export const DB_NAME = 'fashion-cnn-lab';
export const SCHEMA_VERSION = 3;

export const STORES = {
  /** A dataset's summary, written with its manifest once every chunk is stored: listed means complete. */
  datasets: 'datasets',
  manifests: 'manifests',
  chunks: 'chunks',
  /** An import in progress: its name and what it has stored for certain (see sweep.ts). */
  imports: 'imports',
  jobs: 'jobs',
  runs: 'runs',
  /** Trained models, keyed by dataset and run; an imported labeller's models under NO_DATASET. */
  models: 'models',
  /** The last epoch's state of a run, so that it can resume, keyed by dataset and run. */
  checkpoints: 'checkpoints',
  labellers: 'labellers',
  /** The large binaries of models and checkpoints, in parts (parts.ts). */
  parts: 'parts',
} as const;

export { NO_DATASET } from '../core/labeller';

export const BY_DATASET = 'by-dataset';
export const BY_JOB = 'by-job';
export const BY_ID = 'by-id';

/** 64 images of a dataset (core/dataset CHUNK_IMAGES), `n` counting from 0. */
export interface ChunkRecord {
  datasetId: string;
  n: number;
  bytes: Uint8Array;
}

/** What the fields of an import's record say: see sweep.ts. */
export interface ImportRecord {
  id: string;
  name: string;
  startedAt: string;
  listingKey?: string;
  progress?: { files: string[]; labels: number[]; hashes: string[] };
}

export interface ModelRecord {
  datasetId: string;
  id: string;
  model: StoredModel;
}

export interface CheckpointRecord {
  datasetId: string;
  id: string;
  checkpoint: TrainCheckpoint;
}

/** Whose part it is: the store and the key of the record it belongs to. */
export type PartOwner = string[];

export interface PartRecord {
  owner: PartOwner;
  n: number;
  bytes: Uint8Array;
}

export interface LabDB extends DBSchema {
  datasets: { key: string; value: DatasetSummary };
  manifests: { key: string; value: DatasetManifest };
  chunks: { key: [string, number]; value: ChunkRecord; indexes: { 'by-dataset': string } };
  imports: { key: string; value: ImportRecord };
  jobs: { key: [string, string]; value: JobRecord; indexes: { 'by-dataset': string } };
  runs: {
    key: [string, string];
    value: RunRecord;
    indexes: { 'by-dataset': string; 'by-job': string; 'by-id': string };
  };
  models: { key: [string, string]; value: ModelRecord; indexes: { 'by-dataset': string } };
  checkpoints: { key: [string, string]; value: CheckpointRecord; indexes: { 'by-dataset': string } };
  labellers: { key: string; value: Labeller };
  parts: { key: [PartOwner, number]; value: PartRecord };
}

export type StoreName = StoreNames<LabDB>;
type UpgradeTx = IDBPTransaction<LabDB, StoreName[], 'versionchange'>;

/** Creates the stores of SCHEMA_VERSION, then moves what an earlier version stored into them. */
export async function upgrade(db: IDBPDatabase<LabDB>, oldVersion: number, _: number | null, tx: UpgradeTx) {
  const fromV1 = oldVersion === 1 && db.objectStoreNames.contains(STORES.datasets);
  if (fromV1) tx.objectStore(STORES.datasets).name = V1_STORE; // frees the name for version 2's own store
  if (oldVersion < 2) createV2Stores(db);
  if (fromV1) await moveV1Records(db, tx);
  if (oldVersion < 3) await toV3(db, tx);
}

function createV2Stores(db: IDBPDatabase<LabDB>) {
  db.createObjectStore(STORES.datasets, { keyPath: 'id' });
  db.createObjectStore(STORES.manifests, { keyPath: 'id' });
  db.createObjectStore(STORES.chunks, { keyPath: ['datasetId', 'n'] }).createIndex(BY_DATASET, 'datasetId');
  db.createObjectStore(STORES.imports, { keyPath: 'id' });
  db.createObjectStore(STORES.jobs, { keyPath: ['datasetId', 'id'] }).createIndex(BY_DATASET, 'datasetId');
  const runs = db.createObjectStore(STORES.runs, { keyPath: ['datasetId', 'id'] });
  runs.createIndex(BY_DATASET, 'datasetId');
  runs.createIndex(BY_JOB, 'jobId');
  runs.createIndex(BY_ID, 'id');
  // Version 2's models and checkpoints, keyed by run id alone: toV3 moves them.
  db.createObjectStore(STORES.models, { keyPath: 'id' }).createIndex(BY_DATASET, 'datasetId');
  db.createObjectStore(STORES.checkpoints, { keyPath: 'id' }).createIndex(BY_DATASET, 'datasetId');
  db.createObjectStore(STORES.labellers, { keyPath: 'id' });
}

/** How version 2 kept a model or a checkpoint: by run id, the dataset when the run's record was there. */
interface V2Record {
  id: string;
  datasetId?: string;
  model?: StoredModel;
  checkpoint?: TrainCheckpoint;
}

/**
 * Models and checkpoints keyed by dataset and run, their binaries in parts. Every version 2 record moves, one at a
 * time (a cursor); one without a dataset (an imported labeller's model, or one whose run was gone) goes under
 * NO_DATASET, where the labeller finds it.
 */
async function toV3(db: IDBPDatabase<LabDB>, tx: UpgradeTx) {
  const loose = tx as unknown as IDBPTransaction<unknown, string[], 'versionchange'>;
  for (const store of [STORES.models, STORES.checkpoints] as const)
    loose.objectStore(store).name = `v2-${store}`;
  db.createObjectStore(STORES.models, { keyPath: ['datasetId', 'id'] }).createIndex(BY_DATASET, 'datasetId');
  db.createObjectStore(STORES.checkpoints, { keyPath: ['datasetId', 'id'] }).createIndex(
    BY_DATASET,
    'datasetId',
  );
  db.createObjectStore(STORES.parts, { keyPath: ['owner', 'n'] });
  const whole = tx as unknown as Parameters<typeof putWhole>[0];
  for (const store of [STORES.models, STORES.checkpoints] as const) {
    const old = loose.objectStore(`v2-${store}`);
    for (let c = await old.openCursor(); c; c = await c.continue()) {
      const { id, datasetId = NO_DATASET, ...rest } = c.value as V2Record;
      await putWhole(whole, store, [datasetId, id], { datasetId, id, ...rest });
    }
    db.deleteObjectStore(`v2-${store}` as StoreName);
  }
}

/** Version 1's store while its records move; deleted once empty of every record this lab wrote. */
export const V1_STORE = 'v1-keyval';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const hasIds = (v: unknown): v is { id: string; datasetId: string } =>
  isObject(v) && typeof v.id === 'string' && typeof v.datasetId === 'string';

/**
 * Every record of version 1, moved one at a time (a cursor: never the whole cache in memory). A record this lab
 * never wrote stays in V1_STORE rather than be lost.
 */
async function moveV1Records(db: IDBPDatabase<LabDB>, tx: UpgradeTx) {
  const v1 = (tx as unknown as IDBPTransaction<unknown, string[], 'versionchange'>).objectStore(V1_STORE);
  // A model or checkpoint is keyed by its run alone: its dataset comes from the run's record.
  const runDataset = new Map<string, string>();
  for (const run of await v1.getAll(IDBKeyRange.bound('run:', 'run:\uffff')))
    if (hasIds(run)) runDataset.set(run.id, run.datasetId);
  const moved: IDBValidKey[] = [];
  let kept = 0;
  for (let c = await v1.openCursor(); c; c = await c.continue())
    if (await moveV1Record(tx, String(c.key), c.value as unknown, runDataset)) moved.push(c.key);
    else kept++;
  if (!kept) db.deleteObjectStore(V1_STORE as StoreName);
  else for (const k of moved) await v1.delete(k); // rare: leaves only what this lab did not write
}

/** Whether the record was one this lab writes, now in its version 2 store. */
async function moveV1Record(tx: UpgradeTx, key: string, value: unknown, runDataset: Map<string, string>) {
  const ds = /^ds:(.+):(?:chunk:(\d+)|(manifest|summary|pending))$/.exec(key);
  if (ds) {
    const [, id, n, what] = ds as unknown as [string, string, string | undefined, string | undefined];
    if (n !== undefined) {
      if (!(value instanceof Uint8Array)) return false;
      await tx.objectStore(STORES.chunks).put({ datasetId: id, n: Number(n), bytes: value });
    } else if (!isObject(value)) return false;
    else if (what === 'manifest')
      await tx.objectStore(STORES.manifests).put({ ...value, id } as DatasetManifest);
    else if (what === 'summary')
      await tx.objectStore(STORES.datasets).put({ ...value, id } as DatasetSummary);
    else await tx.objectStore(STORES.imports).put({ ...value, id } as ImportRecord);
    return true;
  }
  const [kind, ...rest] = key.split(':');
  const id = rest.join(':');
  const datasetId = runDataset.get(id);
  if (kind === 'job' && hasIds(value)) await tx.objectStore(STORES.jobs).put(value as JobRecord);
  else if (kind === 'run' && hasIds(value)) await tx.objectStore(STORES.runs).put(value as RunRecord);
  else if ((kind === 'model' || kind === 'ckpt') && isObject(value)) {
    const v2: V2Record = { id, ...(datasetId && { datasetId }) };
    if (kind === 'model') v2.model = value as unknown as StoredModel;
    else v2.checkpoint = value as unknown as TrainCheckpoint;
    await tx.objectStore(kind === 'model' ? STORES.models : STORES.checkpoints).put(v2 as never);
  } else if (kind === 'labeller' && isObject(value))
    await tx.objectStore(STORES.labellers).put({ ...value, id } as Labeller);
  else return false;
  return true;
}
