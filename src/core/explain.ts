/**
 * What the page and the report say about the paired grid tests, the three routes and saliency maps: fixed
 * explanations, and sentences built from results, so the interface only renders text.
 */
import { formatCount, formatPercent } from './format';
import type { AnyRoute } from './flatRoute';
import type { PairedGrid } from './pairedCells';
import type { ThreeRouteComparison, ThreeRouteScore } from './threeRoutes';

export const ROUTE_NAMES: Record<AnyRoute, string> = {
  flat: 'Flat',
  hierarchical: 'Hierarchical',
  combined: 'Combined',
};

/** One line per route, for a legend or a tooltip. */
export const ROUTE_DESCRIPTIONS: Record<AnyRoute, string> = {
  flat: 'One model over every leaf of the tree at once: no Primary model, no routing.',
  hierarchical:
    'Primary picks the category; where a category has a second level (the study’s gender), that level’s model picks the branch and the branch’s model picks the type.',
  combined:
    'Primary picks the category; the category’s combined model picks the leaf among all of its leaves.',
};

export const EXPLAIN = {
  pairedTest:
    'Every cell of a grid trains with the same seeds (repeat 1 uses the first seed in every cell, and so on), so ' +
    'two cells can be compared seed by seed. The paired t-test asks whether the per-seed differences in ' +
    'validation accuracy are consistently on one side of zero, given how much they vary. A small p-value says a ' +
    'difference this consistent would rarely come from run-to-run noise alone. The best cell was picked for ' +
    'having the highest mean, which flatters it a little; with several runner-ups the page also gives Holm’s ' +
    'adjusted p-value, which allows for making several comparisons at once.',
  repeats:
    'How many repeats per cell the paired t-test would need to tell the best two cells apart 80% of the time at ' +
    'the 5% level, if their true difference and its spread were what the runs so far show. It is an estimate: ' +
    'with few runs the spread itself is uncertain. The study concluded that single runs were dominated by noise ' +
    'and suggested at least 10 per combination.',
  mcnemar:
    'McNemar’s exact test compares two routes on the same images. Images both routes get right, or both get ' +
    'wrong, say nothing about which is better; only the images exactly one route gets right count. If the routes ' +
    'were equally good, each of those would be equally likely to favour either route, like a fair coin; the ' +
    'p-value is the chance of a split at least as lopsided as the one seen.',
  threeRoutes:
    'The study compared, per category, one combined model against a gender-then-type hierarchy, on the images ' +
    'already known to be in that category. Here all three routes label every image of the shared test split ' +
    'from the start, Primary included, so an image Primary sends to the wrong category counts against the routes ' +
    'that use it. Points carry the study’s scoring to the whole tree: one for the right category, one for the ' +
    'right second level where the label has one (the study’s gender point), and one for the right type within ' +
    'the right category (the study’s type point, given even when the second level was wrong).',
  errorSources:
    'Where a route’s errors come from: a wrong category (Primary’s mistake, or the flat model’s), or the right ' +
    'category but the wrong leaf; of the latter, how many had the wrong second level (for the hierarchy, the ' +
    'wrong branch: its type model never had a chance).',
  saliency:
    'The highlighted pixels are where the image most raised the model’s score for the class named. Grad-CAM ' +
    'weighs the last convolution’s feature maps by how much each one moves that score, so its map is coarse (one ' +
    'value per few pixels) but follows whole parts of the item. Input gradients show, per pixel, how sharply the ' +
    'score changes with that pixel: finer, and noisier. Neither proves why the model decided; both show what ' +
    'it looked at.',
} as const;

const percent = (x: number) => formatPercent(x, 1);

function routeLine(route: AnyRoute, s: ThreeRouteScore, images: number): string {
  const right = s.leafCorrect.filter(Boolean).length;
  return (
    `${ROUTE_NAMES[route]}: ${percent(s.leafAccuracy)} of leaves right (${formatCount(right)} of ` +
    `${formatCount(images)}), ${formatCount(s.points)} of ${formatCount(s.maxPoints)} points.`
  );
}

/** Where one route's errors come from, in words. */
export function errorSourcesText(route: AnyRoute, s: ThreeRouteScore): string {
  const errors = s.wrongCategory + s.rightCategoryWrongLeaf;
  if (!errors) return `${ROUTE_NAMES[route]}: no errors.`;
  const level2 = s.wrongLevel2
    ? ` (${formatCount(s.wrongLevel2)} of them on the wrong ${route === 'hierarchical' ? 'branch' : 'second level'})`
    : '';
  return (
    `${ROUTE_NAMES[route]}: ${formatCount(errors)} error${errors === 1 ? '' : 's'}, ` +
    `${formatCount(s.wrongCategory)} from a wrong category and ` +
    `${formatCount(s.rightCategoryWrongLeaf)} in the right category but on the wrong leaf${level2}.`
  );
}

/** The three-way comparison in sentences: each route's score, each pair's test, the errors' sources. */
export function threeRouteSummary(c: ThreeRouteComparison): string[] {
  if (!c.images) return ['The test split has no images to compare the routes on.'];
  const routes = c.ranking;
  const best = c.routes[routes[0]!];
  const tied = routes.filter((r) => c.routes[r].leafAccuracy === best.leafAccuracy);
  const lead =
    tied.length > 1
      ? `${tied.map((r) => ROUTE_NAMES[r]).join(' and ')} label the same share of leaves right.`
      : `${ROUTE_NAMES[routes[0]!]} labels the most leaves right.`;
  return [
    lead,
    ...routes.map((r) => routeLine(r, c.routes[r], c.images)),
    ...c.pairs.map(
      (p) => `${ROUTE_NAMES[p.a]} against ${ROUTE_NAMES[p.b].toLowerCase()}: ${p.mcnemar.words}`,
    ),
    ...routes.map((r) => errorSourcesText(r, c.routes[r])),
  ];
}

/** The paired grid tests in sentences: one per runner-up, then the repeats estimate. */
export function pairedGridSummary(g: PairedGrid): string[] {
  if (!g.comparisons.length) return ['Run at least two cells to compare them seed by seed.'];
  return [...g.comparisons.map((c) => c.words), ...(g.repeats ? [g.repeats.words] : [])];
}

/** A saliency map's caption: the class explained, its probability, the runners-up, or that nothing raised it. */
export function saliencyCaption(
  s: { classIndex: number; top: readonly { index: number; probability: number }[]; found: boolean },
  classNames: readonly string[],
): string {
  const name = (i: number) => classNames[i] ?? `output ${i}`;
  const p = s.top.find((t) => t.index === s.classIndex)?.probability;
  const explained = `${name(s.classIndex)}${p === undefined ? '' : ` (${percent(p)})`}`;
  const others = s.top.filter((t) => t.index !== s.classIndex);
  const next = others.length
    ? ` Next: ${others.map((t) => `${name(t.index)} ${percent(t.probability)}`).join(', ')}.`
    : '';
  return s.found
    ? `Highlighted: where the image most raised the score of ${explained}.${next}`
    : `No part of this image raised the score of ${explained}, so there is nothing to highlight.${next}`;
}

/**
 * What a short run, or a small test set, can and cannot show, said beside its figures; null where the run is long
 * enough and its test set big enough to read the figure as a result. On the tiny demo catalog a Quick look is
 * near chance, which a newcomer would otherwise read as the lab not working.
 */
export function firstLookCaveat(r: {
  classes: number;
  epochs: number;
  testImages: number;
  accuracy: number;
}): string | null {
  const short = r.epochs <= 3;
  const small = r.testImages < 10 * r.classes;
  if (!short && !small) return null;
  const chance = 1 / r.classes;
  const lines = [
    'A first look, not a result: it shows that this task trains here and what each panel shows, not how well ' +
      'a model can learn it.',
  ];
  if (short)
    lines.push(`${r.epochs} epoch${r.epochs === 1 ? '' : 's'} stop long before a model has learned.`);
  if (small)
    lines.push(
      `The test set has ${r.testImages} images (${formatCount(Math.round((r.testImages / r.classes) * 10) / 10)} a class): one more or ` +
        `less right moves the accuracy by ${(100 / r.testImages).toFixed(1)} points.`,
    );
  // Two standard errors of a guesser's accuracy on this many images.
  const guessing = chance + 2 * Math.sqrt((chance * (1 - chance)) / r.testImages);
  lines.push(
    `Guessing among ${r.classes} classes scores ${formatPercent(chance)}` +
      (r.accuracy <= guessing
        ? `; ${formatPercent(r.accuracy)} is within what guessing alone can score on ${r.testImages} images.`
        : '.'),
  );
  lines.push(
    'For figures to set beside the study’s: Study settings, on a larger demo catalog (Size) or your own photos.',
  );
  return lines.join(' ');
}
