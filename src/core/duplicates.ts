/** Exact duplicates (same content hash) and the leakage they cause. */
import { SPLIT_NAMES } from './split';

export interface DuplicateGroup {
  hash: string;
  items: number[];
  /** The copies sit in more than one split: the test score would be flattered. */
  crossesSplits: boolean;
  /** The copies carry different labels: at least one label is wrong. */
  crossesClasses: boolean;
}

export function findDuplicates(
  hashes: readonly string[],
  labels: readonly number[],
  split: ArrayLike<number>,
): DuplicateGroup[] {
  const byHash = new Map<string, number[]>();
  hashes.forEach((h, i) => {
    const list = byHash.get(h);
    if (list) list.push(i);
    else byHash.set(h, [i]);
  });
  const groups: DuplicateGroup[] = [];
  for (const [hash, items] of byHash) {
    if (items.length < 2) continue;
    groups.push({
      hash,
      items,
      crossesSplits: new Set(items.map((i) => split[i])).size > 1,
      crossesClasses: new Set(items.map((i) => labels[i])).size > 1,
    });
  }
  return groups.sort(
    (a, b) =>
      Number(b.crossesClasses) - Number(a.crossesClasses) ||
      Number(b.crossesSplits) - Number(a.crossesSplits) ||
      b.items.length - a.items.length,
  );
}

export function describeDuplicate(
  group: DuplicateGroup,
  paths: readonly string[],
  split: ArrayLike<number>,
): string {
  // By path, so the text does not depend on the order in which images were decoded.
  const where = [...group.items]
    .sort((a, b) => (paths[a]! < paths[b]! ? -1 : paths[a]! > paths[b]! ? 1 : 0))
    .map((i) => `${paths[i]} (${SPLIT_NAMES[split[i]!] ?? '?'})`)
    .join(', ');
  if (group.crossesClasses) return `Same image under different labels: ${where}`;
  if (group.crossesSplits) return `Same image in different splits (leakage): ${where}`;
  return `Same image ${group.items.length} times: ${where}`;
}
