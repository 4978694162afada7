import { describe, expect, it } from 'vitest';
import { datasetProblem, planImport, shortLabels, type FileEntry } from './labels';

const entry = (path: string, size = 100): FileEntry => ({ path, size });

describe('planImport', () => {
  it('takes labels from folders of any depth, with branches of different depth', () => {
    const plan = planImport([
      entry('Glasses & Sunglasses/Glasses/a.jpg'),
      entry('Shoes/Female/High heels/b.JPG'),
      entry('Shoes/Female/High heels/c.png'),
      entry('Glasses & Sunglasses/Sunglasses/d.webp'),
    ]);
    expect(plan.classes).toEqual([
      ['Glasses & Sunglasses', 'Glasses'],
      ['Glasses & Sunglasses', 'Sunglasses'],
      ['Shoes', 'Female', 'High heels'],
    ]);
    expect(plan.accepted.map((a) => a.classIndex)).toEqual([0, 2, 2, 1]);
    expect(plan.skipped).toEqual([]);
  });

  it('skips non-images, system files, empty files and root images, each with a reason', () => {
    const plan = planImport([
      entry('A/.DS_Store'),
      entry('Thumbs.db'),
      entry('A/notes.txt'),
      entry('A/empty.jpg', 0),
      entry('root.jpg'),
      entry('A/ok.jpg'),
      entry('B/README'),
    ]);
    const reasons = Object.fromEntries(plan.skipped.map((s) => [s.path, s.reason]));
    expect(reasons['A/.DS_Store']).toMatch(/system file/);
    expect(reasons['Thumbs.db']).toMatch(/system file/);
    expect(reasons['A/notes.txt']).toBe('not an image (.txt file)');
    expect(reasons['A/empty.jpg']).toBe('empty file (0 bytes)');
    expect(reasons['root.jpg']).toMatch(/no label folder/);
    expect(reasons['B/README']).toMatch(/no file extension/);
    expect(plan.accepted).toHaveLength(1);
    expect(plan.classes).toEqual([['A']]);
  });

  it('skips images in a folder that also has sub-folders, because their label is ambiguous', () => {
    const plan = planImport([entry('Shoes/x.jpg'), entry('Shoes/Boots/y.jpg'), entry('Bags/z.jpg')]);
    expect(plan.classes).toEqual([['Bags'], ['Shoes', 'Boots']]);
    expect(plan.skipped).toEqual([
      { path: 'Shoes/x.jpg', reason: expect.stringMatching(/also has sub-folders/) },
    ]);
  });

  it('normalises Windows separators', () => {
    expect(planImport([entry('A\\B\\x.jpg'), entry('C/y.jpg')]).classes).toEqual([['A', 'B'], ['C']]);
  });
});

describe('datasetProblem', () => {
  it('explains an empty drop, an all-skipped drop and a single class', () => {
    expect(datasetProblem([], 0)).toMatch(/No images found/);
    expect(datasetProblem([0, 0], 3)).toMatch(/all 3 files were skipped/);
    expect(datasetProblem([5], 0)).toMatch(/at least two/);
    expect(datasetProblem([5, 0], 0)).toMatch(/at least two/);
    expect(datasetProblem([5, 1], 0)).toBeNull();
  });
});

describe('shortLabels', () => {
  it('keeps just enough of each path to tell classes apart', () => {
    expect(
      shortLabels([
        ['Glasses & Sunglasses', 'Glasses'],
        ['Shoes', 'Female', 'Boots'],
        ['Shoes', 'Male', 'Boots'],
        ['Bags'],
      ]),
    ).toEqual(['Glasses', 'Female / Boots', 'Male / Boots', 'Bags']);
  });
});
