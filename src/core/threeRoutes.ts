/**
 * The three routes compared on the same test images of the whole tree: the flat model over every leaf, the
 * hierarchical pipeline (Primary, then level 2, then the branch) and the combined pipeline (Primary, then each
 * category's combined model). Per route: the study's points carried to the whole tree, leaf accuracy, and where
 * its errors come from; per pair of routes, McNemar's exact test on leaf correctness.
 */
import { mcnemar, type McNemar } from './compare';
import type { AnyRoute } from './flatRoute';
import { formatPercent } from './format';

export interface ThreeRouteImage {
  /** True leaf path, e.g. ["Shoes", "Female", "High heels"]. */
  truth: readonly string[];
  /** Each route's predicted path (a leaf path when the route's models were all there). */
  flat: readonly string[];
  hierarchical: readonly string[];
  combined: readonly string[];
}

export interface ThreeRouteScore {
  /**
   * The study's points over the whole tree: one for the right category, one for the right level-2 value where
   * the true label has one (the study's gender point), one for the right type within the right category (the
   * study's type point, given even when the level-2 value was wrong).
   */
  points: number;
  /** The most points the images allow. */
  maxPoints: number;
  categoryPoints: number;
  level2Points: number;
  typePoints: number;
  leafCorrect: boolean[];
  leafAccuracy: number;
  /** Errors by where they come from: a wrong category, or the right category but a wrong leaf. */
  wrongCategory: number;
  rightCategoryWrongLeaf: number;
  /** Of those, the ones with a wrong level-2 value (the wrong branch, for the hierarchy). */
  wrongLevel2: number;
}

export interface RoutePair {
  a: AnyRoute;
  b: AnyRoute;
  /** b: a right and b wrong; c: a wrong and b right. */
  mcnemar: McNemar;
}

export interface CategoryScores {
  category: string;
  images: number;
  /** The study's points within the category (level 2 and type, as its notebook scored), and leaf accuracy. */
  routes: Record<AnyRoute, { points: number; leafAccuracy: number }>;
}

export interface ThreeRouteComparison {
  images: number;
  routes: Record<AnyRoute, ThreeRouteScore>;
  /** Flat against hierarchical, flat against combined, hierarchical against combined. */
  pairs: RoutePair[];
  byCategory: CategoryScores[];
  /** Highest leaf accuracy first; ties keep the order flat, hierarchical, combined. */
  ranking: AnyRoute[];
}

const ROUTE_ORDER: readonly AnyRoute[] = ['flat', 'hierarchical', 'combined'];
const PAIRS: readonly [AnyRoute, AnyRoute][] = [
  ['flat', 'hierarchical'],
  ['flat', 'combined'],
  ['hierarchical', 'combined'],
];

const same = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

interface ImagePoints {
  category: boolean;
  level2: boolean | null;
  type: boolean;
  leaf: boolean;
}

function pointsOf(truth: readonly string[], predicted: readonly string[]): ImagePoints {
  const category = predicted[0] === truth[0];
  const level2 = truth.length >= 3 ? category && predicted[1] === truth[1] : null;
  const type = category && predicted.length >= 2 && predicted.at(-1) === truth.at(-1);
  return { category, level2, type, leaf: same(truth, predicted) };
}

function scoreRoute(images: readonly ThreeRouteImage[], route: AnyRoute): ThreeRouteScore {
  const per = images.map((x) => pointsOf(x.truth, x[route]));
  const count = (f: (p: ImagePoints) => boolean) => per.filter(f).length;
  const categoryPoints = count((p) => p.category);
  const level2Points = count((p) => p.level2 === true);
  const typePoints = count((p) => p.type);
  const leafCorrect = per.map((p) => p.leaf);
  const right = count((p) => p.leaf);
  return {
    points: categoryPoints + level2Points + typePoints,
    maxPoints: images.reduce((s, x) => s + (x.truth.length >= 3 ? 3 : 2), 0),
    categoryPoints,
    level2Points,
    typePoints,
    leafCorrect,
    leafAccuracy: images.length ? right / images.length : 0,
    wrongCategory: count((p) => !p.category),
    rightCategoryWrongLeaf: count((p) => p.category && !p.leaf),
    wrongLevel2: count((p) => p.level2 === false && p.category),
  };
}

export function compareThreeRoutes(images: readonly ThreeRouteImage[]): ThreeRouteComparison {
  const routes = Object.fromEntries(ROUTE_ORDER.map((r) => [r, scoreRoute(images, r)])) as Record<
    AnyRoute,
    ThreeRouteScore
  >;
  const pairs = PAIRS.map(([a, b]) => ({
    a,
    b,
    mcnemar: mcnemar(routes[a].leafCorrect, routes[b].leafCorrect, [a, b]),
  }));
  const categories = [...new Set(images.map((x) => x.truth[0]!))];
  const byCategory = categories.map((category): CategoryScores => {
    const mine = images.filter((x) => x.truth[0] === category);
    const scores = Object.fromEntries(
      ROUTE_ORDER.map((r) => {
        const s = scoreRoute(mine, r);
        return [r, { points: s.level2Points + s.typePoints, leafAccuracy: s.leafAccuracy }];
      }),
    ) as CategoryScores['routes'];
    return { category, images: mine.length, routes: scores };
  });
  const ranking = [...ROUTE_ORDER].sort((a, b) => routes[b].leafAccuracy - routes[a].leafAccuracy);
  return { images: images.length, routes, pairs, byCategory, ranking };
}

export const ROUTE_NAMES: Record<AnyRoute, string> = {
  flat: 'Flat',
  hierarchical: 'Hierarchical',
  combined: 'Combined',
};

/** Which route ranks first by leaf accuracy, in words, with ties said as ties. */
export function rankingWords(c: ThreeRouteComparison): string {
  const acc = (r: AnyRoute) => `${r} (${formatPercent(c.routes[r].leafAccuracy)})`;
  const [first, ...rest] = c.ranking as [AnyRoute, ...AnyRoute[]];
  const best = c.routes[first].leafAccuracy;
  const tied = c.ranking.filter((r) => c.routes[r].leafAccuracy === best);
  const after = c.ranking.filter((r) => !tied.includes(r));
  const then = after.length ? `, then ${after.map(acc).join(', then ')}` : '';
  const names = tied.length > 2 ? `${tied.slice(0, -1).join(', ')} and ${tied.at(-1)}` : tied.join(' and ');
  if (tied.length > 1)
    return `No route ranks first alone by leaf accuracy: ${names} tie at ${formatPercent(best)}${then}.`;
  return `The ${first} route ranks first by leaf accuracy: ${acc(first)}, then ${rest.map(acc).join(', then ')}.`;
}

/** McNemar's test of one pair of routes, in words ("Flat against hierarchical: No evidence …"). */
export const pairWords = (p: RoutePair) => `${ROUTE_NAMES[p.a]} against ${p.b}: ${p.mcnemar.words}`;
