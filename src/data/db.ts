/** The lab's one IndexedDB database (idb, with the schema in schema.ts), and writes that explain a full disk. */
import { openDB, type IDBPDatabase } from 'idb';
import { DB_NAME, SCHEMA_VERSION, upgrade, type LabDB } from './schema';

let connection: Promise<IDBPDatabase<LabDB>> | null = null;

/** The open database, upgraded to SCHEMA_VERSION on first use (one connection per page or worker). */
export const db = (): Promise<IDBPDatabase<LabDB>> => (connection ??= open());

function open(): Promise<IDBPDatabase<LabDB>> {
  return new Promise((resolve, reject) => {
    let refused = false;
    let upgradeFailure: unknown = null;
    openDB<LabDB>(DB_NAME, SCHEMA_VERSION, {
      // A failed upgrade aborts: the database stays at its old version, every record where it was.
      upgrade: (d, from, to, tx) =>
        void upgrade(d, from, to, tx).catch((e: unknown) => {
          upgradeFailure = e;
          tx.done.catch(() => undefined);
          try {
            tx.abort();
          } catch {
            // already aborted by the failed request
          }
        }),
      // An older version of the lab open in another tab holds the database and never lets go (idb-keyval does not
      // listen for version changes): say so instead of waiting. The upgrade runs once that tab is closed.
      blocked() {
        refused = true;
        connection = null;
        reject(
          new StorageError(
            'The lab is open in another tab with an older version, which holds its storage. ' +
              'Close the other tab, then reload this one: nothing stored was changed.',
            false,
          ),
        );
      },
      // A newer version of the lab, opened in another tab, upgrades once this connection closes.
      blocking(_current, _next, event) {
        (event.target as IDBDatabase).close();
        connection = null;
      },
      terminated() {
        connection = null;
      },
    }).then(
      (d) => (refused ? d.close() : resolve(d)),
      (e: unknown) => {
        connection = null;
        reject(openError(upgradeFailure ?? e));
      },
    );
  });
}

function openError(e: unknown): StorageError {
  const quota = isQuotaError(e);
  return new StorageError(
    (quota
      ? "The browser's storage for this site is full: upgrading the lab's storage to this version needs " +
        'room for a copy of it. Free disk space, then reload'
      : `The lab could not open its storage (${(e as Error)?.message ?? String(e)}). Reload to try again`) +
      ': nothing stored was changed.',
    quota,
  );
}

/** Closes this page's or worker's connection (tests; and before deleting the database). */
export async function closeDb(): Promise<void> {
  const c = connection;
  connection = null;
  (await c?.catch(() => null))?.close();
}

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
