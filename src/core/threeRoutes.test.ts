import { describe, expect, it } from 'vitest';
import { compareRoutes } from './compare';
import { compareThreeRoutes, pairWords, rankingWords, type ThreeRouteImage } from './threeRoutes';

const TJ = 'Trousers & Jeans';
const G = 'Glasses & Sunglasses';
const S = 'Shoes';

describe('the three routes compared over the whole tree', () => {
  const images: ThreeRouteImage[] = [
    // All three right.
    {
      truth: [TJ, 'Male', 'Jeans'],
      flat: [TJ, 'Male', 'Jeans'],
      hierarchical: [TJ, 'Male', 'Jeans'],
      combined: [TJ, 'Male', 'Jeans'],
    },
    // Flat: wrong gender, right type (2 of 3 points). Hierarchy: wrong branch whose model still says Trousers.
    // Combined: Primary sent it to Shoes (no points).
    {
      truth: [TJ, 'Female', 'Trousers'],
      flat: [TJ, 'Male', 'Trousers'],
      hierarchical: [TJ, 'Male', 'Trousers'],
      combined: [S, 'Female', 'Boots'],
    },
    // Glasses (two levels): flat wrong leaf; the hierarchy and combined share the one glasses model.
    {
      truth: [G, 'Sunglasses'],
      flat: [G, 'Glasses'],
      hierarchical: [G, 'Sunglasses'],
      combined: [G, 'Sunglasses'],
    },
    // Shoes: flat right; hierarchy right branch, wrong type; combined right.
    {
      truth: [S, 'Female', 'Boots'],
      flat: [S, 'Female', 'Boots'],
      hierarchical: [S, 'Female', 'High heels'],
      combined: [S, 'Female', 'Boots'],
    },
    // Flat sends it to the wrong category; the others right.
    {
      truth: [S, 'Male', 'Others'],
      flat: [TJ, 'Male', 'Jeans'],
      hierarchical: [S, 'Male', 'Others'],
      combined: [S, 'Male', 'Others'],
    },
  ];

  it('scores each route with the study points, leaf accuracy and the source of its errors', () => {
    const r = compareThreeRoutes(images);
    expect(r.images).toBe(5);
    expect(r.routes.flat).toMatchObject({
      points: 3 + 2 + 1 + 3 + 0,
      maxPoints: 14,
      categoryPoints: 4,
      level2Points: 2,
      typePoints: 3,
      leafAccuracy: 2 / 5,
      wrongCategory: 1,
      rightCategoryWrongLeaf: 2,
      wrongLevel2: 1,
    });
    expect(r.routes.hierarchical).toMatchObject({
      points: 3 + 2 + 2 + 2 + 3,
      leafAccuracy: 3 / 5,
      wrongCategory: 0,
      rightCategoryWrongLeaf: 2,
      wrongLevel2: 1,
    });
    expect(r.routes.combined).toMatchObject({
      points: 3 + 0 + 2 + 3 + 3,
      leafAccuracy: 4 / 5,
      wrongCategory: 1,
      rightCategoryWrongLeaf: 0,
    });
    expect(r.routes.combined.leafCorrect).toEqual([true, false, true, true, true]);
    expect(r.ranking).toEqual(['combined', 'hierarchical', 'flat']);
  });

  it("tests each pair with McNemar's exact test", () => {
    const r = compareThreeRoutes(images);
    expect(r.pairs.map((p) => [p.a, p.b, p.mcnemar.b, p.mcnemar.c])).toEqual([
      ['flat', 'hierarchical', 1, 2],
      ['flat', 'combined', 0, 2],
      ['hierarchical', 'combined', 0, 1],
    ]);
    // 0 vs 2 discordant images: p = 2 × (1/4) = 0.5.
    expect(r.pairs[1]!.mcnemar.p).toBeCloseTo(0.5, 12);
    expect(r.pairs[1]!.mcnemar.words).toMatch(/^No evidence that one route is better \(p = 0\.500; 0 vs 2/);
  });

  it("gives per category the study's own points, equal to the per-category comparison when Primary is right", () => {
    const r = compareThreeRoutes(images);
    expect(r.byCategory.map((c) => [c.category, c.images])).toEqual([
      [TJ, 2],
      [G, 1],
      [S, 2],
    ]);
    const tj = r.byCategory[0]!;
    const study = compareRoutes(
      images.slice(0, 2).map((x) => ({
        truth: x.truth,
        combined: x.flat,
        level2: x.hierarchical[1]!,
        branch: x.hierarchical,
      })),
    );
    expect(tj.routes.flat.points).toBe(study.combined.points);
    expect(tj.routes.hierarchical.points).toBe(study.hierarchical.points);
    expect(tj.routes.combined).toEqual({ points: 2, leafAccuracy: 0.5 });
  });

  it('says which route ranks first, and each pair’s test, in words', () => {
    const r = compareThreeRoutes(images);
    expect(rankingWords(r)).toBe(
      'The combined route ranks first by leaf accuracy: combined (80.0%), then hierarchical (60.0%), then flat (40.0%).',
    );
    expect(pairWords(r.pairs[0]!)).toMatch(
      /^Flat against hierarchical: No evidence that one route is better/,
    );
    const same = images.map((x) => ({ ...x, flat: x.combined, hierarchical: x.combined }));
    expect(rankingWords(compareThreeRoutes(same))).toBe(
      'No route ranks first alone by leaf accuracy: flat, hierarchical and combined tie at 80.0%.',
    );
    const two = images.map((x) => ({ ...x, flat: x.combined }));
    expect(rankingWords(compareThreeRoutes(two))).toBe(
      'No route ranks first alone by leaf accuracy: flat and combined tie at 80.0%, then hierarchical (60.0%).',
    );
  });
});
