/** A pool of ingest workers. Batches go to whichever worker is free; a crashed worker fails its batch loudly. */
import * as Comlink from 'comlink';
import type { ResizePolicy } from '../core/image';
import type { DecodeResult } from '../data/decode';
import type { IngestRequest, IngestWorkerApi } from '../workers/ingest.worker';

const BATCH = 8;

export function defaultPoolSize(): number {
  const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 2 : 2;
  return Math.max(1, Math.min(4, cores));
}

interface Member {
  worker: Worker;
  api: Comlink.Remote<IngestWorkerApi>;
  crashed: Promise<never>;
}

export class DecodePool {
  private readonly members: Member[];

  constructor(size = defaultPoolSize()) {
    this.members = Array.from({ length: size }, () => {
      const worker = new Worker(new URL('../workers/ingest.worker.ts', import.meta.url), {
        type: 'module',
        name: 'ingest',
      });
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

  /** Decodes every item; `onResult` gets each result with the item's index, in completion order. */
  async run(
    items: readonly IngestRequest[],
    policy: ResizePolicy,
    onResult: (index: number, result: DecodeResult) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    let next = 0;
    const loop = async (m: Member) => {
      while (next < items.length && !signal?.aborted) {
        const start = next;
        const batch = items.slice(start, Math.min(items.length, start + BATCH));
        next += batch.length;
        const results = await Promise.race([m.api.decodeBatch(batch, policy), m.crashed]);
        if (signal?.aborted) return;
        results.forEach((r, k) => onResult(start + k, r));
      }
    };
    await Promise.all(this.members.map(loop));
  }

  terminate() {
    for (const m of this.members) {
      m.api[Comlink.releaseProxy]();
      m.worker.terminate();
    }
  }
}
