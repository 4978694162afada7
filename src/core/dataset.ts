/** A cached dataset: uint8 images in fixed-size chunks plus a manifest of labels, hashes and split. */
import { IMAGE_BYTES, IMAGE_CHANNELS, IMAGE_HEIGHT, IMAGE_WIDTH, type ResizePolicy } from './image';
import type { SkippedFile } from './labels';
import type { SplitSpec } from './split';

export const MANIFEST_SCHEMA = 1;
/** 64 images of 120x90x3 = ~2 MB per chunk: large enough for fast IndexedDB batches, small enough to stream. */
export const CHUNK_IMAGES = 64;

export type DatasetSource = 'folder' | 'demo' | 'npz';

export interface DatasetManifest {
  schema: typeof MANIFEST_SCHEMA;
  id: string;
  /** The dropped folder's listing key: datasets sharing it are candidates when the folder is dropped again. */
  listingKey: string;
  name: string;
  source: DatasetSource;
  createdAt: string;
  resize: ResizePolicy;
  image: { height: number; width: number; channels: number };
  /** One label path per class; a label value is an index here. */
  classes: string[][];
  /** Per stored image, in storage order. */
  files: string[];
  labels: number[];
  hashes: string[];
  split: number[];
  splitSpec: SplitSpec;
  chunkImages: number;
  chunkCount: number;
  skipped: SkippedFile[];
  emptyFolders: string[];
}

/** The small record listed on the start page. */
export interface DatasetSummary {
  /** The manifest's format (absent in summaries written before it was recorded: read the manifest). */
  schema?: number;
  id: string;
  listingKey: string;
  name: string;
  source: DatasetSource;
  createdAt: string;
  images: number;
  classes: number;
  bytes: number;
}

export const IMAGE_SHAPE = { height: IMAGE_HEIGHT, width: IMAGE_WIDTH, channels: IMAGE_CHANNELS };

export function summarise(m: DatasetManifest): DatasetSummary {
  return {
    schema: m.schema,
    id: m.id,
    listingKey: m.listingKey,
    name: m.name,
    source: m.source,
    createdAt: m.createdAt,
    images: m.labels.length,
    classes: m.classes.length,
    bytes: m.labels.length * IMAGE_BYTES,
  };
}

export function chunkCountFor(images: number, chunkImages = CHUNK_IMAGES): number {
  return Math.ceil(images / chunkImages);
}

/** Why a manifest read back from storage cannot be used, or null. */
export function manifestProblem(m: unknown): string | null {
  if (!m || typeof m !== 'object') return 'missing manifest';
  const x = m as Partial<DatasetManifest>;
  if (x.schema !== MANIFEST_SCHEMA)
    return `cache format ${String(x.schema)} is not the current ${MANIFEST_SCHEMA}`;
  const n = x.labels?.length ?? -1;
  if (n < 0 || [x.files, x.hashes, x.split].some((a) => a?.length !== n)) return 'inconsistent manifest';
  if (x.chunkCount !== chunkCountFor(n, x.chunkImages)) return 'inconsistent chunk count';
  return null;
}

/** Read access to images held as chunks, without copying them into one buffer. */
export class ImageStore {
  constructor(
    readonly chunks: readonly Uint8Array[],
    readonly count: number,
    readonly chunkImages = CHUNK_IMAGES,
  ) {
    const expected = chunkCountFor(count, chunkImages);
    if (chunks.length !== expected) throw new RangeError(`expected ${expected} chunks, got ${chunks.length}`);
  }

  image(i: number): Uint8Array {
    if (!(i >= 0 && i < this.count)) throw new RangeError(`image ${i} of ${this.count}`);
    const chunk = this.chunks[Math.floor(i / this.chunkImages)]!;
    const at = (i % this.chunkImages) * IMAGE_BYTES;
    return chunk.subarray(at, at + IMAGE_BYTES);
  }
}

/** Collects images in arrival order and hands out full chunks as they fill. */
export class ChunkBuilder {
  private current: Uint8Array;
  private filled = 0;
  count = 0;

  constructor(
    private readonly onChunk: (index: number, chunk: Uint8Array) => void,
    private readonly chunkImages = CHUNK_IMAGES,
    /** Images already stored in full chunks (a resumed import): numbering continues after them. */
    startAt = 0,
  ) {
    if (startAt % chunkImages) throw new RangeError('a resumed import starts at a chunk boundary');
    this.count = startAt;
    this.current = new Uint8Array(chunkImages * IMAGE_BYTES);
  }

  push(pixels: Uint8Array): number {
    if (pixels.length !== IMAGE_BYTES)
      throw new RangeError(`image has ${pixels.length} bytes, expected ${IMAGE_BYTES}`);
    this.current.set(pixels, this.filled * IMAGE_BYTES);
    this.filled++;
    const index = this.count++;
    if (this.filled === this.chunkImages) this.flush();
    return index;
  }

  /** Emits the last, partial chunk (trimmed to its images). */
  finish(): void {
    if (this.filled > 0) this.flush();
  }

  private flush() {
    const chunkIndex = Math.floor((this.count - 1) / this.chunkImages);
    const chunk =
      this.filled === this.chunkImages ? this.current : this.current.slice(0, this.filled * IMAGE_BYTES);
    this.onChunk(chunkIndex, chunk);
    this.current = new Uint8Array(this.chunkImages * IMAGE_BYTES);
    this.filled = 0;
  }
}
