import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CHUNK_IMAGES } from '../core/dataset';
import * as cache from './cache';
import { closeDb, db, StorageError } from './db';
import { checkpoint, dataset, job, labeller, model, run } from './records.fixture';
import * as runs from './runStore';
import { NO_DATASET, STORES } from './schema';

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await closeDb();
});

/** How many records each store holds. */
async function counts() {
  const d = await db();
  const out: Record<string, number> = {};
  for (const s of Object.values(STORES)) out[s] = await d.count(s);
  return out;
}

async function storeDataset(id: string, images = 5, createdAt?: string) {
  const { manifest, chunks } = dataset(id, images, createdAt);
  await cache.writeChunks(id, chunks, 0);
  await cache.writeManifest(manifest);
  return { manifest, chunks };
}

/** Makes IndexedDB's put throw the browser's QuotaExceededError in one store past `room` puts: a full disk. */
function fullDiskFor(store: string, room = 0) {
  const put = IDBObjectStore.prototype.put;
  vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args) {
    if (this.name === store && room-- <= 0)
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    return put.apply(this, args);
  });
}

describe('datasets', () => {
  it('lists complete datasets newest first and loads one with its chunks in order', async () => {
    const a = await storeDataset('a', 5, '2026-01-01T00:00:00Z');
    await storeDataset('b', 3, '2026-02-01T00:00:00Z');
    await cache.writeChunks('c', [[0, new Uint8Array(4)]], 0); // an import still running: not listed
    expect((await cache.listDatasets()).map((s) => s.id)).toEqual(['b', 'a']);
    expect(await cache.hasDataset('a')).toBe(true);
    expect(await cache.hasDataset('c')).toBe(false);
    const loaded = await cache.loadDataset('a');
    expect(loaded).toEqual({ ok: true, manifest: a.manifest, chunks: a.chunks.map(([, c]) => c) });
    expect(await cache.readChunks('a', 2)).toEqual([a.chunks[0]![1], a.chunks[1]![1]]);
  });

  it('says which chunk is missing', async () => {
    const { manifest, chunks } = dataset('a', 5);
    await cache.writeChunks('a', [chunks[0]!, chunks[2]!], 0);
    await cache.writeManifest(manifest);
    expect(await cache.loadDataset('a')).toEqual({ ok: false, reason: 'image chunk 1 is missing' });
    await expect(cache.readChunks('a', 3)).rejects.toThrow(
      'a stored chunk of the unfinished import is missing',
    );
    expect(await cache.loadDataset('none')).toEqual({ ok: false, reason: 'missing manifest' });
  });

  it('deletes a dataset with its runs, models and checkpoints, and nothing of another', async () => {
    await storeDataset('a');
    await storeDataset('b');
    for (const d of ['a', 'b']) {
      await runs.saveJob(job(d, `j${d}`, [`r${d}`]));
      await runs.saveRun(run(d, `j${d}`, `r${d}`));
      await runs.saveModel(d, `r${d}`, model(1));
      await runs.saveCheckpoint(d, `r${d}`, checkpoint(1));
    }
    await runs.saveLabeller(labeller('l', ['import-1']), [model(2)]);
    await cache.deleteDataset('a');
    expect(await counts()).toEqual({
      datasets: 1,
      manifests: 1,
      chunks: 3,
      imports: 0,
      jobs: 1,
      runs: 1,
      models: 2, // b's and the labeller's
      checkpoints: 1,
      labellers: 1,
      parts: 0, // small models are one record each
    });
    expect(await runs.loadModel('b', 'rb')).toEqual(model(1));
    expect(await cache.hasDataset('b')).toBe(true);
  });

  it('a full disk while caching images: the clear message, and nothing of that batch kept', async () => {
    await storeDataset('kept');
    fullDiskFor(STORES.chunks, 1); // the first chunk fits
    const error = await cache.writeChunks('new', dataset('new').chunks, 52e6).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ quotaExceeded: true });
    expect((error as Error).message).toMatch(
      /^The browser's storage for this site is full while saving the image cache \(needs about 52 MB more/,
    );
    expect((error as Error).message).toContain('Delete cached datasets you no longer need');
    vi.restoreAllMocks();
    expect(await counts()).toMatchObject({ datasets: 1, chunks: 3 });
  });
});

describe('runs, models and labellers', () => {
  it('lists a dataset jobs and runs in order, reading only their own store', async () => {
    await runs.saveJob(job('a', 'j2', [], '2026-01-03T00:00:00Z'));
    await runs.saveJob(job('a', 'j1', [], '2026-01-02T00:00:00Z'));
    await runs.saveJob(job('b', 'j3', []));
    await cache.writeChunks('a', dataset('a', 200).chunks, 0);
    await runs.saveRun(run('a', 'j1', 'r2', '2026-01-02T00:00:02Z'));
    await runs.saveRun(run('a', 'j1', 'r1', '2026-01-02T00:00:01Z'));
    const opened: string[][] = [];
    const d = await db();
    const transaction = d.transaction.bind(d);
    vi.spyOn(d, 'transaction').mockImplementation(((names: string | string[], mode?: IDBTransactionMode) => {
      opened.push([names].flat());
      return transaction(names as never, mode);
    }) as never);
    expect((await runs.listJobs('a')).map((j) => j.id)).toEqual(['j1', 'j2']);
    expect((await runs.listRuns('a')).map((r) => r.id)).toEqual(['r1', 'r2']);
    expect(opened).toEqual([[STORES.jobs], [STORES.runs]]);
    expect(await runs.loadJob('a', 'j2')).toMatchObject({ id: 'j2' });
    expect(await runs.loadJob('b', 'j2')).toBeUndefined();
    expect(await runs.loadRun('a', 'r1')).toMatchObject({ id: 'r1' });
  });

  it('keeps models and checkpoints by run, and deletes a job with all of its runs', async () => {
    await runs.saveJob(job('a', 'j', ['r0', 'r1']));
    for (const id of ['r0', 'r1', 'r2']) {
      await runs.saveRun(run('a', 'j', id));
      await runs.saveModel('a', id, model(id.length));
      await runs.saveCheckpoint('a', id, checkpoint(3));
    }
    expect(await runs.loadModel('a', 'r0')).toEqual(model(2));
    expect(await runs.loadCheckpoint('a', 'r1')).toEqual(checkpoint(3));
    await runs.deleteCheckpoint('a', 'r1');
    expect(await runs.loadCheckpoint('a', 'r1')).toBeUndefined();
    await runs.deleteRun('a', 'r0');
    expect(await runs.loadModel('a', 'r0')).toBeUndefined();
    // r2 was stored under the job without being named in it: it goes too.
    await runs.deleteJob(job('a', 'j', ['r0', 'r1']));
    expect(await counts()).toMatchObject({ jobs: 0, runs: 0, models: 0, checkpoints: 0 });
  });

  it('a full disk while saving a trained model: the message, the run kept, no model', async () => {
    await runs.saveRun(run('a', 'j', 'r'));
    fullDiskFor(STORES.models);
    await expect(runs.saveModel('a', 'r', model(1))).rejects.toThrow(
      /storage for this site is full while saving the trained model/,
    );
    vi.restoreAllMocks();
    expect(await runs.loadRun('a', 'r')).toMatchObject({ modelSaved: true });
    expect(await runs.loadModel('a', 'r')).toBeUndefined();
  });

  it('runs trained elsewhere: stored with their job, all or nothing, once however often imported', async () => {
    const elsewhere = { host: 'node7', framework: 'PyTorch 1.13.1', device: 'cpu' };
    const imported = ['x-0', 'x-1'].map((id) => ({ ...run('a', 'x', id), trainedElsewhere: elsewhere }));
    fullDiskFor(STORES.runs, 1);
    await expect(runs.saveImportedRuns(job('a', 'x', ['x-0', 'x-1']), imported)).rejects.toThrow(
      /full while saving the imported runs/,
    );
    vi.restoreAllMocks();
    expect(await counts()).toMatchObject({ jobs: 0, runs: 0 });
    // Weights come first, one run at a time; then the runs and their job.
    await runs.saveModel('a', 'x-1', model(2));
    await runs.saveImportedRuns(job('a', 'x', ['x-0', 'x-1']), imported);
    await runs.saveImportedRuns(job('a', 'x', ['x-0', 'x-1']), imported);
    expect(await counts()).toMatchObject({ jobs: 1, runs: 2, models: 1 });
    expect((await runs.listRuns('a'))[1]).toMatchObject({ id: 'x-1', trainedElsewhere: elsewhere });
    expect(await runs.loadModel('a', 'x-1')).toEqual(model(2));
    await runs.deleteModels('a', ['x-1']);
    expect(await runs.loadModel('a', 'x-1')).toBeUndefined();
    await runs.saveModel('a', 'x-0', model(1));
    await cache.deleteDataset('a'); // deleted with the dataset, as the lab's own runs are
    expect(await counts()).toMatchObject({ jobs: 0, runs: 0, models: 0 });
  });

  it('an imported labeller: stored with its models, all or nothing, and deleted with them', async () => {
    const l = labeller('l1', ['import-a', 'import-b']);
    await runs.saveLabeller(l, [model(1), model(2)]);
    expect(await runs.listLabellers()).toEqual([l]);
    expect(await runs.loadModel(NO_DATASET, 'import-b')).toEqual(model(2));
    fullDiskFor(STORES.labellers);
    await expect(runs.saveLabeller(labeller('l2', ['import-c']), [model(3)])).rejects.toThrow(
      /full while saving the imported models/,
    );
    vi.restoreAllMocks();
    expect(await runs.loadModel(NO_DATASET, 'import-c')).toBeUndefined(); // its model went with it
    await runs.deleteLabeller(l);
    expect(await counts()).toMatchObject({ labellers: 0, models: 0 });
  });
});

describe('imports and the sweep at start-up', () => {
  const progress = (images: number) => ({
    files: Array.from({ length: images }, (_, i) => `f${i}`),
    labels: Array.from({ length: images }, () => 0),
    hashes: Array.from({ length: images }, (_, i) => `h${i}`),
  });

  it('keeps a record of an import while it runs, and removes it when it ends', async () => {
    let during: unknown;
    const result = await cache.withImportRecord(
      'a',
      'Photos',
      async () => {
        await cache.saveImportProgress('a', progress(64));
        during = await (await db()).get(STORES.imports, 'a');
        return 42;
      },
      'listing',
    );
    expect(result).toBe(42);
    expect(during).toMatchObject({ id: 'a', name: 'Photos', listingKey: 'listing', progress: progress(64) });
    expect(await counts()).toMatchObject({ imports: 0 });
  });

  it('removes cut-off imports, keeps resumable ones (less any unrecorded chunk), old formats and stray runs go', async () => {
    await storeDataset('done');
    await runs.saveRun(run('done', 'j', 'kept'));
    // Cut off with nothing recorded: removed.
    await expect(
      cache.withImportRecord('cut', 'Cut', async () => {
        await cache.writeChunks('cut', [[0, new Uint8Array(3)]], 0);
        throw new Error('tab closed');
      }),
    ).rejects.toThrow('tab closed');
    const d = await db();
    await d.put(STORES.imports, { id: 'cut', name: 'Cut', startedAt: 'x' }); // as a crash leaves it
    // Cut off after 70 images recorded (chunk 0 certain), chunks 0 and 1 written: chunk 1 goes.
    await d.put(STORES.imports, {
      id: 'res',
      name: 'Res',
      startedAt: 'x',
      listingKey: 'L',
      progress: progress(70),
    });
    await cache.writeChunks(
      'res',
      [
        [0, new Uint8Array(3)],
        [1, new Uint8Array(3)],
        [2, new Uint8Array(3)],
      ],
      0,
    );
    // Finished, but its record was not tidied up.
    await d.put(STORES.imports, { id: 'done', name: 'Done', startedAt: 'x' });
    // An older cache format.
    const old = dataset('old');
    await cache.writeManifest({ ...old.manifest, schema: 0 as never });
    // Runs of a dataset that is gone.
    await runs.saveJob(job('gone', 'jg', ['rg']));
    await runs.saveRun(run('gone', 'jg', 'rg'));
    await runs.saveModel('gone', 'rg', model(1));
    await runs.saveCheckpoint('gone', 'rg', checkpoint(1));
    await runs.saveLabeller(labeller('l', ['import-1']), [model(2)]);

    const report = await cache.sweep();
    expect(report).toEqual({
      cutOff: ['Cut'],
      resumable: [{ id: 'res', name: 'Res', images: 70, listingKey: 'L', progress: progress(70) }],
      outdated: ['Photos old'],
      strayRuns: 2,
    });
    expect(Math.ceil(70 / CHUNK_IMAGES)).toBe(2);
    expect(await cache.readChunks('res', 2)).toHaveLength(2);
    expect(await d.count(STORES.chunks, IDBKeyRange.bound(['res', 0], ['res', Infinity]))).toBe(2);
    expect(await counts()).toEqual({
      datasets: 1,
      manifests: 1,
      chunks: 3 + 2,
      imports: 1,
      jobs: 0,
      runs: 1,
      models: 1, // the imported labeller's: it belongs to no dataset, and stays
      checkpoints: 0,
      labellers: 1,
      parts: 0,
    });
    expect(await cache.findResumable('L')).toEqual(report.resumable[0]);
    expect(await cache.findResumable('other')).toBeNull();
    expect(await cache.sweep()).toEqual({
      cutOff: [],
      resumable: report.resumable,
      outdated: [],
      strayRuns: 0,
    });
  });
});
