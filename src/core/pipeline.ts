/**
 * Every label of an image from the task models, as a pipeline: Primary picks the category; then, per category,
 * either its combined model picks the leaf, or (hierarchical) its level-2 model picks the branch and that branch's
 * model picks the leaf. A missing model is named, never guessed.
 */
import { labelKey } from './labels';
import type { Task } from './tasks';

export type Route = 'combined' | 'hierarchical';

export interface LabelLevel {
  taskId: string;
  taskName: string;
  /** The label path this level decided, e.g. ["Shoes", "Female"]. */
  label: string[];
  confidence: number;
}

export interface PipelineResult {
  /** The deepest label reached (the leaf when every model was there). */
  path: string[];
  levels: LabelLevel[];
  /** "train Shoes — Female types first", when a model the route needs is missing. */
  missing: string | null;
  complete: boolean;
}

export const argmax = (p: ArrayLike<number>) => {
  let best = 0;
  for (let i = 1; i < p.length; i++) if (p[i]! > p[best]!) best = i;
  return best;
};

/** The tasks a category is labelled with along a route, in order (Primary not included). */
export function routeTasks(tasks: readonly Task[], category: string, route: Route): Task[] {
  const mine = tasks.filter((t) => t.category === category);
  const all = mine.find((t) => t.kind === 'all');
  const level2 = mine.find((t) => t.kind === 'level2');
  if (!level2 || route === 'combined') return all ? [all] : [];
  return [level2, ...mine.filter((t) => t.kind === 'within')];
}

/** Categories that can be labelled both ways (the study's trousers/jeans and shoes). */
export const twoRouteCategories = (tasks: readonly Task[]) =>
  tasks.filter((t) => t.kind === 'level2').map((t) => t.category!);

export function labelImage(
  tasks: readonly Task[],
  classes: readonly string[][],
  probsOf: (taskId: string) => ArrayLike<number> | undefined,
  routeOf: (category: string) => Route,
): PipelineResult {
  const levels: LabelLevel[] = [];
  const result = (path: string[], missing: string | null): PipelineResult => ({
    path,
    levels,
    missing,
    complete: !missing && classes.some((c) => labelKey(c) === labelKey(path)),
  });
  const decide = (task: Task): string[] | null => {
    const p = probsOf(task.id);
    if (!p) return null;
    const k = argmax(p);
    levels.push({ taskId: task.id, taskName: task.name, label: task.outputs[k]!, confidence: p[k]! });
    return task.outputs[k]!;
  };
  const categories = [...new Set(classes.map((c) => c[0]!))];
  let category = categories[0]!;
  const primary = tasks.find((t) => t.kind === 'primary');
  if (primary) {
    const out = decide(primary);
    if (!out) return result([], `train ${primary.name} first`);
    category = out[0]!;
  }
  const leaves = classes.filter((c) => c[0] === category);
  if (leaves.length === 1) return result([...leaves[0]!], null);
  const route = routeOf(category);
  const [first, ...within] = routeTasks(tasks, category, route);
  if (!first) return result([category], `no model labels ${category}`);
  const out = decide(first);
  if (!out) return result([category], `train ${first.name} first`);
  if (first.kind !== 'level2') return result(out, null);
  const branch = within.find((t) => t.level2 === out[1]);
  if (!branch) {
    // A branch with a single leaf has no model of its own: the leaf follows from the branch.
    const only = leaves.filter((c) => c[1] === out[1]);
    return only.length === 1 ? result([...only[0]!], null) : result(out, `no model for ${out.join(' / ')}`);
  }
  const leaf = decide(branch);
  return leaf ? result(leaf, null) : result(out, `train ${branch.name} first`);
}
