// A database written by release 5b3a259 (idb-keyval, one store), opened by today's code: every record is there.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { keys, set } from 'idb-keyval';
import type { IDBPDatabase } from 'idb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { summarise } from '../core/dataset';
import * as cache from './cache';
import { closeDb, db, StorageError } from './db';
import { checkpoint, dataset, job, labeller, model, run } from './records.fixture';
import * as release1 from './release1.fixture';
import * as runs from './runStore';
import { BY_DATASET, DB_NAME, NO_DATASET, SCHEMA_VERSION, STORES } from './schema';

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
  release1.openRelease1();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await closeDb();
});

const a = dataset('a', 5, '2026-01-01T00:00:00Z');
const b = dataset('b', 2, '2026-02-01T00:00:00Z');
const pending = dataset('p', 3);
const progress = { files: ['x/1.jpg', 'x/2.jpg'], labels: [0, 1], hashes: ['h1', 'h2'] };
const jobA = job('a', 'ja', ['ra0', 'ra1']);
const runsA = [run('a', 'ja', 'ra0', '2026-01-02T00:00:01Z'), run('a', 'ja', 'ra1', '2026-01-02T00:00:02Z')];
const jobB = job('b', 'jb', ['rb0']);
const runB = run('b', 'jb', 'rb0');
const imported = labeller('import-l', ['import-m0', 'import-m1']);

/** Everything release 5b3a259 stores, written by its own code. */
async function writeRelease1() {
  for (const d of [a, b]) {
    await release1.writeChunks(d.manifest.id, d.chunks);
    await release1.writeManifest(d.manifest);
  }
  await release1.startImport('p', 'Unfinished', pending.manifest.listingKey);
  await release1.writeChunks('p', pending.chunks.slice(0, 1));
  await release1.saveImportProgress('p', progress);
  await release1.saveJob(jobA);
  for (const r of runsA) await release1.saveRun(r);
  await release1.saveModel('ra0', model(1));
  await release1.saveCheckpoint('ra1', checkpoint(4));
  await release1.saveJob(jobB);
  await release1.saveRun(runB);
  await release1.saveModel('rb0', model(2));
  await release1.saveLabeller(imported, [model(3), model(4)]);
}

describe('the upgrade from release 5b3a259 (idb-keyval)', () => {
  it('opens the database with every dataset, chunk, import, job, run, model, checkpoint and labeller', async () => {
    await writeRelease1();
    const written = (await keys(release1.release1Store())).length;
    // a: 3 chunks, manifest, summary; b: 1 chunk and two; p: record, 1 chunk; a's job, runs, model, checkpoint;
    // b's job, run, model; the labeller and its two models.
    expect(written).toBe(5 + 3 + 2 + 5 + 3 + 3);
    await release1.closeRelease1(); // as the old tab closing does

    expect(await cache.listDatasets()).toEqual([summarise(b.manifest), summarise(a.manifest)]);
    for (const d of [a, b])
      expect(await cache.loadDataset(d.manifest.id)).toEqual({
        ok: true,
        manifest: d.manifest,
        chunks: d.chunks.map(([, c]) => c),
      });
    expect(await cache.findResumable(pending.manifest.listingKey)).toEqual({
      id: 'p',
      name: 'Unfinished',
      images: 2,
      listingKey: pending.manifest.listingKey,
      progress,
    });
    expect(await cache.readChunks('p', 1)).toEqual([pending.chunks[0]![1]]);
    expect(await runs.listJobs('a')).toEqual([jobA]);
    expect(await runs.listRuns('a')).toEqual(runsA);
    expect(await runs.listJobs('b')).toEqual([jobB]);
    expect(await runs.listRuns('b')).toEqual([runB]);
    expect(await runs.loadModel('a', 'ra0')).toEqual(model(1));
    expect(await runs.loadModel('b', 'rb0')).toEqual(model(2));
    expect(await runs.loadCheckpoint('a', 'ra1')).toEqual(checkpoint(4));
    expect(await runs.listLabellers()).toEqual([imported]);
    expect(await runs.loadModel(NO_DATASET, 'import-m1')).toEqual(model(4));

    const d = await db();
    expect(d.version).toBe(SCHEMA_VERSION);
    expect([...d.objectStoreNames].sort()).toEqual(Object.values(STORES).sort()); // version 1's store is gone
    let moved = 0;
    for (const s of Object.values(STORES)) moved += await d.count(s);
    expect(moved).toBe(written);
    // Models and checkpoints are filed under their run's dataset: they go with it.
    expect(await d.getAllKeysFromIndex(STORES.models, BY_DATASET, 'a')).toEqual([['a', 'ra0']]);
    expect(await d.getAllKeysFromIndex(STORES.checkpoints, BY_DATASET, 'a')).toEqual([['a', 'ra1']]);
    await cache.deleteDataset('a');
    expect(await runs.loadModel('a', 'ra0')).toBeUndefined();
    expect(await runs.loadModel(NO_DATASET, 'import-m0')).toEqual(model(3));
  });

  it('the start-up sweep after the upgrade keeps every dataset and run', async () => {
    await writeRelease1();
    await release1.closeRelease1();
    const report = await cache.sweep();
    expect(report).toMatchObject({ cutOff: [], outdated: [], strayRuns: 0 });
    expect(report.resumable.map((r) => r.id)).toEqual(['p']);
    expect((await cache.listDatasets()).map((s) => s.id)).toEqual(['b', 'a']);
    expect(await runs.listRuns('a')).toHaveLength(2);
  });

  it('keeps a record it does not know in version 1 store rather than lose it', async () => {
    await writeRelease1();
    await set('notes:mine', { text: 'kept' }, release1.release1Store());
    await release1.closeRelease1();
    expect(await cache.listDatasets()).toHaveLength(2);
    const d = await db();
    expect(d.objectStoreNames.length).toBe(Object.keys(STORES).length + 1);
    const v1 = [...d.objectStoreNames].find((s) => !Object.values(STORES).includes(s as never))!;
    const left = await (d as unknown as IDBPDatabase).getAllKeys(v1);
    expect(left).toEqual(['notes:mine']);
  });

  it('a full disk during the upgrade: the clear message, and version 1 left whole', async () => {
    await writeRelease1();
    const written = (await keys(release1.release1Store())).length;
    await release1.closeRelease1();
    const put = IDBObjectStore.prototype.put;
    let room = 3;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args) {
      if (room-- <= 0) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    });
    const error = await db().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).quotaExceeded).toBe(true);
    expect((error as Error).message).toMatch(
      /storage for this site is full: upgrading .*nothing stored was changed/,
    );
    vi.restoreAllMocks();
    // Still version 1, every key as the release wrote it.
    const store = release1.openRelease1();
    expect(await keys(store)).toHaveLength(written);
    expect(await release1.readManifest('a')).toEqual(a.manifest);
    await release1.closeRelease1();
    // And the next try upgrades.
    expect(await cache.listDatasets()).toHaveLength(2);
  });

  it('while the release is open in another tab: says to close it, changes nothing', async () => {
    await writeRelease1(); // its connection stays open, as in a tab still showing the old lab
    await expect(db()).rejects.toThrow(/open in another tab with an older version.*Close the other tab/);
    await release1.closeRelease1();
    await new Promise((r) => setTimeout(r, 10));
    expect(await cache.listDatasets()).toHaveLength(2);
  });

  it('a fresh browser gets every store of the current version', async () => {
    const d = await db();
    expect(d.name).toBe(DB_NAME);
    expect([...d.objectStoreNames].sort()).toEqual(Object.values(STORES).sort());
    expect(await cache.listDatasets()).toEqual([]);
  });
});
