/**
 * The study's comparison of one combined model against a hierarchy of models, on a category's test images:
 * its point scoring, leaf accuracy per route, McNemar's test on paired correctness, and the hierarchy's errors.
 */
export interface CompareImage {
  /** True label path: [category, level-2 value, type]. */
  truth: readonly string[];
  /** The combined model's predicted leaf path. */
  combined: readonly string[];
  /** The level-2 model's predicted value. */
  level2: string;
  /** The leaf path predicted by the branch model chosen by the *predicted* level-2 value. */
  branch: readonly string[];
}

export interface RouteScore {
  /** The study's points: one for the right level-2 label, one for the right type. */
  points: number;
  level2Points: number;
  typePoints: number;
  leafCorrect: boolean[];
  leafAccuracy: number;
}

export interface McNemar {
  /** Combined right, hierarchical wrong. */
  b: number;
  /** Combined wrong, hierarchical right. */
  c: number;
  /** Exact two-sided p-value (binomial on the discordant pairs). */
  p: number;
  words: string;
}

export interface Comparison {
  images: number;
  combined: RouteScore;
  hierarchical: RouteScore & { wrongBranch: number; rightBranchWrongLeaf: number };
  mcnemar: McNemar;
}

const type = (path: readonly string[]) => path.at(-1)!;

function score(level2Right: boolean[], typeRight: boolean[]): RouteScore {
  const leafCorrect = level2Right.map((g, i) => g && typeRight[i]!);
  const level2Points = level2Right.filter(Boolean).length;
  const typePoints = typeRight.filter(Boolean).length;
  return {
    points: level2Points + typePoints,
    level2Points,
    typePoints,
    leafCorrect,
    leafAccuracy: leafCorrect.length ? leafCorrect.filter(Boolean).length / leafCorrect.length : 0,
  };
}

/** log of n choose k. */
function logChoose(n: number, k: number): number {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log(n - k + i) - Math.log(i);
  return s;
}

export function mcnemar(
  a: readonly boolean[],
  b: readonly boolean[],
  names = ['combined', 'hierarchical'],
): McNemar {
  let onlyA = 0;
  let onlyB = 0;
  a.forEach((x, i) => {
    if (x && !b[i]) onlyA++;
    if (!x && b[i]) onlyB++;
  });
  const n = onlyA + onlyB;
  let p = 1;
  if (n > 0) {
    let tail = 0;
    for (let k = 0; k <= Math.min(onlyA, onlyB); k++) tail += Math.exp(logChoose(n, k) - n * Math.LN2);
    p = Math.min(1, 2 * tail);
  }
  const pText = p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`;
  const better = onlyA > onlyB ? names[0] : names[1];
  const words =
    n === 0
      ? 'The two routes are right and wrong on exactly the same images: no evidence that one route is better.'
      : p < 0.05
        ? `Evidence that the ${better} route is better (${pText}; ${onlyA} vs ${onlyB} images only one route got right).`
        : `No evidence that one route is better (${pText}; ${onlyA} vs ${onlyB} images only one route got right).`;
  return { b: onlyA, c: onlyB, p, words };
}

export function compareRoutes(images: readonly CompareImage[]): Comparison {
  const combined = score(
    images.map((x) => x.combined[1] === x.truth[1]),
    images.map((x) => type(x.combined) === type(x.truth)),
  );
  const level2Right = images.map((x) => x.level2 === x.truth[1]);
  const hier = score(
    level2Right,
    images.map((x) => type(x.branch) === type(x.truth)),
  );
  const wrongBranch = level2Right.filter((g) => !g).length;
  const rightBranchWrongLeaf = hier.leafCorrect.filter((ok, i) => !ok && level2Right[i]).length;
  return {
    images: images.length,
    combined,
    hierarchical: { ...hier, wrongBranch, rightBranchWrongLeaf },
    mcnemar: mcnemar(combined.leafCorrect, hier.leafCorrect),
  };
}
