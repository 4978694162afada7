/**
 * The flat route: one model over every leaf, no Primary and no routing. Labelling through it, and each of the
 * three routes' label of one image (flat; hierarchical: Primary, then each category's level-2 model and branch;
 * combined: Primary, then each category's combined model), from the task models' probabilities.
 */
import { argmax, labelImage, routeTasks, type PipelineResult, type Route } from './pipeline';
import type { Task } from './tasks';
import type { ThreeRouteImage } from './threeRoutes';

export type AnyRoute = Route | 'flat';
export const ROUTES: readonly AnyRoute[] = ['flat', 'hierarchical', 'combined'];

export const findFlatTask = (tasks: readonly Task[]) => tasks.find((t) => t.kind === 'flat');

/** The flat model's label of one image (a single level), or what is missing. */
export function labelFlat(flat: Task | undefined, probs: ArrayLike<number> | undefined): PipelineResult {
  if (!flat) return { path: [], levels: [], missing: 'no flat model in this label tree', complete: false };
  if (!probs) return { path: [], levels: [], missing: `train ${flat.name} first`, complete: false };
  const k = argmax(probs);
  const label = flat.outputs[k]!;
  return {
    path: [...label],
    levels: [{ taskId: flat.id, taskName: flat.name, label: [...label], confidence: probs[k]! }],
    missing: null,
    complete: true,
  };
}

/** An image labelled along any route: the flat model, or the pipeline with a route per category. */
export function labelAlong(
  route: 'flat' | ((category: string) => Route),
  tasks: readonly Task[],
  classes: readonly string[][],
  probsOf: (taskId: string) => ArrayLike<number> | undefined,
): PipelineResult {
  if (route !== 'flat') return labelImage(tasks, classes, probsOf, route);
  const flat = findFlatTask(tasks);
  return labelFlat(flat, flat && probsOf(flat.id));
}

/** Every task one of the three routes uses, each once: what the three-way comparison needs trained. */
export function threeRouteTasks(tasks: readonly Task[], classes: readonly string[][]): Task[] {
  const needed: Task[] = [];
  const add = (t: Task | undefined) => t && !needed.includes(t) && needed.push(t);
  add(findFlatTask(tasks));
  add(tasks.find((t) => t.kind === 'primary'));
  for (const category of new Set(classes.map((c) => c[0]!)))
    for (const route of ['hierarchical', 'combined'] as const)
      routeTasks(tasks, category, route).forEach(add);
  return needed;
}

/** One image's label along each of the three routes. */
export function threeRouteLabels(
  tasks: readonly Task[],
  classes: readonly string[][],
  probsOf: (taskId: string) => ArrayLike<number> | undefined,
): Record<AnyRoute, PipelineResult> {
  return {
    flat: labelAlong('flat', tasks, classes, probsOf),
    hierarchical: labelAlong(() => 'hierarchical', tasks, classes, probsOf),
    combined: labelAlong(() => 'combined', tasks, classes, probsOf),
  };
}

/** One test image for the three-way comparison; throws naming the model a route still lacks. */
export function threeRouteImage(
  tasks: readonly Task[],
  classes: readonly string[][],
  truth: readonly string[],
  probsOf: (taskId: string) => ArrayLike<number> | undefined,
): ThreeRouteImage {
  const labels = threeRouteLabels(tasks, classes, probsOf);
  for (const route of ROUTES) {
    const missing = labels[route].missing;
    if (missing) throw new Error(`The ${route} route cannot label every image: ${missing}.`);
  }
  return {
    truth,
    flat: labels.flat.path,
    hierarchical: labels.hierarchical.path,
    combined: labels.combined.path,
  };
}

/**
 * What keeps the three-way comparison from running, in words ("Flat (all 17 leaves) has not been trained"), or
 * null when every model of the three routes is there.
 */
export function threeRouteMissing(
  tasks: readonly Task[],
  classes: readonly string[][],
  trained: (taskId: string) => boolean,
): string | null {
  const flat = findFlatTask(tasks);
  if (!flat) return 'This label tree has a single category, so there is no flat model over every leaf';
  if (!trained(flat.id)) return `${flat.name} has not been trained`;
  const missing = threeRouteTasks(tasks, classes).filter((t) => !trained(t.id));
  if (!missing.length) return null;
  return `The three-way comparison also needs ${missing.map((t) => t.name).join(', ')} trained`;
}

/** Which route labelled an image: the flat model, or the route its category took in the pipeline. */
export function routeOfResult(
  flat: boolean,
  tasks: readonly Task[],
  result: PipelineResult,
  routeOf: (category: string) => Route,
): AnyRoute | null {
  if (flat) return 'flat';
  const category = result.path[0];
  if (!category) return null;
  return tasks.some((t) => t.kind === 'level2' && t.category === category) ? routeOf(category) : 'combined';
}
