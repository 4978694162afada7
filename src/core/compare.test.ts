import { describe, expect, it } from 'vitest';
import { compareRoutes, mcnemar } from './compare';

const TJ = 'Trousers & Jeans';
const p = (g: string, t: string) => [TJ, g, t];

describe("the study's comparison of combined and hierarchical models", () => {
  it('scores a hand-worked example exactly', () => {
    const r = compareRoutes([
      // both routes right
      {
        truth: p('Female', 'Jeans'),
        combined: p('Female', 'Jeans'),
        level2: 'Female',
        branch: p('Female', 'Jeans'),
      },
      // combined: wrong gender, right type; hierarchy: right branch, wrong leaf
      {
        truth: p('Male', 'Trousers'),
        combined: p('Female', 'Trousers'),
        level2: 'Male',
        branch: p('Male', 'Jeans'),
      },
      // combined right; hierarchy: wrong branch, whose model still says "Jeans" (a type point, as the study scored)
      {
        truth: p('Male', 'Jeans'),
        combined: p('Male', 'Jeans'),
        level2: 'Female',
        branch: p('Female', 'Jeans'),
      },
      // combined all wrong; hierarchy right
      {
        truth: p('Female', 'Trousers'),
        combined: p('Male', 'Jeans'),
        level2: 'Female',
        branch: p('Female', 'Trousers'),
      },
    ]);
    expect(r.combined).toMatchObject({ points: 5, level2Points: 2, typePoints: 3, leafAccuracy: 0.5 });
    expect(r.combined.leafCorrect).toEqual([true, false, true, false]);
    expect(r.hierarchical).toMatchObject({
      points: 6,
      level2Points: 3,
      typePoints: 3,
      leafAccuracy: 0.5,
      wrongBranch: 1,
      rightBranchWrongLeaf: 1,
    });
    expect(r.mcnemar).toMatchObject({ b: 1, c: 1, p: 1 });
    expect(r.mcnemar.words).toMatch(/^No evidence that one route is better/);
  });

  it("McNemar's exact test", () => {
    const a = Array.from({ length: 30 }, (_, i) => i < 20);
    const b = Array.from({ length: 30 }, (_, i) => i < 10);
    // 10 discordant pairs, all one way: p = 2 / 2^10.
    const m = mcnemar(a, b);
    expect(m).toMatchObject({ b: 10, c: 0 });
    expect(m.p).toBeCloseTo(2 / 1024, 8);
    expect(m.words).toMatch(/^Evidence that the combined route is better \(p = 0\.002/);
    // 6 vs 2: p = 2 * (1 + 8 + 28) / 256 = 0.289
    const c = mcnemar(
      [true, true, true, true, true, true, false, false],
      [false, false, false, false, false, false, true, true],
    );
    expect(c.p).toBeCloseTo(0.2890625, 6);
    expect(mcnemar([true], [true]).words).toMatch(/exactly the same images/);
  });
});
