import { describe, expect, it } from 'vitest';
import { demoFiles, interleaved } from './catalog';
import { DEMO_CLASSES, STUDY_PER_CLASS } from './taxonomy';
import { planImport } from '../core/labels';

describe('demo catalog listing', () => {
  it("has exactly the study's 17 classes in its 3 categories, N images each", () => {
    const files = demoFiles(3);
    expect(files).toHaveLength(17 * 3);
    const plan = planImport(files.map((f) => ({ path: f.path, size: 1 })));
    expect(plan.skipped).toEqual([]);
    expect(plan.classes.map((c) => c.join('/'))).toEqual([
      'Glasses & Sunglasses/Glasses',
      'Glasses & Sunglasses/Sunglasses',
      'Shoes/Female/Ballerina shoes',
      'Shoes/Female/Boots',
      'Shoes/Female/High heels',
      'Shoes/Female/Others',
      'Shoes/Female/Sandals & Flip flops & Slippers',
      'Shoes/Female/Trainers & Sneakers',
      'Shoes/Male/Boots',
      'Shoes/Male/Formal shoes',
      'Shoes/Male/Others',
      'Shoes/Male/Sandals & Flip flops & Slippers',
      'Shoes/Male/Trainers & Sneakers',
      'Trousers & Jeans/Female/Jeans',
      'Trousers & Jeans/Female/Trousers',
      'Trousers & Jeans/Male/Jeans',
      'Trousers & Jeans/Male/Trousers',
    ]);
    expect(new Set(DEMO_CLASSES.map((c) => c.path[0]))).toEqual(
      new Set(['Glasses & Sunglasses', 'Trousers & Jeans', 'Shoes']),
    );
  });

  it('defaults to about 16,000 images, like the study', () => {
    expect(STUDY_PER_CLASS * DEMO_CLASSES.length).toBeGreaterThan(15_900);
    expect(STUDY_PER_CLASS * DEMO_CLASSES.length).toBeLessThan(16_100);
  });

  it('interleaves classes so any prefix is balanced', () => {
    const first = interleaved(demoFiles(5)).slice(0, 17);
    expect(new Set(first.map((f) => f.classIndex)).size).toBe(17);
  });

  it('refuses a size that is not a whole number of at least 1', () => {
    expect(() => demoFiles(0)).toThrow(RangeError);
    expect(() => demoFiles(2.5)).toThrow(RangeError);
  });
});
