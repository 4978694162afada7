/** What the dataset view shows, computed once from a loaded dataset; and start-up housekeeping in words. */
import type { DatasetSource } from '../core/dataset';
import { describeDuplicate, findDuplicates } from '../core/duplicates';
import { formatCount } from '../core/format';
import type { SkippedFile } from '../core/labels';
import { buildLabelTree, type LabelNode } from '../core/tree';
import type { SweepReport } from './deps';
import type { LoadedDataset } from './importer';

const THUMBS_PER_CLASS = 4;

export interface Thumbnails {
  classIndex: number;
  images: Uint8Array[];
}

export interface DatasetView {
  id: string;
  name: string;
  source: DatasetSource;
  fromCache: boolean;
  /** Images a resumed import found already stored. */
  resumed: number;
  classes: string[][];
  tree: LabelNode;
  images: number;
  splitSizes: [number, number, number];
  skipped: SkippedFile[];
  emptyFolders: string[];
  duplicates: { text: string; severe: boolean }[];
  thumbnails: Thumbnails[];
  seconds: number;
  timings: LoadedDataset['timings'];
}

export function viewOf(d: LoadedDataset): DatasetView {
  const m = d.manifest;
  const thumbnails: Thumbnails[] = m.classes.map((_, classIndex) => ({ classIndex, images: [] }));
  m.labels.forEach((c, i) => {
    const t = thumbnails[c]!;
    if (t.images.length < THUMBS_PER_CLASS) t.images.push(d.images.image(i).slice());
  });
  const tree = buildLabelTree(m.classes, m.labels, m.split);
  return {
    id: m.id,
    name: m.name,
    source: m.source,
    fromCache: d.fromCache,
    resumed: d.resumed ?? 0,
    classes: m.classes,
    tree,
    images: m.labels.length,
    splitSizes: tree.splits,
    skipped: m.skipped,
    emptyFolders: m.emptyFolders,
    duplicates: findDuplicates(m.hashes, m.labels, m.split).map((g) => ({
      text: describeDuplicate(g, m.files, m.split),
      severe: g.crossesClasses || g.crossesSplits,
    })),
    thumbnails,
    seconds: d.timings.totalMs / 1000,
    timings: d.timings,
  };
}

export function describeSweep(r: SweepReport): string | null {
  const parts: string[] = [];
  for (const u of r.resumable)
    parts.push(
      `The import of “${u.name}” was cut off after ${formatCount(u.images)} images (the page was reloaded or ` +
        'closed). Choose the same folder again to continue where it stopped.',
    );
  if (r.cutOff.length)
    parts.push(
      `The import of ${r.cutOff.map((n) => `“${n}”`).join(', ')} was cut off (the page was reloaded or closed); ` +
        'its partial data was removed. Import it again.',
    );
  if (r.outdated.length) {
    const many = r.outdated.length > 1;
    parts.push(
      `${r.outdated.length} cached dataset${many ? 's' : ''} (${r.outdated.join(', ')}) came from an older version ` +
        `of the lab and ${many ? 'were' : 'was'} removed. Import ${many ? 'them' : 'it'} again.`,
    );
  }
  return parts.length ? parts.join(' ') : null;
}
