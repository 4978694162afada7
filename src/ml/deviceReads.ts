/**
 * What the training loop reads back from the device, and when. Every read drains a GPU's queue, so an epoch's
 * losses and hits stay on the device until one read at its end (`EpochSums`), and the live curve is fed by reads
 * of a few batches' values that run while later batches are queued (`SampleReads`).
 */
import * as tf from '@tensorflow/tfjs';
import type { BatchSample } from './train';

type Read = <T>(p: Promise<T>) => Promise<T>;

/** An epoch's per-batch mean losses and hit counts, kept on the device and summed once. */
export class EpochSums {
  private losses: tf.Tensor[] = [];
  private hits: tf.Tensor[] = [];
  private counts: number[] = [];

  /** Takes ownership of both tensors. */
  add(loss: tf.Tensor, hits: tf.Tensor, count: number): void {
    this.losses.push(loss);
    this.hits.push(hits);
    this.counts.push(count);
  }

  /** [Σ loss × batch size, Σ hits], in one read. */
  async read(read: Read): Promise<[number, number]> {
    if (!this.losses.length) return [0, 0];
    const both = tf.tidy(() =>
      tf.stack([
        tf.stack(this.losses).mul(tf.tensor1d(this.counts)).sum(),
        tf.stack(this.hits).sum().toFloat(),
      ]),
    );
    try {
      const [loss, hits] = await read(both.data());
      return [loss!, hits!];
    } finally {
      both.dispose();
    }
  }

  dispose(): void {
    tf.dispose([...this.losses, ...this.hits]);
    this.losses = [];
    this.hits = [];
    this.counts = [];
  }
}

/** Reads of single batches' loss and accuracy, at most `maxInFlight` at a time, never awaited until needed. */
export class SampleReads {
  private inFlight: Promise<void>[] = [];
  private latest: BatchSample | null = null;
  private failure: unknown = null;

  constructor(
    private readonly read: Read,
    private readonly maxInFlight: number,
  ) {}

  /** Starts reading batch `batch`'s values (the tensors stay the caller's); waits only if too many are in flight. */
  async start(batch: number, loss: tf.Tensor, hits: tf.Tensor, count: number): Promise<void> {
    while (this.inFlight.length >= this.maxInFlight) await this.inFlight.shift();
    this.check();
    const packed = tf.tidy(() => tf.stack([loss, hits.toFloat()]));
    const done = this.read(packed.data())
      .then(
        ([l, h]) => {
          if (!this.latest || batch > this.latest.batch)
            this.latest = { batch, loss: l!, accuracy: h! / count };
        },
        (e: unknown) => {
          this.failure ??= e;
        },
      )
      .finally(() => packed.dispose());
    this.inFlight.push(done);
  }

  /** The newest sample that arrived since the last call, or null; rethrows a failed read (a lost GPU). */
  newest(): BatchSample | null {
    this.check();
    const s = this.latest;
    this.latest = null;
    return s;
  }

  /** Waits for every read in flight. */
  async drain(): Promise<void> {
    await Promise.all(this.inFlight);
    this.inFlight = [];
    this.check();
  }

  /** Drops what is still in flight (its tensors are freed when each read settles). */
  dispose(): void {
    this.inFlight = [];
  }

  private check() {
    if (this.failure) throw this.failure;
  }
}
