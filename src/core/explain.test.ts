import { describe, expect, it } from 'vitest';
import {
  EXPLAIN,
  errorSourcesText,
  firstLookCaveat,
  pairedGridSummary,
  saliencyCaption,
  threeRouteSummary,
} from './explain';
import { compareThreeRoutes } from './threeRoutes';

const TJ = 'Trousers & Jeans';

describe('explanations in words', () => {
  const right = [TJ, 'Male', 'Jeans'];
  // Flat right on 12 images the hierarchy gets wrong on the branch; the hierarchy right on 1 the flat gets wrong.
  const images = [
    ...Array.from({ length: 12 }, () => ({
      truth: right,
      flat: right,
      hierarchical: [TJ, 'Female', 'Jeans'],
      combined: right,
    })),
    { truth: right, flat: ['Shoes', 'Male', 'Boots'], hierarchical: right, combined: right },
    { truth: right, flat: right, hierarchical: right, combined: right },
  ];
  const c = compareThreeRoutes(images);

  it('sums up the three routes, best first, with each pair’s test and where the errors come from', () => {
    const lines = threeRouteSummary(c);
    expect(lines[0]).toBe('Combined labels the most leaves right.');
    expect(lines[1]).toBe('Combined: 100.0% of leaves right (14 of 14), 42 of 42 points.');
    expect(lines[2]).toBe('Flat: 92.9% of leaves right (13 of 14), 39 of 42 points.');
    expect(lines[3]).toBe('Hierarchical: 14.3% of leaves right (2 of 14), 30 of 42 points.');
    // 12 vs 1 discordant images: p = 2 × (1 + 13) / 2^13 = 0.0034.
    expect(lines[4]).toBe(
      'Flat against hierarchical: Evidence that the flat route is better (p = 0.003; 12 vs 1 images only one route got right).',
    );
    expect(lines).toContain(
      'Hierarchical: 12 errors, 0 from a wrong category and 12 in the right category but on the wrong leaf (12 of them on the wrong branch).',
    );
    expect(lines).toContain(
      'Flat: 1 error, 1 from a wrong category and 0 in the right category but on the wrong leaf.',
    );
    expect(lines).toContain('Combined: no errors.');
    expect(threeRouteSummary(compareThreeRoutes([]))).toEqual([
      'The test split has no images to compare the routes on.',
    ]);
    expect(errorSourcesText('flat', c.routes.flat)).toMatch(/^Flat: 1 error,/);
  });

  it('captions a saliency map', () => {
    const names = ['Boots', 'High heels', 'Others'];
    const top = [
      { index: 1, probability: 0.72 },
      { index: 0, probability: 0.2 },
      { index: 2, probability: 0.08 },
    ];
    expect(saliencyCaption({ classIndex: 1, top, found: true }, names)).toBe(
      'Highlighted: where the image most raised the score of High heels (72.0%). Next: Boots 20.0%, Others 8.0%.',
    );
    expect(saliencyCaption({ classIndex: 2, top, found: false }, names)).toBe(
      'No part of this image raised the score of Others (8.0%), so there is nothing to highlight. Next: High heels 72.0%, Boots 20.0%.',
    );
  });

  it('has fixed explanations for every panel', () => {
    for (const text of Object.values(EXPLAIN)) expect(text.length).toBeGreaterThan(100);
    expect(EXPLAIN.repeats).toMatch(/at least 10/);
    expect(pairedGridSummary({ comparisons: [], repeats: null })).toEqual([
      'Run at least two cells to compare them seed by seed.',
    ]);
  });
});

describe('what a first look can show', () => {
  it('says, beside a Quick look on the tiny demo catalog, why its figure is near chance and what would mean more', () => {
    // Shoes — all 11 on 20 images a class: 44 test images, 3 epochs, 5 images right.
    expect(firstLookCaveat({ classes: 11, epochs: 3, testImages: 44, accuracy: 5 / 44 })).toBe(
      'A first look, not a result: it shows that this task trains here and what each panel shows, not how well ' +
        'a model can learn it. 3 epochs stop long before a model has learned. The test set has 44 images (4 a ' +
        'class): one more or less right moves the accuracy by 2.3 points. Guessing among 11 classes scores 9.1%; ' +
        '11.4% is within what guessing alone can score on 44 images. For figures to set beside the study’s: ' +
        'Study settings, on a larger demo catalog (Size) or your own photos.',
    );
    // Twice chance can still be guessing on so few images (two standard errors: 17.8%); 20% is not.
    expect(firstLookCaveat({ classes: 11, epochs: 3, testImages: 44, accuracy: 0.2 })).toContain(
      'scores 9.1%. For',
    );
  });

  it('says nothing of a long run on a test set big enough, and names only what is short or small', () => {
    expect(firstLookCaveat({ classes: 3, epochs: 15, testImages: 300, accuracy: 0.9 })).toBeNull();
    const small = firstLookCaveat({ classes: 3, epochs: 15, testImages: 7, accuracy: 0.9 })!;
    expect(small).toContain('The test set has 7 images (2.3 a class)');
    expect(small).not.toContain('epochs stop');
    expect(small).toContain('scores 33.3%.');
  });
});
