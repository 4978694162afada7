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
import { listingKey } from '../core/fingerprint';
import { progressAt, type Progress } from '../core/format';
import { IMAGE_BYTES, type ResizePolicy } from '../core/image';
import { datasetProblem, planImport, type SkippedFile } from '../core/labels';
import { stratifiedSplit, type SplitSpec } from '../core/split';
import { ChunkWriter } from './chunkWriter';
import type { LabDeps, Walked } from './deps';
import { findCachedCopy } from './redrop';

export type ImportDeps = Pick<LabDeps, 'storage' | 'host' | 'clock'>;

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
  /** Images a resumed import found already stored (0 for a fresh one). */
  resumed?: number;
  timings: { decodeMs: number; totalMs: number; workers: number; workerBusyMs: number };
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
export async function openCached(
  { storage, clock }: Pick<LabDeps, 'storage' | 'clock'>,
  id: string,
  split?: SplitSpec,
): Promise<LoadedDataset | null> {
  const t0 = clock.now();
  const loaded = await storage.loadDataset(id);
  if (!loaded.ok) return null;
  let { manifest } = loaded;
  if (split && !sameSplit(split, manifest.splitSpec)) {
    manifest = {
      ...manifest,
      splitSpec: split,
      split: [...stratifiedSplit(manifest.labels, manifest.files, manifest.hashes, split)],
    };
    await storage.writeManifest(manifest);
  }
  return {
    manifest,
    images: new ImageStore(loaded.chunks, manifest.labels.length, manifest.chunkImages),
    fromCache: true,
    timings: { decodeMs: 0, totalMs: clock.now() - t0, workers: 0, workerBusyMs: 0 },
  };
}

export async function importWalked(
  deps: ImportDeps,
  walked: Walked,
  options: ImportOptions,
  onProgress: (p: Progress, label?: string) => void,
  signal?: AbortSignal,
): Promise<LoadedDataset> {
  const { storage, host, clock } = deps;
  const mark = (name: string) => clock.mark?.(name);
  const t0 = clock.now();
  mark('lab:import:start');
  const source = options.source ?? 'folder';
  const key = listingKey(
    walked.files.map((f) => f.path),
    options.resize,
    source,
  );
  if (options.cacheKey) {
    // Generated data: its key says everything, nothing to compare.
    const cached = (await storage.hasDataset(options.cacheKey))
      ? await openCached(deps, options.cacheKey, options.split)
      : null;
    if (cached) return cached;
  } else {
    const checking = (p: Progress) => onProgress(p, 'Checking the folder against its cached copy');
    const copy = await findCachedCopy(deps, walked, key, options.poolSize, checking, signal);
    const cached = copy ? await openCached(deps, copy, options.split) : null;
    if (cached) return cached;
  }
  // The same folder, cut off by a reload or a closed tab: carry on after the images it stored.
  const resume = options.cacheKey ? null : await storage.findResumable(key);
  const id = resume?.id ?? options.cacheKey ?? `${key}-${clock.date().getTime().toString(36)}`;

  // A reload or a closed tab mid-import leaves this record behind, with what it stored: see data/sweep.ts.
  return storage.withImportRecord(
    id,
    walked.rootName,
    async () => {
      mark('lab:import:cache-checked');
      const plan = planImport(walked.files);
      const skipped = [...plan.skipped];
      const counts = plan.classes.map(() => 0);
      plan.accepted.forEach((a) => counts[a.classIndex]!++);
      const early = datasetProblem(counts, skipped.length);
      if (early) throw new ImportProblem(early, skipped);

      const stored = resume?.progress;
      const files: string[] = [...(stored?.files ?? [])];
      const labels: number[] = [...(stored?.labels ?? [])];
      const hashes: string[] = [...(stored?.hashes ?? [])];
      const chunks: Uint8Array[] = stored ? await storage.readChunks(id, files.length / CHUNK_IMAGES) : [];
      const already = new Set(files);
      const todo = plan.accepted.filter((a) => !already.has(walked.files[a.entry]!.path));
      const writer = new ChunkWriter(storage, id, () => (plan.accepted.length - labels.length) * IMAGE_BYTES);
      const builder = new ChunkBuilder(
        (n, chunk) => {
          chunks[n] = chunk;
          writer.add(n, chunk);
        },
        CHUNK_IMAGES,
        files.length,
      );
      // What is certain after a reload: the images of the chunks already written, recorded every second.
      let lastSaved = clock.now();
      const saveProgress = () => {
        const safe = Math.min(files.length, writer.writtenChunks * CHUNK_IMAGES);
        lastSaved = clock.now();
        void storage
          .saveImportProgress(id, {
            files: files.slice(0, safe),
            labels: labels.slice(0, safe),
            hashes: hashes.slice(0, safe),
          })
          .catch(() => undefined);
      };

      const pool = host.decoder(options.poolSize);
      const total = todo.length;
      let done = 0;
      let lastReport = 0;
      const tDecode = clock.now();
      const aborter = new AbortController();
      const onAbort = () => aborter.abort();
      signal?.addEventListener('abort', onAbort);
      try {
        mark('lab:import:decode-start');
        onProgress(progressAt(0, total, tDecode, tDecode), 'Importing photos');
        await pool.run(
          todo.map((a) => ({ path: walked.files[a.entry]!.path, file: walked.files[a.entry]!.file })),
          options.resize,
          // Decoders answer as they finish; images are kept in the listing's order all the same, so that the
          // same source gives the same dataset indices every time (a job's split items are checked by index).
          inOrder((k, result) => {
            const a = todo[k]!;
            const path = walked.files[a.entry]!.path;
            done++;
            if (result.ok) {
              builder.push(result.pixels);
              files.push(path);
              labels.push(a.classIndex);
              hashes.push(result.hash);
            } else {
              skipped.push({ path, reason: result.reason, ...(result.hash ? { hash: result.hash } : {}) });
            }
            if (writer.error) aborter.abort();
            const now = clock.now();
            if (now - lastSaved > 1000) saveProgress();
            if (now - lastReport > 100 || done === total) {
              lastReport = now;
              onProgress(progressAt(done, total, tDecode, now));
            }
          }),
          aborter.signal,
        );
        if (signal?.aborted) throw new DOMException('Import cancelled; nothing was saved.', 'AbortError');
        mark('lab:import:decoded');
        builder.finish();
        await writer.flush();
        const decodeMs = clock.now() - tDecode;

        const finalCounts = plan.classes.map(() => 0);
        labels.forEach((c) => finalCounts[c]!++);
        const late = datasetProblem(finalCounts, skipped.length);
        if (late) throw new ImportProblem(late, skipped);

        const manifest: DatasetManifest = {
          schema: MANIFEST_SCHEMA,
          id,
          listingKey: key,
          name: walked.rootName,
          source,
          createdAt: clock.date().toISOString(),
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
        await storage.writeManifest(manifest);
        mark('lab:import:saved');
        void storage.requestPersistence();
        return {
          manifest,
          images: new ImageStore(chunks, labels.length),
          fromCache: false,
          resumed: stored?.files.length ?? 0,
          timings: {
            decodeMs,
            totalMs: clock.now() - t0,
            workers: pool.size,
            workerBusyMs: pool.busyMs,
          },
        };
      } catch (e) {
        await writer.settle();
        await storage.deleteDataset(id).catch(() => undefined); // nothing half-written survives
        throw e;
      } finally {
        signal?.removeEventListener('abort', onAbort);
        pool.terminate();
      }
    },
    key,
  );
}

/** Calls `handle` for 0, 1, 2, … in order, whatever order the results arrive in (they are held until then). */
function inOrder<R>(handle: (k: number, result: R) => void): (k: number, result: R) => void {
  const waiting = new Map<number, R>();
  let next = 0;
  return (k, result) => {
    waiting.set(k, result);
    for (let r = waiting.get(next); waiting.has(next); r = waiting.get(next)) {
      waiting.delete(next);
      handle(next++, r!);
    }
  };
}
