/** The IndexedDB cache of datasets: uint8 chunks, a manifest and a summary per dataset (stores in schema.ts). */
import { manifestProblem, summarise, type DatasetManifest, type DatasetSummary } from '../core/dataset';
import { db, wrapWrite } from './db';
import { removeRunsOf } from './runStore';
import { STORES } from './schema';
import { deleteByDataset, each, write } from './stores';

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

const { datasets, manifests, chunks: chunkStore, imports } = STORES;

export async function writeChunks(id: string, chunks: [number, Uint8Array][], remainingBytes: number) {
  // One transaction for several chunks: much faster than one each.
  await wrapWrite('the image cache', remainingBytes, () =>
    write([chunkStore], (tx) =>
      each(chunks, ([n, bytes]) => tx.objectStore(chunkStore).put({ datasetId: id, n, bytes })),
    ),
  );
}

/** The manifest and the summary together: a listed dataset always has its manifest. */
export async function writeManifest(m: DatasetManifest) {
  await wrapWrite('the dataset index', 1e6, () =>
    write([manifests, datasets], async (tx) => {
      await tx.objectStore(manifests).put(m);
      await tx.objectStore(datasets).put(summarise(m));
    }),
  );
}

export async function listDatasets(): Promise<DatasetSummary[]> {
  const summaries = await (await db()).getAll(datasets);
  return summaries.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

export async function hasDataset(id: string): Promise<boolean> {
  return (await (await db()).count(datasets, id)) > 0;
}

export type LoadResult =
  { ok: true; manifest: DatasetManifest; chunks: Uint8Array[] } | { ok: false; reason: string };

/** Chunks 0 to count - 1 of a dataset, in order; the first missing one's number if any is. */
async function chunksOf(
  id: string,
  count: number,
): Promise<{ chunks: Uint8Array[]; missing: number | null }> {
  if (count === 0) return { chunks: [], missing: null };
  const records = await (await db()).getAll(chunkStore, IDBKeyRange.bound([id, 0], [id, count - 1]));
  const missing = records.findIndex((r, i) => r.n !== i || !(r.bytes instanceof Uint8Array));
  if (missing >= 0 || records.length < count)
    return { chunks: [], missing: missing >= 0 ? missing : records.length };
  return { chunks: records.map((r) => r.bytes), missing: null };
}

export async function loadDataset(id: string): Promise<LoadResult> {
  const manifest = await readManifest(id);
  const problem = manifestProblem(manifest);
  if (problem || !manifest) return { ok: false, reason: problem ?? 'missing manifest' };
  const { chunks, missing } = await chunksOf(id, manifest.chunkCount);
  if (missing !== null) return { ok: false, reason: `image chunk ${missing} is missing` };
  return { ok: true, manifest, chunks };
}

/** The first `count` stored chunks of a dataset (a resumed import's). */
export async function readChunks(id: string, count: number): Promise<Uint8Array[]> {
  const { chunks, missing } = await chunksOf(id, count);
  if (missing !== null) throw new Error('a stored chunk of the unfinished import is missing');
  return chunks;
}

export async function readManifest(id: string): Promise<DatasetManifest | undefined> {
  return (await db()).get(manifests, id);
}

/** Removes every record of a dataset, complete or not, and its training runs and models, in one transaction. */
export async function deleteDataset(id: string): Promise<void> {
  const { jobs, runs, models, checkpoints, parts } = STORES;
  const stores = [datasets, manifests, imports, chunkStore, jobs, runs, models, checkpoints, parts];
  await write(stores, async (tx) => {
    await each([datasets, manifests, imports] as const, (s) => tx.objectStore(s).delete(id));
    await deleteByDataset(tx, chunkStore, id);
    await removeRunsOf(tx, id);
  });
}
