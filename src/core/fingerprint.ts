/**
 * Recognising a folder dropped again. In Chromium the first read of a chosen File's size or date is a
 * synchronous round trip to the browser process (~0.25 ms a file, 4 s for 16,000 files), so neither is used:
 * the listing (paths) finds candidates instantly, and content hashes, recorded at import, confirm one.
 */
import type { ResizePolicy } from './image';
import type { SkippedFile } from './labels';
import { hashString } from './rng';

export function listingKey(paths: readonly string[], resize: ResizePolicy, salt = ''): string {
  const text = `v2\u0000${resize}\u0000${salt}\n${[...paths].sort().join('\n')}`;
  return hashString(text, 1) + hashString(text, 2);
}

/** Content hashes recorded at import, by path: stored images and skipped files that could be read. */
export function recordedHashes(m: {
  files: readonly string[];
  hashes: readonly string[];
  skipped: readonly SkippedFile[];
}): Map<string, string> {
  const out = new Map<string, string>();
  m.files.forEach((path, i) => out.set(path, m.hashes[i]!));
  for (const s of m.skipped) if (s.hash) out.set(s.path, s.hash);
  return out;
}

/** Paths whose content differs from what was recorded (or that can no longer be read). */
export function changedFiles(
  recorded: ReadonlyMap<string, string>,
  current: ReadonlyMap<string, string | null>,
): string[] {
  return [...recorded].filter(([path, hash]) => current.get(path) !== hash).map(([path]) => path);
}
