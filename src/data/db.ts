/** The lab's one IndexedDB store (idb-keyval), and writes that explain a full disk in words. */
import { createStore, type UseStore } from 'idb-keyval';

const DB_NAME = 'fashion-cnn-lab';
let store: UseStore | null = null;
export const db = () => (store ??= createStore(DB_NAME, 'datasets'));

/** A storage failure, with what a person should know: the quota was hit, or something else broke. */
export class StorageError extends Error {
  constructor(
    message: string,
    readonly quotaExceeded: boolean,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

function isQuotaError(e: unknown): boolean {
  const name = (e as { name?: string } | null)?.name ?? '';
  const inner = (e as { inner?: { name?: string } } | null)?.inner?.name ?? '';
  return name === 'QuotaExceededError' || inner === 'QuotaExceededError' || /quota/i.test(String(e));
}

export async function storageEstimate(): Promise<{ usage: number; quota: number } | null> {
  try {
    const e = await navigator.storage?.estimate?.();
    return e ? { usage: e.usage ?? 0, quota: e.quota ?? 0 } : null;
  } catch {
    return null;
  }
}

/** Ask once for storage the browser will not evict under pressure. */
export async function requestPersistence(): Promise<boolean> {
  try {
    return (await navigator.storage?.persisted?.()) || ((await navigator.storage?.persist?.()) ?? false);
  } catch {
    return false;
  }
}

export async function wrapWrite<T>(what: string, neededBytes: number, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    if (isQuotaError(e)) {
      const est = await storageEstimate();
      const free = est ? Math.max(0, est.quota - est.usage) : null;
      throw new StorageError(
        `The browser's storage for this site is full while saving ${what}` +
          ` (needs about ${(neededBytes / 1e6).toFixed(0)} MB more` +
          (free !== null ? `, ${(free / 1e6).toFixed(0)} MB free` : '') +
          '). Delete cached datasets you no longer need, or free disk space, then import again.',
        true,
      );
    }
    throw new StorageError(`Saving ${what} failed: ${(e as Error)?.message ?? String(e)}`, false);
  }
}
