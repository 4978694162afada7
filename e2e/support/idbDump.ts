/**
 * Every IndexedDB database of a page's origin as JSON, and back: what e2e/fixtures/release1 holds. Binary values
 * (ArrayBuffers and typed arrays), undefined and non-finite numbers are tagged, so records come back as the browser
 * stored them. The codec runs in the page, so each function below is self-contained.
 */
import type { Page } from '@playwright/test';

export interface DumpedStore {
  name: string;
  entries: [unknown, unknown][];
}
export interface Dump {
  databases: { name: string; version: number; stores: DumpedStore[] }[];
}

export const dumpDatabases = (page: Page): Promise<Dump> =>
  page.evaluate(async () => {
    const b64 = (u: Uint8Array) => {
      let s = '';
      for (let i = 0; i < u.length; i += 0x8000) s += String.fromCharCode(...u.subarray(i, i + 0x8000));
      return btoa(s);
    };
    const enc = (v: unknown): unknown => {
      if (v === undefined) return { $: 'undefined' };
      if (typeof v === 'number' && !Number.isFinite(v)) return { $: 'number', v: String(v) };
      if (v instanceof ArrayBuffer) return { $: 'ArrayBuffer', b64: b64(new Uint8Array(v)) };
      if (ArrayBuffer.isView(v))
        return { $: v.constructor.name, b64: b64(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)) };
      if (Array.isArray(v)) return v.map(enc);
      if (v && typeof v === 'object') {
        if ('$' in v) throw new Error('a stored object has a "$" field: the dump cannot tell it from a tag');
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, enc(x)]));
      }
      return v;
    };
    const req = <T>(r: IDBRequest<T>) =>
      new Promise<T>((ok, fail) => {
        r.onsuccess = () => ok(r.result);
        r.onerror = () => fail(r.error);
      });
    const databases = [];
    for (const info of await indexedDB.databases()) {
      const db = await req(indexedDB.open(info.name!));
      const stores = [];
      for (const name of Array.from(db.objectStoreNames)) {
        const store = db.transaction(name).objectStore(name);
        const [keys, values] = await Promise.all([req(store.getAllKeys()), req(store.getAll())]);
        stores.push({ name, entries: keys.map((k, i) => [enc(k), enc(values[i])] as [unknown, unknown]) });
      }
      databases.push({ name: db.name, version: db.version, stores });
      db.close();
    }
    return { databases };
  });

/**
 * Writes a dump's databases as the previous release did: with idb-keyval (one store per database, created by
 * idb-keyval's own `createStore`), loaded into the page from node_modules. The page must not have opened them.
 */
export async function writeWithIdbKeyval(page: Page, dump: Dump): Promise<void> {
  await page.addScriptTag({ path: 'node_modules/idb-keyval/dist/umd.js' });
  await page.evaluate(async (d) => {
    const dec = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(dec);
      if (!v || typeof v !== 'object') return v;
      const t = v as { $?: string; b64?: string; v?: string };
      if (t.$ === 'undefined') return undefined;
      if (t.$ === 'number') return Number(t.v);
      if (t.$) {
        const bytes = Uint8Array.from(atob(t.b64!), (c) => c.charCodeAt(0));
        if (t.$ === 'ArrayBuffer') return bytes.buffer;
        const View = (globalThis as unknown as Record<string, new (b: ArrayBuffer) => unknown>)[t.$];
        if (!View) throw new Error(`unknown tag ${t.$}`);
        return new View(bytes.buffer);
      }
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, dec(x)]));
    };
    const kv = (globalThis as unknown as { idbKeyval: typeof import('idb-keyval') }).idbKeyval;
    for (const db of d.databases) {
      if (db.stores.length !== 1) throw new Error(`${db.name}: idb-keyval writes one store per database`);
      const [store] = db.stores;
      await kv.setMany(
        store!.entries.map(([k, v]) => [dec(k) as IDBValidKey, dec(v)]),
        kv.createStore(db.name, store!.name),
      );
    }
  }, dump);
}
