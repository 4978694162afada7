/** The import pipeline: a walked folder in, a cached, split dataset out (or the reason it could not be made). */
import {
  CHUNK_IMAGES,
  ChunkBuilder,
  chunkCountFor,
  ImageStore,
  MANIFEST_SCHEMA,
  IMAGE_SHAPE,
  type DatasetManifest,
  type DatasetSource,
} from '../core/dataset';
import { datasetFingerprint } from '../core/fingerprint';
import { progressAt, type Progress } from '../core/format';
import { IMAGE_BYTES, type ResizePolicy } from '../core/image';
import { datasetProblem, planImport, type SkippedFile } from '../core/labels';
import { stratifiedSplit, type SplitSpec } from '../core/split';
import * as cache from '../data/cache';
import type { Walked } from '../data/walk';
import { DecodePool } from './decodePool';

export interface ImportOptions {
  resize: ResizePolicy;
  split: SplitSpec;
  poolSize?: number;
  source?: DatasetSource;
  /** A cache key known without looking at the files (the demo catalog's); else the folder's fingerprint. */
  cacheKey?: string;
}

export interface LoadedDataset {
  manifest: DatasetManifest;
  images: ImageStore;
  fromCache: boolean;
  timings: { decodeMs: number; totalMs: number; workers: number };
}

/** The drop cannot become a dataset; `skipped` still says what happened to every file. */
export class ImportProblem extends Error {
  constructor(
    message: string,
    readonly skipped: SkippedFile[],
  ) {
    super(message);
    this.name = 'ImportProblem';
  }
}

const sameSplit = (a: SplitSpec, b: SplitSpec) =>
  a.seed === b.seed && a.train === b.train && a.validation === b.validation && a.test === b.test;

/** Opens a cached dataset, re-splitting (without decoding) if another split was asked for. */
export async function openCached(id: string, split?: SplitSpec): Promise<LoadedDataset | null> {
  const t0 = performance.now();
  const loaded = await cache.loadDataset(id);
  if (!loaded.ok) return null;
  let { manifest } = loaded;
  if (split && !sameSplit(split, manifest.splitSpec)) {
    manifest = {
      ...manifest,
      splitSpec: split,
      split: [...stratifiedSplit(manifest.labels, manifest.files, manifest.hashes, split)],
    };
    await cache.writeManifest(manifest);
  }
  return {
    manifest,
    images: new ImageStore(loaded.chunks, manifest.labels.length, manifest.chunkImages),
    fromCache: true,
    timings: { decodeMs: 0, totalMs: performance.now() - t0, workers: 0 },
  };
}

export async function importWalked(
  walked: Walked,
  options: ImportOptions,
  onProgress: (p: Progress) => void,
  signal?: AbortSignal,
): Promise<LoadedDataset> {
  const t0 = performance.now();
  const id = options.cacheKey ?? datasetFingerprint(walked.files, options.resize, options.source ?? 'folder');
  if (await cache.hasDataset(id)) {
    const cached = await openCached(id, options.split);
    if (cached) return cached;
    await cache.deleteDataset(id); // unreadable leftovers: import afresh
  }

  const plan = planImport(walked.files);
  const skipped = [...plan.skipped];
  const counts = plan.classes.map(() => 0);
  plan.accepted.forEach((a) => counts[a.classIndex]!++);
  const early = datasetProblem(counts, skipped.length);
  if (early) throw new ImportProblem(early, skipped);

  const files: string[] = [];
  const labels: number[] = [];
  const hashes: string[] = [];
  const chunks: Uint8Array[] = [];
  let pending: [number, Uint8Array][] = [];
  let writing: Promise<void> = Promise.resolve();
  let writeError: unknown = null;
  const drain = () => {
    writing = writing.then(async () => {
      if (pending.length === 0 || writeError) return;
      const batch = pending;
      pending = [];
      const left = (plan.accepted.length - labels.length) * IMAGE_BYTES;
      try {
        await cache.writeChunks(id, batch, left + batch.length * CHUNK_IMAGES * IMAGE_BYTES);
      } catch (e) {
        writeError = e;
      }
    });
  };
  const builder = new ChunkBuilder((n, chunk) => {
    chunks[n] = chunk;
    pending.push([n, chunk]);
    drain();
  });

  const pool = new DecodePool(options.poolSize);
  const total = plan.accepted.length;
  let done = 0;
  let lastReport = 0;
  const tDecode = performance.now();
  const aborter = new AbortController();
  const onAbort = () => aborter.abort();
  signal?.addEventListener('abort', onAbort);
  try {
    onProgress(progressAt(0, total, tDecode, tDecode));
    await pool.run(
      plan.accepted.map((a) => ({ path: walked.files[a.entry]!.path, file: walked.files[a.entry]!.file })),
      options.resize,
      (k, result) => {
        const a = plan.accepted[k]!;
        const path = walked.files[a.entry]!.path;
        done++;
        if (result.ok) {
          builder.push(result.pixels);
          files.push(path);
          labels.push(a.classIndex);
          hashes.push(result.hash);
        } else {
          skipped.push({ path, reason: result.reason });
        }
        if (writeError) aborter.abort();
        const now = performance.now();
        if (now - lastReport > 100 || done === total) {
          lastReport = now;
          onProgress(progressAt(done, total, tDecode, now));
        }
      },
      aborter.signal,
    );
    if (signal?.aborted) throw new DOMException('Import cancelled; nothing was saved.', 'AbortError');
    builder.finish();
    drain();
    await writing;
    if (writeError) throw writeError;
    const decodeMs = performance.now() - tDecode;

    const finalCounts = plan.classes.map(() => 0);
    labels.forEach((c) => finalCounts[c]!++);
    const late = datasetProblem(finalCounts, skipped.length);
    if (late) throw new ImportProblem(late, skipped);

    const manifest: DatasetManifest = {
      schema: MANIFEST_SCHEMA,
      id,
      name: walked.rootName,
      source: options.source ?? 'folder',
      createdAt: new Date().toISOString(),
      resize: options.resize,
      image: IMAGE_SHAPE,
      classes: plan.classes,
      files,
      labels,
      hashes,
      split: [...stratifiedSplit(labels, files, hashes, options.split)],
      splitSpec: options.split,
      chunkImages: CHUNK_IMAGES,
      chunkCount: chunkCountFor(labels.length),
      skipped: skipped.sort((x, y) => x.path.localeCompare(y.path)),
      emptyFolders: walked.emptyFolders,
    };
    await cache.writeManifest(manifest);
    void cache.requestPersistence();
    return {
      manifest,
      images: new ImageStore(chunks, labels.length),
      fromCache: false,
      timings: { decodeMs, totalMs: performance.now() - t0, workers: pool.size },
    };
  } catch (e) {
    await writing.catch(() => undefined);
    await cache.deleteDataset(id).catch(() => undefined); // nothing half-written survives
    throw e;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    pool.terminate();
  }
}

export { walkDataTransfer, walkFileList, pickDirectory, hasDirectoryPicker, type Walked } from '../data/walk';
export { listDatasets, deleteDataset, hasDataset, StorageError } from '../data/cache';
