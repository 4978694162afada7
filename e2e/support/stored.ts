/** What the lab has stored in the page's IndexedDB, read by the store names of src/data/schema.ts. */
import type { Page } from '@playwright/test';
import { DB_NAME, STORES, type StoreName } from '../../src/data/schema';

export { STORES };

/** The keys of every record, per store (no stores before the lab first opens its database). */
export const storedKeys = (page: Page) =>
  page.evaluate(
    async ({ name, stores }) => {
      const out = Object.fromEntries(stores.map((s) => [s, [] as IDBValidKey[]])) as Record<
        StoreName,
        IDBValidKey[]
      >;
      if (!(await indexedDB.databases()).some((d) => d.name === name)) return out;
      const db = await new Promise<IDBDatabase>((ok, fail) => {
        const open = indexedDB.open(name);
        open.onsuccess = () => ok(open.result);
        open.onerror = () => fail(open.error);
      });
      try {
        for (const s of stores.filter((x) => db.objectStoreNames.contains(x)))
          out[s] = await new Promise<IDBValidKey[]>((ok, fail) => {
            const req = db.transaction(s).objectStore(s).getAllKeys();
            req.onsuccess = () => ok(req.result);
            req.onerror = () => fail(req.error);
          });
      } finally {
        db.close(); // never hold the database against the lab's own upgrade
      }
      return out;
    },
    { name: DB_NAME, stores: Object.values(STORES) },
  );

/** How many records the lab has stored, all stores together. */
export const storedCount = async (page: Page) =>
  Object.values(await storedKeys(page)).reduce((a, keys) => a + keys.length, 0);

/** Every record of one store. */
export const storedRecords = (page: Page, store: StoreName) =>
  page.evaluate(
    async ({ name, store }) =>
      !(await indexedDB.databases()).some((d) => d.name === name)
        ? []
        : new Promise<unknown[]>((ok, fail) => {
            const open = indexedDB.open(name);
            open.onerror = () => fail(open.error);
            open.onsuccess = () => {
              const db = open.result;
              if (!db.objectStoreNames.contains(store)) return (db.close(), ok([]));
              const req = db.transaction(store).objectStore(store).getAll();
              req.onsuccess = () => (db.close(), ok(req.result));
              req.onerror = () => (db.close(), fail(req.error));
            };
          }),
    { name: DB_NAME, store },
  );

/** Puts records into the lab's stores as they are (the lab must have created its database). */
export const putRecords = (page: Page, records: [StoreName, unknown][]) =>
  page.evaluate(
    ({ name, records }) =>
      new Promise<void>((ok, fail) => {
        const open = indexedDB.open(name);
        open.onerror = () => fail(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction([...new Set(records.map(([s]) => s))], 'readwrite');
          for (const [s, value] of records) tx.objectStore(s).put(value);
          tx.oncomplete = () => (db.close(), ok());
          tx.onerror = () => (db.close(), fail(tx.error));
        };
      }),
    { name: DB_NAME, records },
  );
