/** A dataset's cache key: the listing of the dropped folder (paths, sizes, dates) and the resize policy. */
import type { ResizePolicy } from './image';
import type { FileEntry } from './labels';
import { hashString } from './rng';

export function datasetFingerprint(entries: readonly FileEntry[], resize: ResizePolicy, salt = ''): string {
  const lines = entries.map((e) => `${e.path}\u0000${e.size}\u0000${e.lastModified}`).sort();
  const text = `v1\u0000${resize}\u0000${salt}\n${lines.join('\n')}`;
  return hashString(text, 1) + hashString(text, 2);
}
