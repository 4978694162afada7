/**
 * The study's NPZ files as lab datasets and back: arrays `images` (N,120,90,3), `labels` (N,) and, for gendered
 * categories, `genders` (0 = Male, 1 = Female); files named "<task> - Train|Validation|Test.npz"; class names
 * from a sidecar JSON or, failing that, from the person (the study's orders are offered as presets).
 */
import { IMAGE_BYTES, IMAGE_CHANNELS, IMAGE_HEIGHT, IMAGE_WIDTH } from './image';
import { labelKey } from './labels';
import { NpyError, type NpyArray } from './npy';
import { SPLIT_NAMES, TEST, TRAIN, VALIDATION, type SplitIndex } from './split';
import type { Task } from './tasks';

const SPLIT_WORDS: Record<string, SplitIndex> = {
  train: TRAIN,
  validation: VALIDATION,
  val: VALIDATION,
  test: TEST,
};

/** "Trousers & Jeans - All - Train.npz" → group "Trousers & Jeans - All", split Train. */
export function npzFileInfo(name: string): { group: string; split: SplitIndex | null } {
  const base = name.replace(/^.*\//, '').replace(/\.(npz|json)$/i, '');
  const m = /^(.*?)\s*[-_ ]\s*(train|validation|val|test)$/i.exec(base);
  return m
    ? { group: m[1]!.trim(), split: SPLIT_WORDS[m[2]!.toLowerCase()]! }
    : { group: base.trim(), split: null };
}

export interface NpzPart {
  name: string;
  split: SplitIndex | null;
  count: number;
  /** Image i as 120×90×3 uint8 (converted from float32 when needed). */
  image(i: number): Uint8Array;
  labels: number[];
}

export function npzPart(name: string, arrays: Record<string, NpyArray>): NpzPart {
  const bad = (why: string) => new NpyError(`${name}: ${why}`);
  const images = arrays['images'];
  const labels = arrays['labels'];
  if (!images || !labels)
    throw bad(`needs arrays "images" and "labels" (it has ${Object.keys(arrays).join(', ')}).`);
  const [n, h, w, c] = images.shape;
  if (images.shape.length !== 4 || h !== IMAGE_HEIGHT || w !== IMAGE_WIDTH || c !== IMAGE_CHANNELS)
    throw bad(`images must have shape (N, 120, 90, 3); it has (${images.shape.join(', ')}).`);
  if (images.dtype !== 'uint8' && images.dtype !== 'float32')
    throw bad(`images must be uint8 or float32, not ${images.dtype}.`);
  if (labels.shape.length !== 1 || labels.shape[0] !== n)
    throw bad(`labels must have shape (${n},) like the images; it has (${labels.shape.join(', ')}).`);
  if (labels.dtype === 'float32') throw bad('labels must be integers.');
  const values = Array.from(labels.data, Number);
  if (values.some((v) => !Number.isInteger(v) || v < 0 || v > 10_000))
    throw bad('labels must be class indices (0, 1, 2, …).');
  let image: (i: number) => Uint8Array;
  if (images.dtype === 'uint8')
    image = (i) => (images.data as Uint8Array).subarray(i * IMAGE_BYTES, (i + 1) * IMAGE_BYTES);
  else {
    const f = images.data as Float32Array;
    let max = 0;
    for (let i = 0; i < f.length; i++) if (f[i]! > max) max = f[i]!;
    const scale = max <= 1 ? 255 : 1; // scaled /255 as the study trained, or still 0–255
    image = (i) => {
      const out = new Uint8Array(IMAGE_BYTES);
      for (let k = 0; k < IMAGE_BYTES; k++)
        out[k] = Math.max(0, Math.min(255, Math.round(f[i * IMAGE_BYTES + k]! * scale)));
      return out;
    };
  }
  return { name, split: npzFileInfo(name).split, count: n!, image, labels: values };
}

const G = 'Glasses & Sunglasses';
const T = 'Trousers & Jeans';
const S = 'Shoes';
const paths = (...p: string[]) => p.map((x) => x.split('/'));

const SHOES_MALE = [
  'Boots',
  'Trainers & Sneakers',
  'Sandals & Flip flops & Slippers',
  'Formal shoes',
  'Others',
].map((t) => `${S}/Male/${t}`);
// The combined model listed the female types in another order than the female model did.
const SHOES_FEMALE_ALL_ORDER = [
  'Boots',
  'Trainers & Sneakers',
  'Sandals & Flip flops & Slippers',
  'High heels',
  'Ballerina shoes',
  'Others',
].map((t) => `${S}/Female/${t}`);

/** The study's label orders (SEED_STUDY.md), as label paths. */
export const CLASS_PRESETS: { name: string; match: RegExp; classes: string[][] }[] = [
  { name: 'Primary categories', match: /^primary/i, classes: paths(G, T, S) },
  { name: 'Glasses & Sunglasses', match: /^glasses/i, classes: paths(`${G}/Glasses`, `${G}/Sunglasses`) },
  {
    name: 'Trousers & Jeans - All',
    match: /^trousers.*all/i,
    classes: paths(`${T}/Male/Trousers`, `${T}/Male/Jeans`, `${T}/Female/Trousers`, `${T}/Female/Jeans`),
  },
  {
    name: 'Trousers & Jeans - Male',
    match: /^trousers.*\bmale/i,
    classes: paths(`${T}/Male/Trousers`, `${T}/Male/Jeans`),
  },
  {
    name: 'Trousers & Jeans - Female',
    match: /^trousers.*female/i,
    classes: paths(`${T}/Female/Trousers`, `${T}/Female/Jeans`),
  },
  { name: 'Shoes - All', match: /^shoes.*all/i, classes: paths(...SHOES_MALE, ...SHOES_FEMALE_ALL_ORDER) },
  { name: 'Shoes - Male', match: /^shoes.*\bmale/i, classes: paths(...SHOES_MALE) },
  {
    name: 'Shoes - Female',
    match: /^shoes.*female/i,
    classes: paths(
      ...[
        'Boots',
        'Ballerina shoes',
        'Trainers & Sneakers',
        'High heels',
        'Sandals & Flip flops & Slippers',
        'Others',
      ].map((t) => `${S}/Female/${t}`),
    ),
  },
];

export const presetFor = (group: string) => CLASS_PRESETS.find((p) => p.match.test(group)) ?? null;

/** Class names from a sidecar JSON: {"classes": ["A/B", …]} or {"classes": [["A","B"], …]}, or a bare list. */
export function classesFromJson(value: unknown): string[][] | null {
  const list = Array.isArray(value) ? value : (value as { classes?: unknown } | null)?.classes;
  if (!Array.isArray(list) || list.length < 1 || list.length > 10_000) return null;
  const out = list.map((c) =>
    typeof c === 'string' ? c.split('/').map((s) => s.trim()) : Array.isArray(c) ? c.map(String) : null,
  );
  if (out.some((c) => !c || !c.length || c.some((s) => !s))) return null;
  return checkClasses(out as string[][]) ? null : (out as string[][]);
}

/** One class per line, "/" between levels. */
export function classesFromText(text: string): string[][] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => l.split('/').map((s) => s.trim()));
}

export function checkClasses(classes: string[][]): string | null {
  if (classes.length < 2) return 'at least two classes are needed';
  if (classes.some((c) => !c.length || c.some((s) => !s))) return 'a class name is empty';
  if (new Set(classes.map(labelKey)).size !== classes.length) return 'a class is listed twice';
  return null;
}

/** How the parts' images are split: by their file names, or (a single unnamed file) by the lab's own split. */
export function npzSplits(parts: readonly NpzPart[]): { given: boolean; problem: string | null } {
  const named = parts.filter((p) => p.split !== null);
  if (named.length === parts.length) {
    const seen = new Set(named.map((p) => p.split));
    return { given: true, problem: seen.has(TRAIN) ? null : 'none of the files is a Train split' };
  }
  if (parts.length === 1) return { given: false, problem: null };
  return {
    given: false,
    problem:
      'name the files "… - Train.npz", "… - Validation.npz" and "… - Test.npz", or import one file to split it here',
  };
}

/** The level-2 index the study called "genders": 0 = Male, 1 = Female; other values in alphabetical order. */
export function level2Order(values: readonly string[]): string[] {
  const set = [...new Set(values)];
  if (set.length === 2 && set.includes('Male') && set.includes('Female')) return ['Male', 'Female'];
  return set.sort();
}

export const SPLIT_FILE_NAMES = ['Train', 'Validation', 'Test'] as const;

/**
 * The study's file name for a task: "Primary categories", "Trousers & Jeans - All", "Shoes - Female", …; the flat
 * model, which the study never had, is "All leaves" (labels in the dataset's class order).
 */
export function npzTaskName(task: Task): string {
  if (task.kind === 'primary') return 'Primary categories';
  if (task.kind === 'flat') return 'All leaves';
  if (task.kind === 'all')
    return task.outputs.some((o) => o.length > 2) ? `${task.category} - All` : task.category!;
  if (task.kind === 'level2') {
    const values = [...new Set(task.outputs.map((o) => o[1]!))];
    return `${task.category} - ${level2Order(values).join(' & ') === 'Male & Female' ? 'Gender' : 'Level 2'}`;
  }
  return `${task.category} - ${task.level2}`;
}

export interface TaskNpz {
  fileName: string;
  arrays: Record<string, NpyArray>;
  sidecar: { task: string; split: string; classes: string[]; genders?: string[]; count: number };
}

/** One task's split as the study stored it (images uint8, labels and genders int64), with its sidecar JSON. */
export function taskNpz(
  task: Task,
  splitIndex: SplitIndex,
  dataset: { classes: string[][]; labels: readonly number[]; split: readonly number[] },
  image: (i: number) => Uint8Array,
): TaskNpz {
  const items: number[] = [];
  dataset.labels.forEach((l, i) => {
    if (dataset.split[i] === splitIndex && task.targetOf[l]! >= 0) items.push(i);
  });
  const images = new Uint8Array(items.length * IMAGE_BYTES);
  items.forEach((item, k) => images.set(image(item), k * IMAGE_BYTES));
  const labels = Float64Array.from(items, (i) => task.targetOf[dataset.labels[i]!]!);
  const arrays: Record<string, NpyArray> = {
    images: {
      dtype: 'uint8',
      shape: [items.length, IMAGE_HEIGHT, IMAGE_WIDTH, IMAGE_CHANNELS],
      data: images,
    },
    labels: { dtype: 'int64', shape: [items.length], data: labels },
  };
  const gendered =
    task.kind !== 'primary' && dataset.classes.some((c) => c[0] === task.category && c.length >= 3);
  let genders: string[] | undefined;
  if (gendered) {
    genders = level2Order(dataset.classes.filter((c) => c[0] === task.category).map((c) => c[1]!));
    arrays['genders'] = {
      dtype: 'int64',
      shape: [items.length],
      data: Float64Array.from(items, (i) => genders!.indexOf(dataset.classes[dataset.labels[i]!]![1]!)),
    };
  }
  const name = npzTaskName(task);
  return {
    fileName: `${name} - ${SPLIT_FILE_NAMES[splitIndex]}.npz`,
    arrays,
    sidecar: {
      task: task.name,
      split: SPLIT_NAMES[splitIndex]!,
      classes: task.outputs.map((o) => o.join('/')),
      ...(genders ? { genders } : {}),
      count: items.length,
    },
  };
}
