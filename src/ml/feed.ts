/**
 * How a training run's images reach the backend, one batch at a time. Three paths, chosen from the backend:
 * - `resident` (WebGPU, when the task's images fit the adapter's buffer limits): every image the run uses is
 *   uploaded once, as uint8 packed into int32 words; a batch uploads only its slots (4 bytes a sample), and the
 *   GPU gathers, mirrors and converts the images (`LabDecodeImages`), and gathers the labels.
 * - `uint8` (WebGPU otherwise): each batch uploads its images as uint8 (mirrored on the CPU while copying, a
 *   byte copy) and its labels; the GPU converts them to float.
 * - `float32` (WebGL, WASM, CPU): the CPU converts and mirrors into a float32 batch, as tfjs expects.
 */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_BYTES, IMAGE_CHANNELS, IMAGE_HEIGHT, IMAGE_WIDTH } from '../core/image';
import { fillBatch, imageOf, type ImageSource } from './batches';
import { NO_FLIPS, type SplitData } from './splits';
import { DECODE_IMAGES, packedWords, type DecodeImagesAttrs } from './webgpu/decodeImages';

export type InputPath = 'resident' | 'uint8' | 'float32';

export interface InputInfo {
  path: InputPath;
  /** Bytes uploaded once for the run (the resident images and their labels); 0 on the other paths. */
  residentBytes: number;
  /** What happened, in words, for the training panel. */
  summary: string;
}

/** A split as the feeder sees it: dataset items (an item ≥ flipFrom mirrors item − flipFrom) and labels. */
export type FeedSplit = SplitData;

export interface BatchFeeder {
  readonly info: InputInfo;
  /** The batch's images and labels as tensors on the backend; the caller disposes them. */
  batch(
    items: ArrayLike<number>,
    labels: ArrayLike<number>,
    flipFrom?: number,
  ): {
    x: tf.Tensor4D;
    y: tf.Tensor1D;
  };
  dispose(): void;
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(bytes < 2 ** 20 ? 2 : 0)} MB`;

class FloatFeeder implements BatchFeeder {
  readonly info: InputInfo = {
    path: 'float32',
    residentBytes: 0,
    summary: 'images converted to float32 on the CPU, one batch at a time',
  };
  private buf = new Float32Array(0);
  constructor(private readonly source: ImageSource) {}

  batch(items: ArrayLike<number>, labels: ArrayLike<number>, flipFrom = NO_FLIPS) {
    const n = items.length;
    if (this.buf.length < n * IMAGE_BYTES) this.buf = new Float32Array(n * IMAGE_BYTES);
    const x = tf.tensor4d(fillBatch(this.source, items, flipFrom, this.buf).subarray(0, n * IMAGE_BYTES), [
      n,
      IMAGE_HEIGHT,
      IMAGE_WIDTH,
      IMAGE_CHANNELS,
    ]);
    return { x, y: tf.tensor1d(Int32Array.from(labels), 'int32') };
  }
  dispose() {}
}

const decode = (images: tf.Tensor, slots: tf.Tensor | null, mirrorFrom: number): tf.Tensor4D =>
  tf
    .engine()
    .runKernel(
      DECODE_IMAGES,
      (slots ? { images, slots } : { images }) as unknown as tf.NamedTensorMap,
      { mirrorFrom } satisfies DecodeImagesAttrs as unknown as tf.NamedAttrMap,
    ) as tf.Tensor4D;

class Uint8Feeder implements BatchFeeder {
  readonly info: InputInfo = {
    path: 'uint8',
    residentBytes: 0,
    summary: 'images uploaded as uint8 each batch and converted on the GPU',
  };
  private bytes = new Uint8Array(0);
  constructor(
    private readonly source: ImageSource,
    why = '',
  ) {
    if (why) this.info.summary += ` (${why})`;
  }

  batch(items: ArrayLike<number>, labels: ArrayLike<number>, flipFrom = NO_FLIPS) {
    const n = items.length;
    if (this.bytes.length < n * IMAGE_BYTES) this.bytes = new Uint8Array(n * IMAGE_BYTES);
    for (let b = 0; b < n; b++) imageOf(this.source, items[b]!, flipFrom, this.bytes, b * IMAGE_BYTES);
    const words = tf.tensor1d(packedWords(this.bytes.subarray(0, n * IMAGE_BYTES)), 'int32');
    const x = decode(words, null, 0);
    words.dispose();
    return { x, y: tf.tensor1d(Int32Array.from(labels), 'int32') };
  }
  dispose() {}
}

class ResidentFeeder implements BatchFeeder {
  readonly info: InputInfo;
  private readonly slotOf = new Map<number, number>();
  private readonly images: tf.Tensor1D;
  /** Label by slot, twice over: a mirrored slot s + N has the label of slot s. */
  private readonly labels: tf.Tensor1D;
  private readonly count: number;

  constructor(source: ImageSource, splits: readonly FeedSplit[]) {
    const labelOf: number[] = [];
    for (const s of splits) {
      const flipFrom = s.flipFrom ?? NO_FLIPS;
      s.items.forEach((item, k) => {
        const image = item >= flipFrom ? item - flipFrom : item;
        if (!this.slotOf.has(image)) {
          this.slotOf.set(image, this.slotOf.size);
          labelOf.push(s.labels[k]!);
        }
      });
    }
    this.count = this.slotOf.size;
    const bytes = new Uint8Array(this.count * IMAGE_BYTES);
    for (const [image, slot] of this.slotOf) bytes.set(source.image(image), slot * IMAGE_BYTES);
    this.images = tf.tensor1d(packedWords(bytes), 'int32');
    this.labels = tf.tensor1d(Int32Array.from([...labelOf, ...labelOf]), 'int32');
    const residentBytes = bytes.byteLength + this.count * 8;
    this.info = {
      path: 'resident',
      residentBytes,
      summary: `${this.count} images resident on the GPU (${mb(residentBytes)}, uploaded once as uint8); each batch uploads only its indices`,
    };
  }

  batch(items: ArrayLike<number>, labels: ArrayLike<number>, flipFrom = NO_FLIPS) {
    const slots = new Int32Array(items.length);
    for (let b = 0; b < items.length; b++) {
      const item = items[b]!;
      const mirror = item >= flipFrom;
      const slot = this.slotOf.get(mirror ? item - flipFrom : item);
      if (slot === undefined) throw new Error(`item ${item} is not among the run's resident images`);
      slots[b] = slot + (mirror ? this.count : 0);
    }
    void labels; // the resident labels are the same, by construction
    const s = tf.tensor1d(slots, 'int32');
    const x = decode(this.images, s, this.count);
    const y = tf.gather(this.labels, s) as tf.Tensor1D;
    s.dispose();
    return { x, y };
  }

  dispose() {
    tf.dispose([this.images, this.labels]);
  }
}

interface GpuLimits {
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
}

/** The WebGPU device's buffer limits, or null when the backend is not WebGPU. */
function webgpuLimits(): GpuLimits | null {
  if (tf.getBackend() !== 'webgpu') return null;
  return (tf.backend() as unknown as { device?: { limits: GpuLimits } }).device?.limits ?? null;
}

export interface FeederOptions {
  /** Force a path (benchmarks and tests); by default the fastest the backend allows. */
  path?: InputPath;
}

/** The distinct images a set of splits uses (a mirrored item counts as its original). */
export function distinctImages(splits: readonly FeedSplit[]): number {
  const seen = new Set<number>();
  for (const s of splits) {
    const flipFrom = s.flipFrom ?? NO_FLIPS;
    for (const item of s.items) seen.add(item >= flipFrom ? item - flipFrom : item);
  }
  return seen.size;
}

/** The feeder for a run whose batches come from `splits` (every split that will be trained on or evaluated). */
export function createFeeder(
  source: ImageSource,
  splits: readonly FeedSplit[],
  options: FeederOptions = {},
): BatchFeeder {
  const limits = webgpuLimits();
  const gpuDecode = !!limits && !!tf.getKernel(DECODE_IMAGES, 'webgpu');
  const wanted = options.path ?? (gpuDecode ? 'resident' : 'float32');
  if (wanted === 'float32' || !gpuDecode) return new FloatFeeder(source);
  if (wanted === 'uint8') return new Uint8Feeder(source);
  const bytes = distinctImages(splits) * IMAGE_BYTES;
  const limit = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  if (bytes > limit)
    return new Uint8Feeder(
      source,
      `the task's ${mb(bytes)} of images exceed this GPU's ${mb(limit)} buffer limit`,
    );
  return new ResidentFeeder(source, splits);
}
