import { describe, expect, it } from 'vitest';
import { ChunkBuilder, ImageStore } from './dataset';
import { IMAGE_BYTES } from './image';
import { describeDuplicate, findDuplicates } from './duplicates';
import { buildLabelTree, flattenTree } from './tree';
import { changedFiles, listingKey, recordedHashes } from './fingerprint';

describe('ChunkBuilder and ImageStore', () => {
  it('stores images in chunks and reads each one back unchanged', () => {
    const chunks: Uint8Array[] = [];
    const builder = new ChunkBuilder((i, c) => (chunks[i] = c), 4);
    for (let k = 0; k < 10; k++) builder.push(new Uint8Array(IMAGE_BYTES).fill(k));
    builder.finish();
    expect(chunks.map((c) => c.length / IMAGE_BYTES)).toEqual([4, 4, 2]);
    const store = new ImageStore(chunks, 10, 4);
    for (let k = 0; k < 10; k++) {
      const img = store.image(k);
      expect(img.length).toBe(IMAGE_BYTES);
      expect(img[0]).toBe(k);
      expect(img[IMAGE_BYTES - 1]).toBe(k);
    }
    expect(() => store.image(10)).toThrow(RangeError);
  });
});

describe('findDuplicates', () => {
  it('flags copies across splits and across classes', () => {
    const groups = findDuplicates(['a', 'b', 'a', 'c', 'c', 'd'], [0, 0, 0, 0, 1, 1], [0, 0, 2, 0, 0, 0]);
    expect(groups).toHaveLength(2);
    expect(groups[0]).toMatchObject({ hash: 'c', crossesClasses: true, crossesSplits: false });
    expect(groups[1]).toMatchObject({ hash: 'a', items: [0, 2], crossesClasses: false, crossesSplits: true });
    const paths = ['b/x.jpg', 'b/y.jpg', 'a/x.jpg', 'c/1.jpg', 'c/2.jpg', 'd.jpg'];
    expect(describeDuplicate(groups[1]!, paths, [0, 0, 2, 0, 0, 0])).toBe(
      'Same image in different splits (leakage): a/x.jpg (test), b/x.jpg (train)',
    );
  });
});

describe('buildLabelTree', () => {
  it('counts images at every node and per split', () => {
    const tree = buildLabelTree(
      [
        ['G', 'Glasses'],
        ['G', 'Sun'],
        ['S', 'F', 'Heels'],
      ],
      [0, 0, 1, 2, 2, 2],
      [0, 1, 0, 0, 0, 2],
    );
    const rows = flattenTree(tree).map((r) => [r.node.name, r.depth, r.node.total, r.node.splits.join('/')]);
    expect(rows).toEqual([
      ['G', 0, 3, '2/1/0'],
      ['Glasses', 1, 2, '1/1/0'],
      ['Sun', 1, 1, '1/0/0'],
      ['S', 0, 3, '2/0/1'],
      ['F', 1, 3, '2/0/1'],
      ['Heels', 2, 3, '2/0/1'],
    ]);
    expect(tree.total).toBe(6);
  });
});

describe('listingKey', () => {
  it('ignores listing order but changes with paths and resize policy', () => {
    const key = listingKey(['A/x.jpg', 'B/y.jpg'], 'letterbox');
    expect(listingKey(['B/y.jpg', 'A/x.jpg'], 'letterbox')).toBe(key);
    expect(listingKey(['A/x.jpg', 'B/z.jpg'], 'letterbox')).not.toBe(key);
    expect(listingKey(['A/x.jpg', 'B/y.jpg'], 'crop')).not.toBe(key);
    expect(key).toMatch(/^[0-9a-f]{28}$/);
  });
});

describe('changedFiles', () => {
  it('names files whose content differs from what was recorded, skipped files included', () => {
    const recorded = recordedHashes({
      files: ['A/x.jpg', 'B/y.jpg'],
      hashes: ['h1', 'h2'],
      skipped: [
        { path: 'B/bad.jpg', reason: 'truncated JPEG', hash: 'h3' },
        { path: 'notes.txt', reason: 'not an image' },
      ],
    });
    const same = new Map<string, string | null>([
      ['A/x.jpg', 'h1'],
      ['B/y.jpg', 'h2'],
      ['B/bad.jpg', 'h3'],
    ]);
    expect(changedFiles(recorded, same)).toEqual([]);
    expect(changedFiles(recorded, new Map([...same, ['B/y.jpg', 'h9']]))).toEqual(['B/y.jpg']);
    expect(changedFiles(recorded, new Map([...same, ['B/bad.jpg', 'fixed']]))).toEqual(['B/bad.jpg']);
    expect(changedFiles(recorded, new Map([...same, ['A/x.jpg', null]]))).toEqual(['A/x.jpg']);
  });
});
