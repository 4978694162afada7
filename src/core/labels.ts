/** Labels come from the folders between the dropped root and the file: `Shoes/Female/High heels/x.jpg`. */
import { skipReasonByName } from './files';

export interface FileEntry {
  /** Path relative to the dropped root, '/'-separated. */
  path: string;
  /** Known for some sources (zero means empty); chosen files leave it out, since reading it is slow. */
  size?: number;
}

export interface SkippedFile {
  path: string;
  reason: string;
  /** Content hash, when the file could be read: lets a fixed file be noticed when the folder is dropped again. */
  hash?: string;
}

export interface ImportPlan {
  /** Label paths, one per class, sorted; a class index is a position here. */
  classes: string[][];
  /** Entries to decode, with their class index. */
  accepted: { entry: number; classIndex: number }[];
  skipped: SkippedFile[];
}

export function normalisePath(path: string): string[] {
  return path
    .replace(/\\/g, '/')
    .split('/')
    .filter((part) => part !== '' && part !== '.');
}

export const labelKey = (label: readonly string[]) => label.join('/');
export const labelText = (label: readonly string[]) => label.join(' / ');

/** Decide, from names alone, which files become images of which class and which are skipped (and why). */
export function planImport(entries: readonly FileEntry[]): ImportPlan {
  const skipped: SkippedFile[] = [];
  const candidates: { entry: number; label: string[] }[] = [];
  entries.forEach((entry, index) => {
    const parts = normalisePath(entry.path);
    const reason = skipReasonByName(entry.path, entry.size ?? 1);
    if (reason) return void skipped.push({ path: entry.path, reason });
    if (parts.length < 2) {
      return void skipped.push({
        path: entry.path,
        reason: 'at the top of the dropped folder: no label folder',
      });
    }
    candidates.push({ entry: index, label: parts.slice(0, -1) });
  });

  // A folder holding both images and sub-folders gives its images an ambiguous label.
  const keys = new Set(candidates.map((c) => labelKey(c.label)));
  const isInner = (label: string[]) => {
    for (let depth = 1; depth < label.length; depth++)
      if (keys.has(labelKey(label.slice(0, depth)))) return true;
    return false;
  };
  const innerKeys = new Set<string>();
  for (const c of candidates) {
    if (isInner(c.label)) {
      for (let depth = 1; depth < c.label.length; depth++) innerKeys.add(labelKey(c.label.slice(0, depth)));
    }
  }

  const classMap = new Map<string, string[]>();
  const kept: { entry: number; key: string }[] = [];
  for (const c of candidates) {
    const key = labelKey(c.label);
    if (innerKeys.has(key)) {
      skipped.push({
        path: entries[c.entry]!.path,
        reason: `in "${labelText(c.label)}", a folder that also has sub-folders: move it into one of them`,
      });
      continue;
    }
    classMap.set(key, c.label);
    kept.push({ entry: c.entry, key });
  }
  const classes = [...classMap.values()].sort(compareLabels);
  const indexOf = new Map(classes.map((label, i) => [labelKey(label), i]));
  return {
    classes,
    accepted: kept.map((k) => ({ entry: k.entry, classIndex: indexOf.get(k.key)! })),
    skipped,
  };
}

export function compareLabels(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = a[i]!.localeCompare(b[i]!, 'en');
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/** Why this set of classes cannot make a dataset, or null. */
export function datasetProblem(classCounts: readonly number[], skippedCount: number): string | null {
  const total = classCounts.reduce((a, b) => a + b, 0);
  if (total === 0) {
    return skippedCount > 0
      ? `No usable images: all ${skippedCount} files were skipped (see the list for reasons).`
      : 'No images found. Drop a folder whose sub-folders (the labels) hold the photos.';
  }
  const used = classCounts.filter((n) => n > 0).length;
  if (used < 2) {
    return 'Only one class found: a classifier needs at least two label folders, e.g. Glasses/ and Sunglasses/.';
  }
  return null;
}

/** The shortest trailing part of each label that still tells the classes apart ("Male / Boots" vs "Female / Boots"). */
export function shortLabels(classes: readonly string[][]): string[] {
  return classes.map((label, i) => {
    for (let take = 1; take < label.length; take++) {
      const tail = labelKey(label.slice(-take));
      const clash = classes.some((other, j) => j !== i && labelKey(other.slice(-take)) === tail);
      if (!clash) return labelText(label.slice(-take));
    }
    return labelText(label);
  });
}
