/**
 * What the Lab is built with: storage (src/data's exports), the workers (created by the composition root), the
 * browser's file pickers, settings remembered on this device, and a clock. Tests pass fakes of each.
 */
import type { BackendChoice, BackendName, BackendProbe } from '../core/backendChoice';
import type { DatasetManifest, DatasetSummary } from '../core/dataset';
import type { Progress } from '../core/format';
import type { ResizePolicy } from '../core/image';
import type { Labeller } from '../core/labeller';
import type { StoredModel } from '../core/modelFiles';
import type { JobRecord, RunRecord } from '../core/runs';
import type { LoadResult } from '../data/cache';
import type { DecodeResult } from '../data/decode';
import type { ImportProgress, Resumable, SweepReport } from '../data/sweep';
import type { Walked } from '../data/walk';
import type { TrainBenchRequest, TrainBenchResult } from '../workers/trainTypes';
import type { TrainEvent } from '../workers/trainEvents';

export type {
  DecodeResult,
  LoadResult,
  ImportProgress,
  Resumable,
  SweepReport,
  Walked,
  TrainEvent,
  TrainBenchRequest,
  TrainBenchResult,
};

/** The stores the Lab reads and writes: src/data's functions, never its keys. */
export interface LabStorage {
  listDatasets(): Promise<DatasetSummary[]>;
  hasDataset(id: string): Promise<boolean>;
  loadDataset(id: string): Promise<LoadResult>;
  readManifest(id: string): Promise<DatasetManifest | undefined>;
  writeManifest(m: DatasetManifest): Promise<void>;
  /** `remainingBytes` lets a full disk say how much room the rest would take. */
  writeChunks(id: string, chunks: [number, Uint8Array][], remainingBytes: number): Promise<void>;
  readChunks(id: string, count: number): Promise<Uint8Array[]>;
  deleteDataset(id: string): Promise<void>;
  findResumable(listingKey: string): Promise<Resumable | null>;
  saveImportProgress(id: string, progress: ImportProgress): Promise<void>;
  withImportRecord<T>(id: string, name: string, work: () => Promise<T>, listingKey?: string): Promise<T>;
  sweep(): Promise<SweepReport>;
  requestPersistence(): Promise<boolean>;
  listJobs(datasetId: string): Promise<JobRecord[]>;
  listRuns(datasetId: string): Promise<RunRecord[]>;
  saveJob(job: JobRecord): Promise<void>;
  saveRun(run: RunRecord): Promise<void>;
  deleteJob(job: JobRecord): Promise<void>;
  /** A run's model (an imported labeller's under NO_DATASET). */
  loadModel(datasetId: string, id: string): Promise<StoredModel | undefined>;
  /** A run's weights, each on its own (an imported grid's are written one run at a time). */
  saveModel(datasetId: string, runId: string, model: StoredModel): Promise<void>;
  deleteModels(datasetId: string, runIds: readonly string[]): Promise<void>;
  /** A job trained elsewhere and its runs, all or nothing (their weights are saved first, with saveModel). */
  saveImportedRuns(job: JobRecord, runs: readonly RunRecord[]): Promise<void>;
  saveLabeller(l: Labeller, models: StoredModel[]): Promise<void>;
  listLabellers(): Promise<Labeller[]>;
  deleteLabeller(l: Labeller): Promise<void>;
}

export interface DecodeItem {
  path: string;
  file: Blob;
}

/** Decoder workers: decode and resize like training data, or only hash (a folder dropped again). */
export interface Decoder {
  readonly size: number;
  /** Total time the workers spent decoding. */
  readonly busyMs: number;
  run(
    items: readonly DecodeItem[],
    policy: ResizePolicy,
    onResult: (index: number, result: DecodeResult) => void,
    signal?: AbortSignal,
  ): Promise<void>;
  hashes(items: readonly DecodeItem[], signal?: AbortSignal): Promise<(string | null)[]>;
  terminate(): void;
}

/** A training worker's calls, as the Lab makes them (event sinks are plain functions on this side). */
export interface Trainer {
  setAutoChoice(choice: BackendChoice | null): Promise<void>;
  startJob(job: JobRecord, onEvent: (e: TrainEvent) => void): Promise<JobRecord>;
  resumeJob(datasetId: string, jobId: string, onEvent: (e: TrainEvent) => void): Promise<JobRecord>;
  stop(): Promise<void>;
  probe(): Promise<{ probe: BackendProbe; choice: BackendChoice }>;
  benchmark(req: TrainBenchRequest): Promise<TrainBenchResult>;
}

/** Class probabilities per model: one row per image (row-major). */
export type Predictions = Record<string, { probs: Float32Array; classes: number }>;

export type SaliencyMethod = 'grad-cam' | 'input-gradient';

/** Why a model decided: a map over the image (one value a pixel in [0, 1], row-major) and its top classes. */
export interface Saliency {
  method: SaliencyMethod;
  width: number;
  height: number;
  map: Float32Array;
  /** The output explained (the predicted class). */
  classIndex: number;
  /** The three most probable outputs, most probable first. */
  top: { index: number; probability: number }[];
  /** False when no pixel raised the class's score. */
  found: boolean;
}

/** The prediction worker's calls: stored models on images, and model files checked before they are stored. */
export interface Predictor {
  setAutoChoice(choice: BackendChoice | null): Promise<void>;
  /** `pixels`: 120×90×3 images, each its own buffer (they are copied to the worker). */
  /** `datasetId`: where the models are stored (core/labeller modelDataset). */
  predict(
    datasetId: string,
    modelIds: string[],
    pixels: Uint8Array[],
    backend: BackendName | 'auto',
  ): Promise<Predictions>;
  checkModelFiles(
    files: { modelJson: Uint8Array; weights: Uint8Array; name?: string }[],
    classes: number[],
    backend: BackendName | 'auto',
  ): Promise<void>;
  forgetModels(datasetId: string, ids: string[]): Promise<void>;
  /** A stored model's saliency map on one 120×90×3 image (mirrored first: a flipped copy), on the worker's backend. */
  saliency(
    datasetId: string,
    modelId: string,
    pixels: Uint8Array,
    options: { method: SaliencyMethod; mirror: boolean },
    backend: BackendName | 'auto',
  ): Promise<Saliency>;
}

export interface WorkerHandle<Api> {
  api: Api;
  /** Ends the worker (and whatever it was doing). */
  terminate(): void;
}
export type TrainerHandle = WorkerHandle<Trainer>;

/** Creates the workers; the composition root (src/app) is the only place that knows their files. */
export interface WorkerHost {
  decoder(size?: number): Decoder;
  /** A training worker; `onCrash` hears an error the worker could not report through a call. */
  trainer(onCrash: (reason: string) => void): TrainerHandle;
  /** A prediction worker (labelling, route comparison, checking imported models). */
  predictor(onCrash: (reason: string) => void): WorkerHandle<Predictor>;
  /** Draws the demo catalog (in workers) as a folder to import. */
  drawDemo(
    perClass: number,
    seed: number,
    onProgress: (p: Progress) => void,
    signal?: AbortSignal,
  ): Promise<Walked>;
}

/** The browser's ways of handing the Lab a folder. */
export interface FileSource {
  walkDataTransfer(items: DataTransferItemList): Promise<Walked>;
  walkFileList(files: FileList | File[]): Walked;
  hasDirectoryPicker(): boolean;
  pickDirectory(): Promise<Walked | null>;
}

export interface DemoCatalog {
  sizes: readonly { perClass: number; label: string }[];
  /** A cache key that needs no drawing (the catalog is fully determined by its version, seed, size and resize). */
  cacheKey(perClass: number, seed: number, resize: ResizePolicy): string;
}

/** Small values remembered on this device (localStorage in the page); failures are the store's to swallow. */
export interface Settings {
  get(key: string): string | null;
  /** null removes the value. */
  set(key: string, value: string | null): void;
}

export interface Clock {
  /** Milliseconds on a monotonic clock (performance.now in the page). */
  now(): number;
  /** The wall-clock date (ids, record timestamps). */
  date(): Date;
  /** A marker for profiling (performance.mark in the page). */
  mark?(name: string): void;
}

export interface LabDeps {
  storage: LabStorage;
  host: WorkerHost;
  files: FileSource;
  demo: DemoCatalog;
  settings: Settings;
  clock: Clock;
}
