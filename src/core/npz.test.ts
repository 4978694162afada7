import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DEMO_CLASSES } from '../demo/taxonomy';
import { IMAGE_BYTES } from './image';
import { compareLabels } from './labels';
import { NpyError, parseNpy, writeNpy } from './npy';
import { readNpz, writeNpz } from './npz';
import {
  CLASS_PRESETS,
  npzFileInfo,
  npzPart,
  npzSplits,
  npzTaskName,
  presetFor,
  taskNpz,
} from './npzDataset';
import { deriveTasks } from './tasks';
import { TEST, TRAIN } from './split';

const fixture = (name: string) => new Uint8Array(readFileSync(join(__dirname, 'fixtures', name)));

describe('NPZ written by NumPy', () => {
  it('reads numpy.savez (stored, int64 labels) exactly', () => {
    const a = readNpz(fixture('Trousers & Jeans - All - Train.npz'));
    expect(a['images']!.shape).toEqual([5, 120, 90, 3]);
    expect(a['images']!.dtype).toBe('uint8');
    const px = a['images']!.data as Uint8Array;
    // Checksums printed by scripts/fixtures/make-npz.py.
    expect(px.reduce((s, v) => s + v, 0)).toBe(20631895);
    expect([...px.subarray(0, 3)]).toEqual([139, 74, 229]);
    expect([...px.subarray(px.length - 3)]).toEqual([169, 136, 223]);
    expect(a['labels']).toMatchObject({ dtype: 'int64', shape: [5] });
    expect([...a['labels']!.data]).toEqual([0, 1, 2, 3, 1]);
    expect([...a['genders']!.data]).toEqual([0, 0, 1, 1, 0]);
  });

  it('reads a file as Node hands it over (a Buffer, whose slice() is a view)', () => {
    const path = join(__dirname, 'fixtures', 'Trousers & Jeans - All - Train.npz');
    expect([...readNpz(readFileSync(path))['labels']!.data]).toEqual([0, 1, 2, 3, 1]);
  });

  it('reads numpy.savez_compressed (deflated, int32 labels) and float32 images', () => {
    const a = readNpz(fixture('Trousers & Jeans - All - Test.npz'));
    expect(a['labels']).toMatchObject({ dtype: 'int32', shape: [3] });
    expect([...a['labels']!.data]).toEqual([0, 1, 2]);
    const stored = readNpz(fixture('Trousers & Jeans - All - Train.npz'))['images']!.data as Uint8Array;
    const part = npzPart('float-images.npz', readNpz(fixture('float-images.npz')));
    expect(part.image(1)).toEqual(stored.subarray(IMAGE_BYTES, 2 * IMAGE_BYTES)); // /255 undone exactly
    expect(part.labels).toEqual([1, 0]);
  });

  it('round-trips what it writes', () => {
    const images = Uint8Array.from({ length: 2 * IMAGE_BYTES }, (_, i) => (i * 7) % 256);
    for (const compressed of [false, true]) {
      const back = readNpz(
        writeNpz(
          {
            images: { dtype: 'uint8', shape: [2, 120, 90, 3], data: images },
            labels: { dtype: 'int64', shape: [2], data: Float64Array.of(3, 0) },
            w: { dtype: 'float32', shape: [1], data: Float32Array.of(0.5) },
          },
          compressed,
        ),
      );
      expect(back['images']!.data).toEqual(images);
      expect([...back['labels']!.data]).toEqual([3, 0]);
      expect([...back['w']!.data]).toEqual([0.5]);
    }
    // NumPy's header layout: data starts at a multiple of 64.
    const npy = writeNpy({ dtype: 'int32', shape: [3], data: Int32Array.of(1, 2, 3) });
    expect((npy.length - 12) % 64).toBe(0);
  });

  it('rejects malformed files without allocating what a header claims', () => {
    const good = writeNpy({ dtype: 'uint8', shape: [4], data: Uint8Array.of(1, 2, 3, 4) });
    const swap = (from: string, to: string) => {
      const text = Buffer.from(good).toString('latin1').replace(from, to);
      return new Uint8Array(Buffer.from(text, 'latin1'));
    };
    expect(() => parseNpy(strToU8('hello'))).toThrow(/not a NumPy/);
    expect(() => parseNpy(good.subarray(0, good.length - 1))).toThrow(
      /promises 4 bytes of data but the file has 3/,
    );
    // A lying shape: 4e9 elements declared over 4 bytes of data. Refused from the sizes alone.
    expect(() => parseNpy(swap("'shape': (4,), }", "'shape': (4000000000,)}"))).toThrow(
      /promises 4000000000 bytes/,
    );
    expect(() => parseNpy(swap('|u1', '>i4'))).toThrow(/dtype >i4 is not supported/);
    expect(() => parseNpy(swap('|u1', '<c8'))).toThrow(/not supported/);
    expect(() => parseNpy(swap('False,', 'True, '))).toThrow(/Fortran-order/);
    expect(() => readNpz(strToU8('PK not a zip'), 'x.npz')).toThrow(NpyError);
    const zip = zipSync({ 'readme.txt': strToU8('hi') });
    expect(() => readNpz(zip, 'x.npz')).toThrow(/no \.npy arrays/);
    const files = unzipSync(fixture('Trousers & Jeans - All - Test.npz'));
    delete files['labels.npy'];
    expect(() => npzPart('t.npz', readNpz(zipSync(files)))).toThrow(/needs arrays "images" and "labels"/);
  });
});

describe('NPZ datasets', () => {
  it("knows the study's file names and class orders", () => {
    expect(npzFileInfo('Trousers & Jeans - All - Validation.npz')).toEqual({
      group: 'Trousers & Jeans - All',
      split: 1,
    });
    expect(npzFileInfo('Primary categories - Train.npz')).toEqual({
      group: 'Primary categories',
      split: TRAIN,
    });
    expect(npzFileInfo('mine.npz')).toEqual({ group: 'mine', split: null });
    expect(presetFor('Trousers & Jeans - All')!.classes[1]).toEqual(['Trousers & Jeans', 'Male', 'Jeans']);
    expect(presetFor('Shoes - Female')!.classes.map((c) => c[2])).toEqual([
      'Boots',
      'Ballerina shoes',
      'Trainers & Sneakers',
      'High heels',
      'Sandals & Flip flops & Slippers',
      'Others',
    ]);
    expect(presetFor('Shoes - Male')!.name).toBe('Shoes - Male');
    // Every preset names classes the demo catalog has.
    const demo = new Set(DEMO_CLASSES.map((c) => c.path.join('/')));
    for (const p of CLASS_PRESETS.slice(1))
      for (const c of p.classes) expect(demo.has(c.join('/'))).toBe(true);
  });

  it('insists on named splits when several files come together', () => {
    const part = npzPart('a.npz', readNpz(fixture('Trousers & Jeans - All - Test.npz')));
    expect(npzSplits([part]).given).toBe(false);
    expect(npzSplits([part, { ...part, split: null }]).problem).toMatch(/name the files/);
  });

  it("writes each task's split as the study stored it", () => {
    const classes = DEMO_CLASSES.map((c) => c.path).sort(compareLabels);
    const tasks = deriveTasks(classes);
    const labels = classes.map((_, i) => i);
    const split = classes.map(() => TEST);
    const tj = tasks.find((t) => t.name === 'Trousers & Jeans — all 4')!;
    const out = taskNpz(tj, TEST, { classes, labels, split }, (i) => new Uint8Array(IMAGE_BYTES).fill(i));
    expect(out.fileName).toBe('Trousers & Jeans - All - Test.npz');
    expect(out.arrays['images']!.shape).toEqual([4, 120, 90, 3]);
    expect(out.sidecar.genders).toEqual(['Male', 'Female']);
    // Labels are the task's outputs, genders 0 = Male, 1 = Female, for the same images.
    const names = [...out.arrays['labels']!.data].map((k) => tj.outputs[k]!.join('/'));
    const genders = [...out.arrays['genders']!.data];
    names.forEach((n, k) => expect(n.includes('/Male/') ? 0 : 1).toBe(genders[k]));
    expect(tasks.map(npzTaskName)).toEqual([
      'Primary categories',
      'Glasses & Sunglasses',
      'Shoes - All',
      'Shoes - Gender',
      'Shoes - Female',
      'Shoes - Male',
      'Trousers & Jeans - All',
      'Trousers & Jeans - Gender',
      'Trousers & Jeans - Female',
      'Trousers & Jeans - Male',
      'All leaves',
    ]);
    // The flat task's files hold every image with its dataset label, and no genders (it spans categories).
    const flat = taskNpz(tasks.at(-1)!, TEST, { classes, labels, split }, () => new Uint8Array(IMAGE_BYTES));
    expect(flat.fileName).toBe('All leaves - Test.npz');
    expect([...flat.arrays['labels']!.data]).toEqual(labels);
    expect(flat.arrays['genders']).toBeUndefined();
    expect(flat.sidecar.classes).toEqual(classes.map((c) => c.join('/')));
  });
});
