/** Streams image chunks to IndexedDB while decoding goes on, several chunks per transaction. */
import type { LabStorage } from './deps';

export class ChunkWriter {
  private pending: [number, Uint8Array][] = [];
  private writing: Promise<void> = Promise.resolve();
  /** The first write failure (a full disk, say); later chunks are not attempted. */
  error: unknown = null;
  /** Chunks written so far; they arrive in order, so these are chunks 0 … writtenChunks − 1. */
  writtenChunks = 0;

  /** `bytesStillNeeded` tells a storage error how much room the rest of the import would take. */
  constructor(
    private readonly storage: Pick<LabStorage, 'writeChunks'>,
    private readonly id: string,
    private readonly bytesStillNeeded: () => number,
  ) {}

  add(index: number, chunk: Uint8Array) {
    this.pending.push([index, chunk]);
    // Whatever piled up while the previous write ran goes out in one transaction.
    this.writing = this.writing.then(async () => {
      if (this.pending.length === 0 || this.error) return;
      const batch = this.pending;
      this.pending = [];
      const size = batch.reduce((s, [, c]) => s + c.byteLength, 0);
      try {
        await this.storage.writeChunks(this.id, batch, this.bytesStillNeeded() + size);
        this.writtenChunks = Math.max(this.writtenChunks, ...batch.map(([n]) => n + 1));
      } catch (e) {
        this.error = e;
      }
    });
  }

  /** Waits for every write; throws the first failure. */
  async flush(): Promise<void> {
    await this.writing;
    if (this.error) throw this.error;
  }

  /** Waits for writes in flight, ignoring failures (before cleaning up). */
  settle(): Promise<void> {
    return this.writing.catch(() => undefined);
  }
}
