/** The demo catalog in the browser: drawn by workers, then imported like any dropped folder. */
import * as Comlink from 'comlink';
import { demoFiles, interleaved } from '../demo/catalog';
import { DEMO_CLASSES, DEMO_VERSION } from '../demo/taxonomy';
import { hashString } from '../core/rng';
import { progressAt, type Progress } from '../core/format';
import type { ResizePolicy } from '../core/image';
import type { Walked } from '../data/walk';
import type { DemoWorkerApi } from '../workers/demo.worker';
import { defaultPoolSize } from './decodePool';

export interface DemoSize {
  perClass: number;
  label: string;
}

export const DEMO_SIZES: readonly DemoSize[] = [
  { perClass: 20, label: `Tiny: 20 per class (${20 * DEMO_CLASSES.length} images)` },
  {
    perClass: 100,
    label: `Small: 100 per class (${(100 * DEMO_CLASSES.length).toLocaleString('en-US')} images)`,
  },
  {
    perClass: 300,
    label: `Medium: 300 per class (${(300 * DEMO_CLASSES.length).toLocaleString('en-US')} images)`,
  },
  {
    perClass: 941,
    label: `Study size: 941 per class (${(941 * DEMO_CLASSES.length).toLocaleString('en-US')} images)`,
  },
];

export const demoName = (perClass: number, seed: number) =>
  `Demo catalog · ${perClass} per class · seed ${seed}`;

/** A cache key that needs no drawing: the catalog is fully determined by version, seed, size and resize policy. */
export const demoCacheKey = (perClass: number, seed: number, resize: ResizePolicy) =>
  'demo' + hashString(`demo:v${DEMO_VERSION}:${seed}:${perClass}:${resize}`);

const BATCH = 10;

/** Draws the catalog in `spawn`ed demo workers (one per core, at most 4), as a folder to import. */
export async function drawDemo(
  spawn: () => Worker,
  perClass: number,
  seed: number,
  onProgress: (p: Progress) => void,
  signal?: AbortSignal,
): Promise<Walked> {
  const files = interleaved(demoFiles(perClass));
  const blobs: Blob[] = new Array(files.length);
  const workers = Array.from({ length: defaultPoolSize() }, () => {
    const worker = spawn();
    return { worker, api: Comlink.wrap<DemoWorkerApi>(worker) };
  });
  const t0 = performance.now();
  let next = 0;
  let done = 0;
  try {
    await Promise.all(
      workers.map(async ({ api }) => {
        while (next < files.length && !signal?.aborted) {
          const start = next;
          const batch = files.slice(start, start + BATCH);
          next += batch.length;
          const out = await api.renderBatch(batch, seed);
          out.forEach((b, k) => (blobs[start + k] = b));
          done += batch.length;
          onProgress(progressAt(done, files.length, t0, performance.now()));
        }
      }),
    );
  } finally {
    for (const w of workers) w.worker.terminate();
  }
  if (signal?.aborted) throw new DOMException('Cancelled; nothing was saved.', 'AbortError');
  return {
    rootName: demoName(perClass, seed),
    emptyFolders: [],
    files: files.map((f, i) => {
      const name = f.path.slice(f.path.lastIndexOf('/') + 1);
      const file = new File([blobs[i]!], name, { type: 'image/jpeg', lastModified: 0 });
      return { path: f.path, file };
    }),
  };
}
