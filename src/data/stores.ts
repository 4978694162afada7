/** Transactions over the lab's stores: all-or-nothing writes, and the records of one dataset found by index. */
import type { IDBPTransaction } from 'idb';
import { db } from './db';
import { BY_DATASET, type LabDB, type StoreName } from './schema';

export type WriteTx<S extends StoreName[]> = IDBPTransaction<LabDB, S, 'readwrite'>;

/**
 * Runs `work` in one read-write transaction and resolves once it is committed. If `work` throws or a request
 * fails (a full disk among them), the transaction is aborted: nothing it wrote is kept. `work` may await only
 * requests of `tx`, or the transaction commits early.
 */
export async function write<S extends StoreName[], T>(
  stores: S,
  work: (tx: WriteTx<S>) => Promise<T>,
): Promise<T> {
  const tx = (await db()).transaction(stores, 'readwrite');
  try {
    const result = await work(tx);
    await tx.done;
    return result;
  } catch (e) {
    tx.done.catch(() => undefined);
    try {
      tx.abort();
    } catch {
      // already committed or aborted by the failed request
    }
    throw e;
  }
}

/**
 * Starts one request per item before awaiting any (IndexedDB runs them in order, without a round trip each).
 * Each has a handler, so the rest of a batch that an abort cuts short is never an unhandled rejection.
 */
export function each<T, R>(items: Iterable<T>, request: (item: T) => Promise<R>): Promise<R[]> {
  const started: Promise<R>[] = [];
  for (const item of items) {
    const p = request(item);
    p.catch(() => undefined);
    started.push(p);
  }
  return Promise.all(started);
}

// Models and checkpoints have parts: runStore's removeRunsOf deletes them whole.
type ByDataset = 'chunks' | 'jobs' | 'runs';

/** Deletes every record of a dataset from a store indexed by dataset; how many there were. */
export async function deleteByDataset<S extends StoreName[]>(
  tx: WriteTx<S>,
  store: ByDataset & S[number],
  datasetId: string,
): Promise<number> {
  const s = tx.objectStore(store as ByDataset);
  const keys = await s.index(BY_DATASET).getAllKeys(datasetId); // primary keys only, no values read
  await each(keys, (k) => s.delete(k));
  return keys.length;
}
