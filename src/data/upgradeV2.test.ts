// A database written by release 4f650f9 (schema version 2: models and checkpoints keyed by run id, each one value),
// opened by today's code: every record is there, keyed by dataset and run, and deleting one dataset keeps another's.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { summarise } from '../core/dataset';
import * as cache from './cache';
import { closeDb, db } from './db';
import { INLINE_BYTES } from './parts';
import { checkpoint, dataset, job, labeller, model, run } from './records.fixture';
import * as release2 from './release2.fixture';
import * as runs from './runStore';
import { NO_DATASET, SCHEMA_VERSION, STORES } from './schema';

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});
afterEach(async () => {
  release2.closeRelease2();
  await closeDb();
});

const a = dataset('a', 5, '2026-01-01T00:00:00Z');
const b = dataset('b', 2, '2026-02-01T00:00:00Z');
const jobA = job('a', 'ja', ['ra0', 'ra1']);
const runsA = [run('a', 'ja', 'ra0', '2026-01-02T00:00:01Z'), run('a', 'ja', 'ra1', '2026-01-02T00:00:02Z')];
const jobB = job('b', 'jb', ['rb0']);
const runB = run('b', 'jb', 'rb0');
const imported = labeller('import-l', ['import-m0', 'import-m1']);
/** A model whose weights go into parts once upgraded (over INLINE_BYTES). */
const large: typeof model = (seed) => ({
  ...model(seed),
  weightData: new Float32Array(INLINE_BYTES / 4 + 3).fill(seed).buffer,
  weightSpecs: [{ name: 'w', shape: [INLINE_BYTES / 4 + 3], dtype: 'float32' }],
});

async function writeRelease2() {
  await release2.openRelease2();
  await release2.writeDataset(a.manifest, a.chunks);
  await release2.writeDataset(b.manifest, b.chunks);
  await release2.saveJob(jobA);
  for (const r of runsA) await release2.saveRun(r);
  await release2.saveModel('ra0', large(1));
  await release2.saveCheckpoint('ra1', checkpoint(4));
  await release2.saveJob(jobB);
  await release2.saveRun(runB);
  await release2.saveModel('rb0', model(2));
  await release2.saveLabeller(imported, [model(3), large(4)]);
  release2.closeRelease2();
}

describe('the upgrade from release 4f650f9 (schema version 2)', () => {
  it('opens with every dataset, run, model, checkpoint and labeller, keyed by dataset and run', async () => {
    await writeRelease2();
    expect(await cache.listDatasets()).toEqual([summarise(b.manifest), summarise(a.manifest)]);
    expect(await cache.loadDataset('a')).toEqual({
      ok: true,
      manifest: a.manifest,
      chunks: a.chunks.map(([, c]) => c),
    });
    expect(await runs.listJobs('a')).toEqual([jobA]);
    expect(await runs.listRuns('a')).toEqual(runsA);
    expect(await runs.listRuns('b')).toEqual([runB]);
    expect(await runs.loadModel('a', 'ra0')).toEqual(large(1));
    expect(await runs.loadModel('b', 'rb0')).toEqual(model(2));
    expect(await runs.loadCheckpoint('a', 'ra1')).toEqual(checkpoint(4));
    expect(await runs.listLabellers()).toEqual([imported]);
    expect(await runs.loadModel(NO_DATASET, 'import-m0')).toEqual(model(3));
    expect(await runs.loadModel(NO_DATASET, 'import-m1')).toEqual(large(4));
    // Filed under the right dataset, and not findable under another.
    expect(await runs.loadModel('b', 'ra0')).toBeUndefined();

    const d = await db();
    expect(d.version).toBe(SCHEMA_VERSION);
    expect([...d.objectStoreNames].sort()).toEqual(Object.values(STORES).sort()); // no store of version 2 left
    expect(await d.count(STORES.models)).toBe(4);
    expect(await d.count(STORES.checkpoints)).toBe(1);
    expect(await d.count(STORES.parts)).toBe(2); // the two large models' weights, one part each
  });

  it('the start-up sweep after it keeps every run and the imported labeller’s models', async () => {
    await writeRelease2();
    expect(await cache.sweep()).toMatchObject({ cutOff: [], outdated: [], strayRuns: 0 });
    expect(await runs.loadModel(NO_DATASET, 'import-m1')).toEqual(large(4));
    expect(await runs.listRuns('a')).toHaveLength(2);
  });

  it('deleting one upgraded dataset deletes exactly its records, parts included', async () => {
    await writeRelease2();
    await cache.deleteDataset('a');
    expect(await runs.loadModel('a', 'ra0')).toBeUndefined();
    expect(await runs.loadCheckpoint('a', 'ra1')).toBeUndefined();
    expect(await runs.loadModel('b', 'rb0')).toEqual(model(2));
    expect(await runs.loadModel(NO_DATASET, 'import-m1')).toEqual(large(4));
    expect(await (await db()).count(STORES.parts)).toBe(1); // the labeller's
  });
});
