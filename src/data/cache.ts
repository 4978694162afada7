/** The IndexedDB cache of datasets: uint8 chunks and a manifest per dataset (idb-keyval, one object store). */
import { del, delMany, get, getMany, keys, set, setMany } from 'idb-keyval';
import { manifestProblem, summarise, type DatasetManifest, type DatasetSummary } from '../core/dataset';
import { db, wrapWrite } from './db';
import { deleteRunsOf } from './runStore';

export { StorageError, requestPersistence, storageEstimate } from './db';
export {
  findResumable,
  saveImportProgress,
  sweep,
  withImportRecord,
  type ImportProgress,
  type Resumable,
  type SweepReport,
} from './sweep';

const chunkKey = (id: string, n: number) => `ds:${id}:chunk:${n}`;
const manifestKey = (id: string) => `ds:${id}:manifest`;
/** Written last: its presence means the dataset is complete. */
const summaryKey = (id: string) => `ds:${id}:summary`;

export async function writeChunks(id: string, chunks: [number, Uint8Array][], remainingBytes: number) {
  // One transaction for several chunks: much faster than one set() each.
  await wrapWrite('the image cache', remainingBytes, () =>
    setMany(
      chunks.map(([n, c]) => [chunkKey(id, n), c]),
      db(),
    ),
  );
}

export async function writeManifest(m: DatasetManifest) {
  await wrapWrite('the dataset index', 1e6, async () => {
    await set(manifestKey(m.id), m, db());
    await set(summaryKey(m.id), summarise(m), db());
  });
}

export async function listDatasets(): Promise<DatasetSummary[]> {
  const all = (await keys(db())) as string[];
  const ids = all.filter((k) => k.endsWith(':summary'));
  const summaries = (await getMany(ids, db())) as (DatasetSummary | undefined)[];
  return summaries
    .filter((s): s is DatasetSummary => !!s)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

export async function hasDataset(id: string): Promise<boolean> {
  return (await get(summaryKey(id), db())) !== undefined;
}

export type LoadResult =
  { ok: true; manifest: DatasetManifest; chunks: Uint8Array[] } | { ok: false; reason: string };

export async function loadDataset(id: string): Promise<LoadResult> {
  const manifest = (await get(manifestKey(id), db())) as DatasetManifest | undefined;
  const problem = manifestProblem(manifest);
  if (problem || !manifest) return { ok: false, reason: problem ?? 'missing manifest' };
  const chunks = (await getMany(
    Array.from({ length: manifest.chunkCount }, (_, n) => chunkKey(id, n)),
    db(),
  )) as (Uint8Array | undefined)[];
  const missing = chunks.findIndex((c) => !(c instanceof Uint8Array));
  if (missing >= 0) return { ok: false, reason: `image chunk ${missing} is missing` };
  return { ok: true, manifest, chunks: chunks as Uint8Array[] };
}

/** The first `count` stored chunks of a dataset (a resumed import's). */
export async function readChunks(id: string, count: number): Promise<Uint8Array[]> {
  const chunks = (await getMany(
    Array.from({ length: count }, (_, n) => chunkKey(id, n)),
    db(),
  )) as (Uint8Array | undefined)[];
  if (chunks.some((c) => !(c instanceof Uint8Array)))
    throw new Error('a stored chunk of the unfinished import is missing');
  return chunks as Uint8Array[];
}

export async function readManifest(id: string): Promise<DatasetManifest | undefined> {
  return (await get(manifestKey(id), db())) as DatasetManifest | undefined;
}

/** Removes every record of a dataset, complete or not, and its training runs and models. */
export async function deleteDataset(id: string): Promise<void> {
  const prefix = `ds:${id}:`;
  const all = (await keys(db())) as string[];
  await deleteRunsOf(id);
  // Summary first, so an interrupted delete never leaves a listed but incomplete dataset.
  await del(summaryKey(id), db());
  await delMany(
    all.filter((k) => k.startsWith(prefix)),
    db(),
  );
}
