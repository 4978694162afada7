/**
 * The plain data the training worker's calls take and give (no tfjs, no Vite imports): what the Lab core and the
 * command line may see of the worker.
 */
import type { ModelSpec } from '../core/models';
import type { StepProfile } from '../ml/stepProfile';
import type { BatchPhases, TrainCounts } from '../ml/trainBench';

export interface TrainBenchRequest {
  backend: 'wasm' | 'webgl' | 'webgpu' | 'cpu';
  /** WASM threads; set before the backend starts (one backend per worker). */
  threads?: number;
  spec: ModelSpec;
  classes: number;
  batchSize: number;
  /** Batches timed after the first one, which pays for start-up (shader compilation, allocation). */
  batches: number;
  /** Also profile one step per kernel (tf.profile). */
  profile?: boolean;
  /** False: the lab's SIMD kernels stay on this thread (to measure what their helper threads bring). */
  simdHelpers?: boolean;
  /** tfjs' own path (its kernels and Adam, float32 batches, a read per batch): the lab's GPU work undone. */
  stock?: boolean;
  /** Also count reads, uploads, dispatches and kernel threads (see ml/trainBench.ts). */
  counts?: boolean;
  /** Skip the timed run (counts only: a software GPU takes minutes for a batch of 64). */
  noTiming?: boolean;
  /** The loop's read schedule, to compare (WASM). */
  readEvery?: number;
  waitForReads?: boolean;
  /** tfjs' conv layers as they are (three kernels each), to measure the fused ones against. */
  unfused?: boolean;
}

export interface TrainBenchResult {
  backend: string;
  samplesPerSecond: number;
  /** From the request to the end of the first batch: backend start, model build, shader compilation. */
  warmUpSeconds: number;
  /** Where a timed batch's time went (WASM, CPU: the loop waits for each batch; a GPU's queue hides it). */
  phases?: BatchPhases;
  details: Record<string, string | number | boolean>;
  profile?: StepProfile;
  counts?: TrainCounts;
}
