/** The ingest worker: decodes and resizes images off the main thread. One typed API, exposed with comlink. */
import * as Comlink from 'comlink';
import { contentHash, decodeImage, type DecodeResult } from '../data/decode';
import type { ResizePolicy } from '../core/image';

/** A file's bytes (transferred, not copied), or null when the main thread could not read it. */
export interface IngestItem {
  path: string;
  bytes: ArrayBuffer | null;
}

export interface DecodedBatch {
  results: DecodeResult[];
  /** Time the worker spent on the batch, for profiling the pool. */
  busyMs: number;
}

const api = {
  async decodeBatch(batch: IngestItem[], policy: ResizePolicy): Promise<DecodedBatch> {
    const t0 = performance.now();
    const results: DecodeResult[] = [];
    for (const item of batch) {
      try {
        results.push(await decodeImage(item.path, item.bytes, policy));
      } catch (e) {
        results.push({ ok: false, reason: `could not be processed: ${(e as Error)?.message ?? String(e)}` });
      }
    }
    // Hand the pixel buffers over instead of copying them.
    return Comlink.transfer(
      { results, busyMs: performance.now() - t0 },
      results.flatMap((r) => (r.ok ? [r.pixels.buffer as ArrayBuffer] : [])),
    );
  },

  /** Content hashes only, to check a folder dropped again against its cached copy. */
  async hashBatch(batch: (ArrayBuffer | null)[]): Promise<(string | null)[]> {
    return Promise.all(batch.map((bytes) => (bytes ? contentHash(bytes) : null)));
  },
};

export type IngestWorkerApi = typeof api;
Comlink.expose(api);
