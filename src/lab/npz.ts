/**
 * NPZ datasets in and out. In: the study's files (one task's Train/Validation/Test, or one file to split here),
 * class names from a sidecar JSON or the person; the images are already 120×90×3, so nothing is decoded. Out:
 * every task and split of a cached dataset in the study's layout and names, with sidecar JSONs, in one zip.
 */
import { strToU8 } from 'fflate';
import {
  CHUNK_IMAGES,
  ChunkBuilder,
  chunkCountFor,
  ImageStore,
  IMAGE_SHAPE,
  MANIFEST_SCHEMA,
  type DatasetManifest,
} from '../core/dataset';
import { listingKey } from '../core/fingerprint';
import { progressAt, type Progress } from '../core/format';
import { IMAGE_BYTES } from '../core/image';
import { NpyError } from '../core/npy';
import { readNpz, writeNpz } from '../core/npz';
import {
  checkClasses,
  classesFromJson,
  npzFileInfo,
  npzPart,
  npzSplits,
  presetFor,
  taskNpz,
  type NpzPart,
} from '../core/npzDataset';
import { hashBytes } from '../core/rng';
import { stratifiedSplit, type SplitIndex, type SplitSpec } from '../core/split';
import { deriveTasks } from '../core/tasks';
import { ChunkWriter } from './chunkWriter';
import type { LabDeps } from './deps';
import type { LoadedDataset } from './importer';
import { storedZip } from './storedZip';

export const isNpzName = (name: string) => /\.npz$/i.test(name);

/** The files hold no class names: ask for them (a preset when the group is one of the study's). */
export class NeedClassNames extends Error {
  constructor(
    readonly group: string,
    readonly classCount: number,
    readonly preset: string | null,
  ) {
    super(`Name the ${classCount} classes of ${group}.`);
    this.name = 'NeedClassNames';
  }
}

async function sidecarClasses(files: File[], group: string): Promise<string[][] | null> {
  const jsons = files.filter((f) => /\.json$/i.test(f.name));
  const mine =
    jsons.find((f) => npzFileInfo(f.name).group === group) ??
    jsons.find((f) => /^classes\.json$/i.test(f.name));
  if (!mine) return null;
  let value: unknown;
  try {
    value = JSON.parse(await mine.text());
  } catch {
    throw new NpyError(`${mine.name} is not valid JSON.`);
  }
  const classes = classesFromJson(value);
  if (!classes) throw new NpyError(`${mine.name} does not list class names ({"classes": ["A/B", …]}).`);
  return classes;
}

export async function importNpz(
  { storage, clock }: Pick<LabDeps, 'storage' | 'clock'>,
  files: File[],
  options: { split: SplitSpec; classes?: string[][] },
  onProgress: (p: Progress) => void,
): Promise<LoadedDataset> {
  const t0 = clock.now();
  const npz = files.filter((f) => isNpzName(f.name)).sort((a, b) => a.name.localeCompare(b.name));
  if (!npz.length) throw new NpyError('No .npz files were chosen.');
  const groups = [...new Set(npz.map((f) => npzFileInfo(f.name).group))];
  if (groups.length > 1)
    throw new NpyError(
      `These files hold ${groups.length} different datasets (${groups.join('; ')}): import one at a time.`,
    );
  const group = groups[0]!;
  const parts: NpzPart[] = [];
  for (const f of npz) parts.push(npzPart(f.name, readNpz(new Uint8Array(await f.arrayBuffer()), f.name)));
  const splits = npzSplits(parts);
  if (splits.problem) throw new NpyError(`The split is unclear: ${splits.problem}.`);
  const maxLabel = Math.max(...parts.flatMap((p) => p.labels));
  const classes = options.classes ?? (await sidecarClasses(files, group));
  if (!classes) throw new NeedClassNames(group, maxLabel + 1, presetFor(group)?.name ?? null);
  const problem = checkClasses(classes);
  if (problem) throw new NpyError(`The class names do not work: ${problem}.`);
  if (maxLabel >= classes.length)
    throw new NpyError(`The labels go up to ${maxLabel}, but only ${classes.length} class names were given.`);

  const key = listingKey(
    npz.map((f) => `${f.name}\u0000${f.size}`),
    'letterbox',
    `npz\u0000${classes.map((c) => c.join('/')).join('\n')}`,
  );
  const existing = (await storage.listDatasets()).find((d) => d.listingKey === key);
  if (existing) {
    const loaded = await storage.loadDataset(existing.id);
    if (loaded.ok)
      return {
        manifest: loaded.manifest,
        images: new ImageStore(loaded.chunks, loaded.manifest.labels.length, loaded.manifest.chunkImages),
        fromCache: true,
        timings: { decodeMs: 0, totalMs: clock.now() - t0, workers: 0, workerBusyMs: 0 },
      };
  }

  const id = `${key}-${clock.date().getTime().toString(36)}`;
  return storage.withImportRecord(id, group, async () => {
    const total = parts.reduce((a, p) => a + p.count, 0);
    const names: string[] = [];
    const labels: number[] = [];
    const hashes: string[] = [];
    const given: SplitIndex[] = [];
    const chunks: Uint8Array[] = [];
    const writer = new ChunkWriter(storage, id, () => (total - labels.length) * IMAGE_BYTES);
    const builder = new ChunkBuilder((n, chunk) => {
      chunks[n] = chunk;
      writer.add(n, chunk);
    });
    try {
      for (const p of parts) {
        for (let i = 0; i < p.count; i++) {
          const px = p.image(i);
          builder.push(px);
          names.push(`${p.name}#${i}`);
          labels.push(p.labels[i]!);
          hashes.push(hashBytes(px));
          if (p.split !== null) given.push(p.split);
          if (labels.length % 256 === 0) {
            onProgress(progressAt(labels.length, total, t0, clock.now()));
            await writer.flush(); // keeps memory bounded and surfaces a full disk early
          }
        }
      }
      builder.finish();
      await writer.flush();
      const manifest: DatasetManifest = {
        schema: MANIFEST_SCHEMA,
        id,
        listingKey: key,
        name: group,
        source: 'npz',
        createdAt: clock.date().toISOString(),
        resize: 'letterbox',
        image: IMAGE_SHAPE,
        classes,
        files: names,
        labels,
        hashes,
        split: splits.given ? given : [...stratifiedSplit(labels, names, hashes, options.split)],
        splitSpec: options.split,
        chunkImages: CHUNK_IMAGES,
        chunkCount: chunkCountFor(labels.length),
        skipped: [],
        emptyFolders: [],
      };
      await storage.writeManifest(manifest);
      return {
        manifest,
        images: new ImageStore(chunks, labels.length),
        fromCache: false,
        timings: { decodeMs: 0, totalMs: clock.now() - t0, workers: 0, workerBusyMs: 0 },
      };
    } catch (e) {
      await writer.settle();
      await storage.deleteDataset(id).catch(() => undefined);
      throw e;
    }
  });
}

/** Every task and split as the study's NPZ files (stored, like numpy.savez) plus sidecar JSONs, zipped. */
export function exportNpzZip(d: LoadedDataset): Promise<Blob> {
  return storedZip((add) => {
    const m = d.manifest;
    for (const task of deriveTasks(m.classes)) {
      for (const split of [0, 1, 2] as SplitIndex[]) {
        const out = taskNpz(task, split, m, (i) => d.images.image(i));
        if (out.sidecar.count === 0) continue;
        add(out.fileName, writeNpz(out.arrays));
        add(out.fileName.replace(/\.npz$/, '.json'), strToU8(JSON.stringify(out.sidecar, null, 1)));
      }
    }
  });
}
