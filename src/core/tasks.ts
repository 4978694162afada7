/**
 * Task models derived from the label tree, nothing fashion-specific: Primary (top-level categories); per
 * category its combined "All" model over its leaves; where a category has a second level, a model for that
 * level and one per value of it. On the study's tree this yields exactly the study's ten tasks, then an eleventh:
 * a flat model over every leaf of the tree (no routing), the design the study never tried.
 */
import { labelKey } from './labels';
import type { Grid, ModelSpec } from './models';

/** A grid the study ran for a task: a base model, the values each hyperparameter takes, runs per cell. */
export interface GridPreset {
  name: string;
  base: ModelSpec;
  grid: Grid;
  /** Runs per cell, each with its own seed: single runs were dominated by noise in the study. */
  repeats: number;
}

export type TaskKind = 'primary' | 'all' | 'level2' | 'within' | 'flat';

export interface Task {
  id: string;
  /** As a person would say it: "Shoes — all 11", "Shoes — Female / Male", "Shoes — Female types". */
  name: string;
  kind: TaskKind;
  category?: string;
  /** For `within` tasks: the level-2 value (the study's gender). */
  level2?: string;
  /** Output classes of the model, as label paths (prefixes of dataset classes for primary/level2 tasks). */
  outputs: string[][];
  /** Output index for each dataset class, or -1 when the class is not part of this task. */
  targetOf: number[];
  /** The study's settings for this kind of task. */
  defaults: { spec: ModelSpec; epochs: number; flip: boolean };
  /** The study's grids for this kind of task; the first is preloaded. */
  presets: GridPreset[];
}

const M2 = (filters: number, kernel1: number): ModelSpec => ({
  family: 'model2',
  filters,
  kernel1,
  kernel2: 3,
  dense: 0,
  dropout: 0,
});
const M3 = (filters: number, kernel1: number, kernel2: number, dense: number): ModelSpec => ({
  family: 'model3',
  filters,
  kernel1,
  kernel2,
  dense,
  dropout: 0,
});

const preset = (name: string, base: ModelSpec, grid: Grid, repeats = 3): GridPreset => ({
  name,
  base,
  grid,
  repeats,
});

/** A combined model's grids: the study's model 3, 1 and 2 grids (trousers/jeans) and its dropout study. */
function allPresets(spec: ModelSpec): GridPreset[] {
  const m1: ModelSpec = { ...spec, family: 'model1', filters: 32, dense: 0 };
  const m2: ModelSpec = { ...spec, family: 'model2', filters: 32, dense: 0 };
  const dropout: ModelSpec = { ...spec, family: 'dropout', filters: 64, kernel1: 3, kernel2: 3, dense: 1024 };
  const rates = Array.from({ length: 10 }, (_, i) => i / 10);
  return [
    preset('Model 3 grid', spec, {
      kernel1: [3, 5, 7],
      filters: [32, 64, 96, 128],
      kernel2: [3, 5],
      dense: [256, 512, 1024],
    }),
    preset('Model 1 grid', m1, { kernel1: [3, 5, 7], filters: [32, 64, 96, 128] }),
    preset('Model 2 grid', m2, { kernel1: [3, 5, 7], filters: [32, 64, 96, 128], kernel2: [3, 5] }),
    preset('Dropout study', dropout, { dropout: rates }),
  ];
}

function build(
  kind: TaskKind,
  name: string,
  classes: readonly string[][],
  outputOf: (label: readonly string[]) => string[] | null,
  extra: Partial<Task>,
): Task {
  const outputs: string[][] = [];
  const index = new Map<string, number>();
  const targetOf = classes.map((label) => {
    const out = outputOf(label);
    if (!out) return -1;
    const key = labelKey(out);
    if (!index.has(key)) {
      index.set(key, outputs.length);
      outputs.push(out);
    }
    return index.get(key)!;
  });
  const defaults =
    kind === 'primary'
      ? { spec: M2(32, 3), epochs: 15, flip: false }
      : kind === 'all'
        ? { spec: M3(64, 3, 3, 512), epochs: 20, flip: false }
        : { spec: M3(64, 3, 3, 256), epochs: 20, flip: false };
  const spec = defaults.spec;
  const presets: GridPreset[] =
    kind === 'primary'
      ? [preset('Filter size × filters', spec, { kernel1: [3, 5, 7], filters: [32, 64, 96, 128] })]
      : kind === 'level2'
        ? [
            preset('Model 3 grid', spec, {
              kernel1: [3, 5, 7],
              filters: [32, 64, 96, 128],
              kernel2: [3, 5, 7],
              dense: [256, 512, 1024],
            }),
          ]
        : kind === 'within'
          ? [
              preset('Model 3 grid', spec, {
                kernel1: [3, 5, 7],
                filters: [64, 96, 128],
                kernel2: [3, 5],
                dense: [256],
              }),
            ]
          : allPresets(spec);
  const id = [kind, extra.category, extra.level2].filter(Boolean).join(':');
  return { id, name, kind, outputs, targetOf, defaults, presets, ...extra };
}

/** Above this many classes a combined model gets the study's shoes treatment (flips, repeated runs). */
const MANY_CLASSES = 6;

/**
 * One model over every leaf of a tree with two or more categories; null otherwise, and null where every
 * category is a single leaf (the flat model would be Primary again). Model 3 like the study's
 * combined models, with dense 512 (its 11-class shoes model) and 1024 in the grid for the many outputs. No
 * flips by default: the study's flips append mirrored copies to every split, test included, and the flat
 * route is compared with the others image by image on the unchanged test split.
 */
export function flatTask(classes: readonly string[][]): Task | null {
  const categories = new Set(classes.map((c) => c[0]!));
  if (categories.size < 2 || categories.size === classes.length) return null;
  const t = build('flat', `Flat (all ${classes.length} leaves)`, classes, (l) => [...l], {});
  t.defaults = { spec: M3(64, 3, 3, 512), epochs: 20, flip: false };
  t.presets = [
    preset('Model 3 grid', t.defaults.spec, {
      kernel1: [3, 5, 7],
      filters: [64, 96, 128],
      dense: [512, 1024],
    }),
    preset('Repeated runs', t.defaults.spec, {}, 10),
  ];
  return t;
}

export interface DeriveOptions {
  /**
   * The flat model over every leaf (last), where the tree has two or more categories; on unless `false`. Every
   * place that derives a dataset's tasks must agree, so only the study's own task list leaves it out.
   */
  flat?: boolean;
}

export function deriveTasks(classes: readonly string[][], options: DeriveOptions = {}): Task[] {
  const tasks: Task[] = [];
  const categories = [...new Set(classes.map((c) => c[0]!))];
  if (categories.length >= 2) tasks.push(build('primary', 'Primary', classes, (l) => [l[0]!], {}));
  for (const category of categories) {
    const leaves = classes.filter((c) => c[0] === category);
    if (leaves.length < 2) continue;
    const twoLevels = leaves.every((l) => l.length >= 3);
    const level2 = twoLevels ? [...new Set(leaves.map((l) => l[1]!))] : [];
    const inCat = (l: readonly string[]) => (l[0] === category ? [...l] : null);
    if (level2.length < 2) {
      tasks.push(build('all', category, classes, inCat, { category }));
      continue;
    }
    const all = build('all', `${category} — all ${leaves.length}`, classes, inCat, { category });
    tasks.push(all);
    tasks.push(
      build(
        'level2',
        `${category} — ${level2.join(' / ')}`,
        classes,
        (l) => (l[0] === category ? [l[0], l[1]!] : null),
        {
          category,
        },
      ),
    );
    for (const value of level2) {
      const within = leaves.filter((l) => l[1] === value);
      if (within.length < 2) continue;
      tasks.push(
        build(
          'within',
          `${category} — ${value} types`,
          classes,
          (l) => (l[0] === category && l[1] === value ? [...l] : null),
          {
            category,
            level2: value,
          },
        ),
      );
    }
  }
  for (const t of tasks) {
    if (t.kind !== 'all') continue;
    if (t.outputs.every((o) => o.length === 2)) {
      // A single-level category model (the study's glasses) uses the primary task's settings and a small grid.
      t.defaults = { spec: M2(32, 3), epochs: 15, flip: false };
      t.presets = [preset('Filter size × filters', t.defaults.spec, { kernel1: [3, 5], filters: [32, 64] })];
    } else if (t.outputs.length > MANY_CLASSES) {
      // The study's 11-class shoes model: flip augmentation, and ten runs of one model instead of a grid.
      t.defaults = { ...t.defaults, flip: true };
      t.presets = [preset('Repeated runs', t.defaults.spec, {}, 10), ...t.presets];
    }
  }
  const flat = options.flat === false ? null : flatTask(classes);
  if (flat) tasks.push(flat);
  return tasks;
}
