/**
 * A pool of ingest workers. The main thread reads each batch's bytes just before posting it and transfers
 * them: posting File objects instead would make Chromium fetch every file's metadata synchronously on the
 * main thread (~0.25 ms a file). Two batches are in flight per worker, so reading never leaves one idle.
 */
import * as Comlink from 'comlink';
import type { ResizePolicy } from '../core/image';
import type { DecodeResult } from '../data/decode';
import type { IngestItem, IngestWorkerApi } from '../workers/ingest.worker';

const BATCH = 8;

export function defaultPoolSize(): number {
  const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 2 : 2;
  return Math.max(1, Math.min(4, cores));
}

export interface PoolItem {
  path: string;
  file: Blob;
}

interface Member {
  worker: Worker;
  api: Comlink.Remote<IngestWorkerApi>;
  crashed: Promise<never>;
}

const readAll = (batch: readonly PoolItem[]) =>
  Promise.all(batch.map((item) => item.file.arrayBuffer().catch(() => null)));

export class DecodePool {
  private readonly members: Member[];
  /** Total time workers spent decoding: compared with wall time, it shows whether they were kept busy. */
  busyMs = 0;

  /**
   * `spawn` starts one ingest worker (src/app/workers.ts knows where they are). `paceMs` waits that long before
   * each batch: the fault tests slow an import down so that a reload is sure to land in its middle.
   */
  constructor(
    spawn: () => Worker,
    size = defaultPoolSize(),
    private readonly paceMs = 0,
  ) {
    this.members = Array.from({ length: size }, () => {
      const worker = spawn();
      const crashed = new Promise<never>((_, reject) => {
        worker.addEventListener('error', (e) =>
          reject(new Error(`The image decoder stopped unexpectedly${e.message ? `: ${e.message}` : ''}.`)),
        );
      });
      crashed.catch(() => undefined);
      return { worker, api: Comlink.wrap<IngestWorkerApi>(worker), crashed };
    });
  }

  get size() {
    return this.members.length;
  }

  /** Runs `work` on every batch, two batches in flight per worker; results come back in completion order. */
  private async each<R>(
    items: readonly PoolItem[],
    work: (m: Member, batch: readonly PoolItem[]) => Promise<R[]>,
    onResults: (start: number, results: R[]) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    let next = 0;
    const loop = async (m: Member) => {
      while (next < items.length && !signal?.aborted) {
        if (this.paceMs > 0) await new Promise((r) => setTimeout(r, this.paceMs));
        if (signal?.aborted) return;
        const start = next;
        const batch = items.slice(start, Math.min(items.length, start + BATCH));
        next += batch.length;
        const results = await Promise.race([work(m, batch), m.crashed]);
        if (signal?.aborted) return;
        onResults(start, results);
      }
    };
    await Promise.all(this.members.flatMap((m) => [loop(m), loop(m)]));
  }

  /** Decodes every item; `onResult` gets each result with the item's index, in completion order. */
  run(
    items: readonly PoolItem[],
    policy: ResizePolicy,
    onResult: (index: number, result: DecodeResult) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    return this.each(
      items,
      async (m, batch) => {
        const bytes = await readAll(batch);
        const payload: IngestItem[] = batch.map((item, k) => ({ path: item.path, bytes: bytes[k]! }));
        const transfer = bytes.filter((b): b is ArrayBuffer => b !== null);
        const { results, busyMs } = await m.api.decodeBatch(Comlink.transfer(payload, transfer), policy);
        this.busyMs += busyMs;
        return results;
      },
      (start, results) => results.forEach((r, k) => onResult(start + k, r)),
      signal,
    );
  }

  /** Content hashes of every item, in item order (null where a file could not be read). */
  async hashes(items: readonly PoolItem[], signal?: AbortSignal): Promise<(string | null)[]> {
    const out: (string | null)[] = new Array(items.length).fill(null);
    await this.each(
      items,
      async (m, batch) => {
        const bytes = await readAll(batch);
        const transfer = bytes.filter((b): b is ArrayBuffer => b !== null);
        return m.api.hashBatch(Comlink.transfer(bytes, transfer));
      },
      (start, results) => results.forEach((h, k) => (out[start + k] = h)),
      signal,
    );
    return out;
  }

  terminate() {
    for (const m of this.members) {
      m.api[Comlink.releaseProxy]();
      m.worker.terminate();
    }
  }
}
