// Records of any size: a checkpoint of the study's Model 3 (231 MB with Adam's moments) stored under Chromium's
// limit per value, read back whole; a part missing is an error, never half a model.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TrainCheckpoint } from '../core/checkpoint';
import * as cache from './cache';
import { closeDb, db } from './db';
import { PART_BYTES, PartsMissingError } from './parts';
import { checkpoint, job, model, run } from './records.fixture';
import * as runs from './runStore';
import { STORES } from './schema';

/** Chromium 156 refuses one IndexedDB value over this many bytes ("The serialized keys and/or value are too large"). */
const CHROMIUM_MAX_VALUE = 133_169_152;

const binaryBytes = (v: unknown): number =>
  v instanceof ArrayBuffer
    ? v.byteLength
    : ArrayBuffer.isView(v)
      ? v.buffer.byteLength // a view is cloned with its whole buffer
      : Array.isArray(v)
        ? v.reduce((a: number, x) => a + binaryBytes(x), 0)
        : typeof v === 'object' && v !== null
          ? Object.values(v).reduce((a: number, x) => a + binaryBytes(x), 0)
          : 0;

let largestPut = 0;
beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
  largestPut = 0;
  const put = IDBObjectStore.prototype.put;
  vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args) {
    const size = binaryBytes(args[0]);
    largestPut = Math.max(largestPut, size);
    if (size > CHROMIUM_MAX_VALUE)
      throw new DOMException(
        `The serialized keys and/or value are too large (size=${size} bytes, max=${CHROMIUM_MAX_VALUE} bytes).`,
        'DataError',
      );
    return put.apply(this, args);
  });
});
afterEach(async () => {
  vi.restoreAllMocks();
  await closeDb();
});

/** The study's Model 3 (19.3 M weights) as a checkpoint: weights and Adam's two moments, 77 MB each. */
function model3Checkpoint(): TrainCheckpoint {
  const weights = 19_312_459; // Model 3 for 11 classes, as the Train step counts it
  const tensor = (name: string, fill: number) => {
    const data = new Float32Array(weights);
    for (let i = 0; i < data.length; i += 4099) data[i] = fill + i; // distinct bytes, cheap to write
    return { name, shape: [weights], dtype: 'float32' as const, data };
  };
  return {
    epochsDone: 1,
    epochs: [],
    bestLoss: 1.5,
    bestEpoch: 0,
    wait: 0,
    weights: [tensor('w', 1)],
    optimizer: [
      tensor('m', 2),
      tensor('v', 3),
      { name: 'step', shape: [], dtype: 'int32', data: new Int32Array([7]) },
    ],
    bestWeights: null,
  };
}

describe('records larger than the browser takes in one value', () => {
  it('a Model 3 checkpoint (231 MB) is stored in parts under the limit and read back whole', async () => {
    const c = model3Checkpoint();
    await runs.saveRun(run('a', 'j', 'r'));
    await runs.saveCheckpoint('a', 'r', c);
    expect(largestPut).toBeGreaterThan(0);
    expect(largestPut).toBeLessThanOrEqual(PART_BYTES);
    const back = await runs.loadCheckpoint('a', 'r');
    expect(back?.optimizer.map((t) => t.name)).toEqual(['m', 'v', 'step']);
    for (const [i, t] of [...c.weights, ...c.optimizer].entries()) {
      const got = [...back!.weights, ...back!.optimizer][i]!;
      expect(got.data.constructor).toBe(t.data.constructor);
      expect(Buffer.from(got.data.buffer).equals(Buffer.from(t.data.buffer))).toBe(true);
    }
    expect(await (await db()).count(STORES.parts)).toBe(3 * Math.ceil((19_312_459 * 4) / PART_BYTES));
  }, 60_000);

  it('a part missing: a clear error, not half a model', async () => {
    const big = { ...model(1), weightData: new Uint8Array(PART_BYTES + 10).fill(7).buffer };
    await runs.saveModel('a', 'r', big);
    expect(new Uint8Array((await runs.loadModel('a', 'r'))!.weightData)[PART_BYTES + 9]).toBe(7);
    const d = await db();
    const [first] = await d.getAllKeys(STORES.parts);
    await d.delete(STORES.parts, first!);
    const error = await runs.loadModel('a', 'r').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PartsMissingError);
    expect((error as Error).message).toBe(
      'The trained model is stored incompletely (a part of it is missing or damaged).',
    );
  });

  it('writing a smaller record over a larger one leaves no part of the old one', async () => {
    await runs.saveModel('a', 'r', { ...model(1), weightData: new ArrayBuffer(PART_BYTES * 2 + 1) });
    expect(await (await db()).count(STORES.parts)).toBe(3);
    await runs.saveModel('a', 'r', model(2));
    expect(await (await db()).count(STORES.parts)).toBe(0);
    expect(await runs.loadModel('a', 'r')).toEqual(model(2));
  });
});

describe('datasets that share run ids', () => {
  it('keep their own models and checkpoints; deleting one keeps the other whole', async () => {
    const big = (fill: number) => ({
      ...model(fill),
      weightData: new Uint8Array(PART_BYTES + 1).fill(fill).buffer,
    });
    const tensor = (fill: number) => ({
      name: 'w',
      shape: [PART_BYTES / 4 + 1],
      dtype: 'float32' as const,
      data: new Float32Array(PART_BYTES / 4 + 1).fill(fill),
    });
    for (const [d, fill] of [
      ['a', 1],
      ['b', 2],
    ] as const) {
      await runs.saveJob(job(d, 'j', ['j-0']));
      await runs.saveRun(run(d, 'j', 'j-0'));
      await runs.saveModel(d, 'j-0', big(fill));
      await runs.saveCheckpoint(d, 'j-0', { ...checkpoint(fill), weights: [tensor(fill)] });
    }
    expect(new Uint8Array((await runs.loadModel('a', 'j-0'))!.weightData)[0]).toBe(1);
    expect(new Uint8Array((await runs.loadModel('b', 'j-0'))!.weightData)[0]).toBe(2);
    await cache.deleteDataset('a');
    expect(await runs.loadModel('a', 'j-0')).toBeUndefined();
    expect(await runs.loadCheckpoint('a', 'j-0')).toBeUndefined();
    expect(await runs.listRuns('b')).toHaveLength(1);
    expect(new Uint8Array((await runs.loadModel('b', 'j-0'))!.weightData)[PART_BYTES]).toBe(2);
    expect((await runs.loadCheckpoint('b', 'j-0'))?.epochsDone).toBe(2);
  }, 60_000);
});
