/** The ingest worker: decodes and resizes images off the main thread. One typed API, exposed with comlink. */
import * as Comlink from 'comlink';
import { decodeImage, type DecodeResult } from '../data/decode';
import type { ResizePolicy } from '../core/image';

export interface IngestRequest {
  path: string;
  file: Blob;
}

const api = {
  async decodeBatch(batch: IngestRequest[], policy: ResizePolicy): Promise<DecodeResult[]> {
    const results: DecodeResult[] = [];
    for (const item of batch) {
      try {
        results.push(await decodeImage(item.path, item.file, policy));
      } catch (e) {
        results.push({ ok: false, reason: `could not be processed: ${(e as Error)?.message ?? String(e)}` });
      }
    }
    // Hand the pixel buffers over instead of copying them.
    return Comlink.transfer(
      results,
      results.flatMap((r) => (r.ok ? [r.pixels.buffer as ArrayBuffer] : [])),
    );
  },
};

export type IngestWorkerApi = typeof api;
Comlink.expose(api);
