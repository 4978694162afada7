/**
 * Fakes of the Lab's dependencies for its unit tests (Node, no browser): storage in memory with an optional quota,
 * a decoder that "decodes" a file's first byte into a flat image, a training worker driven by the test, and a
 * clock that moves only when told.
 */
import { chooseBackend, type BackendProbe } from '../../core/backendChoice';
import { summarise, type DatasetManifest } from '../../core/dataset';
import { IMAGE_BYTES } from '../../core/image';
import { NO_DATASET, type Labeller } from '../../core/labeller';
import type { StoredModel } from '../../core/modelFiles';
import type { JobRecord, RunRecord } from '../../core/runs';
import type {
  Clock,
  DecodeResult,
  Decoder,
  DecodeItem,
  ImportProgress,
  LabDeps,
  LabStorage,
  LoadResult,
  Predictor,
  Resumable,
  SweepReport,
  Trainer,
  TrainerHandle,
  TrainBenchRequest,
  TrainBenchResult,
  TrainEvent,
  Walked,
  WorkerHost,
} from '../deps';

/** The message the real storage gives for a full disk (data/db.ts), in short. */

export const modelKey = (datasetId: string, id: string) => JSON.stringify([datasetId, id]);
export const FULL_DISK = "The browser's storage for this site is full while saving the image cache.";

export class MemoryStorage implements LabStorage {
  manifests = new Map<string, DatasetManifest>();
  chunks = new Map<string, Map<number, Uint8Array>>();
  pending = new Map<string, { name: string; listingKey?: string; progress?: ImportProgress }>();
  jobs = new Map<string, JobRecord>();
  runs = new Map<string, RunRecord>();
  /** By modelKey(dataset, id): run ids repeat across datasets. */
  models = new Map<string, StoredModel>();
  labellers = new Map<string, Labeller>();
  /** Bytes of image chunks the disk takes before it is full (Infinity: never). */
  quotaBytes = Infinity;
  usedBytes = 0;

  async listDatasets() {
    return [...this.manifests.values()].map(summarise).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }
  async hasDataset(id: string) {
    return this.manifests.has(id);
  }
  async loadDataset(id: string): Promise<LoadResult> {
    const manifest = this.manifests.get(id);
    if (!manifest) return { ok: false, reason: 'missing manifest' };
    const stored = this.chunks.get(id) ?? new Map();
    const chunks = Array.from({ length: manifest.chunkCount }, (_, n) => stored.get(n));
    if (chunks.some((c) => !c)) return { ok: false, reason: 'an image chunk is missing' };
    return { ok: true, manifest, chunks: chunks as Uint8Array[] };
  }
  async readManifest(id: string) {
    return this.manifests.get(id);
  }
  async writeManifest(m: DatasetManifest) {
    this.manifests.set(m.id, structuredClone(m));
  }
  async writeChunks(id: string, chunks: [number, Uint8Array][]) {
    const bytes = chunks.reduce((a, [, c]) => a + c.byteLength, 0);
    if (this.usedBytes + bytes > this.quotaBytes) throw new Error(FULL_DISK);
    this.usedBytes += bytes;
    const mine = this.chunks.get(id) ?? new Map<number, Uint8Array>();
    for (const [n, c] of chunks) mine.set(n, c.slice());
    this.chunks.set(id, mine);
  }
  async readChunks(id: string, count: number) {
    const mine = this.chunks.get(id);
    const out = Array.from({ length: count }, (_, n) => mine?.get(n));
    if (out.some((c) => !c)) throw new Error('a stored chunk of the unfinished import is missing');
    return out as Uint8Array[];
  }
  async deleteDataset(id: string) {
    this.manifests.delete(id);
    this.chunks.delete(id);
    this.pending.delete(id);
    for (const [k, r] of this.runs) if (r.datasetId === id) this.runs.delete(k);
    for (const [k, j] of this.jobs) if (j.datasetId === id) this.jobs.delete(k);
  }
  async findResumable(listingKey: string): Promise<Resumable | null> {
    for (const [id, p] of this.pending) {
      if (!p.progress?.files.length || p.listingKey !== listingKey || this.manifests.has(id)) continue;
      return { id, name: p.name, images: p.progress.files.length, listingKey, progress: p.progress };
    }
    return null;
  }
  async saveImportProgress(id: string, progress: ImportProgress) {
    const p = this.pending.get(id);
    if (p) p.progress = structuredClone(progress);
  }
  /** `crash` leaves the record behind, as a reload mid-import does. */
  crashDuringImport = false;
  async withImportRecord<T>(id: string, name: string, work: () => Promise<T>, listingKey?: string) {
    this.pending.set(id, { ...this.pending.get(id), name, listingKey });
    try {
      return await work();
    } finally {
      if (!this.crashDuringImport) this.pending.delete(id);
    }
  }
  async sweep(): Promise<SweepReport> {
    const resumable: Resumable[] = [];
    for (const [id, p] of this.pending)
      if (p.progress?.files.length && p.listingKey)
        resumable.push({
          id,
          name: p.name,
          images: p.progress.files.length,
          listingKey: p.listingKey,
          progress: p.progress,
        });
    return { cutOff: [], resumable, outdated: [], strayRuns: 0 };
  }
  async requestPersistence() {
    return true;
  }
  async listJobs(datasetId: string) {
    return [...this.jobs.values()].filter((j) => j.datasetId === datasetId).map((j) => structuredClone(j));
  }
  async listRuns(datasetId: string) {
    return [...this.runs.values()].filter((r) => r.datasetId === datasetId).map((r) => structuredClone(r));
  }
  async saveJob(job: JobRecord) {
    this.jobs.set(job.id, structuredClone(job));
  }
  async saveRun(run: RunRecord) {
    this.runs.set(run.id, structuredClone(run));
  }
  async deleteJob(job: JobRecord) {
    this.jobs.delete(job.id);
    for (const id of job.runIds) this.runs.delete(id);
  }
  async loadModel(datasetId: string, id: string) {
    return this.models.get(modelKey(datasetId, id));
  }
  async saveModel(datasetId: string, runId: string, model: StoredModel) {
    this.models.set(modelKey(datasetId, runId), model);
  }
  async deleteModels(datasetId: string, runIds: readonly string[]) {
    for (const id of runIds) this.models.delete(modelKey(datasetId, id));
  }
  async saveImportedRuns(job: JobRecord, runs: readonly RunRecord[]) {
    this.jobs.set(job.id, structuredClone(job));
    for (const r of runs) this.runs.set(r.id, structuredClone(r));
  }
  async saveLabeller(l: Labeller, models: StoredModel[]) {
    models.forEach((m, i) => this.models.set(modelKey(NO_DATASET, l.models[i]!.modelId), m));
    this.labellers.set(l.id, l);
  }
  async listLabellers() {
    return [...this.labellers.values()];
  }
  async deleteLabeller(l: Labeller) {
    this.labellers.delete(l.id);
  }
}

/**
 * A decoder that needs no canvas: a file whose text starts with "bad" is not an image; any other becomes an image
 * filled with its first byte, hashed by its text. `failAfter` makes the decoder stop answering (a crashed worker).
 */
export class FakeDecoder implements Decoder {
  busyMs = 0;
  decoded: string[] = [];
  terminated = false;
  /** After this many images the decoder never answers again (the page was reloaded mid-import). */
  hangAfter = Infinity;
  /** Called after each image (a test moves its clock here). */
  onEach: () => void = () => {};
  constructor(readonly size = 1) {}

  async run(
    items: readonly DecodeItem[],
    _policy: unknown,
    onResult: (index: number, result: DecodeResult) => void,
    signal?: AbortSignal,
  ) {
    for (const [i, item] of items.entries()) {
      if (signal?.aborted) return;
      if (this.decoded.length >= this.hangAfter) await new Promise(() => {});
      const text = await item.file.text();
      this.decoded.push(item.path);
      if (text.startsWith('bad')) onResult(i, { ok: false, reason: 'not an image', hash: `h:${text}` });
      else
        onResult(i, {
          ok: true,
          pixels: new Uint8Array(IMAGE_BYTES).fill(text.charCodeAt(0)),
          hash: `h:${text}`,
          width: 90,
          height: 120,
        });
      this.onEach();
      await Promise.resolve();
    }
  }
  async hashes(items: readonly DecodeItem[]) {
    return Promise.all(items.map(async (i) => `h:${await i.file.text()}`));
  }
  terminate() {
    this.terminated = true;
  }
}

/** A walked folder from `{ "Label/Sub/name.jpg": "contents" }`. */
export function folder(rootName: string, files: Record<string, string>): Walked {
  return {
    rootName,
    emptyFolders: [],
    files: Object.entries(files).map(([path, text]) => ({
      path,
      file: new File([text], path.slice(path.lastIndexOf('/') + 1), { type: 'image/jpeg' }),
    })),
  };
}

type Job = (job: JobRecord, emit: (e: TrainEvent) => void) => Promise<JobRecord>;

/** A training worker whose jobs the test scripts; every worker started is recorded. */
export class FakeTrainers {
  started: { api: Trainer; crash: (reason: string) => void; terminated: boolean }[] = [];
  /** What a job does in the worker (the test replaces it). */
  job: Job = async (job) => ({ ...job, status: 'done' });
  /** What resuming a stored job does in the worker. */
  resume: (datasetId: string, jobId: string, emit: (e: TrainEvent) => void) => Promise<JobRecord> =
    async () => {
      throw new Error('That training job is no longer stored.');
    };
  autoChoices: unknown[] = [];
  /** What the browser offers: no GPU, WASM on one thread. */
  probe: BackendProbe = {
    webgpu: { available: false },
    webgl: { available: false },
    wasm: { available: true, threads: 1 },
  };
  /** A timed training step on one backend. */
  benchmark = async (req: TrainBenchRequest): Promise<TrainBenchResult> => {
    throw new Error(`no ${req.backend} benchmark scripted`);
  };
  /** Class probabilities per model: by default every image is the model's first class, at 0.9. */
  predict = async (ids: string[], pixels: Uint8Array[]) => {
    const n = pixels.length;
    const probs = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) probs.set([0.9, 0.1], i * 2);
    return Object.fromEntries(ids.map((id) => [id, { probs, classes: 2 }]));
  };
  /** Model files checked before they are kept: by default every file passes. */
  checkModelFiles: Predictor['checkModelFiles'] = async () => {};
  /** The worker that ran the latest job. */
  jobWorker: FakeTrainers['started'][number] | null = null;
  stops = 0;

  host(): WorkerHost['trainer'] {
    return (onCrash) => {
      const entry = {
        terminated: false,
        crash: onCrash,
        api: {
          setAutoChoice: async (choice) => void this.autoChoices.push(choice),
          startJob: (job, onEvent) => {
            this.jobWorker = entry;
            return this.job(structuredClone(job), onEvent);
          },
          resumeJob: (datasetId, jobId, onEvent) => this.resume(datasetId, jobId, onEvent),
          stop: async () => void this.stops++,
          probe: async () => ({ probe: this.probe, choice: chooseBackend(this.probe) }),
          benchmark: (req) => this.benchmark(req),
        } satisfies Trainer,
      };
      this.started.push(entry);
      return { api: entry.api, terminate: () => void (entry.terminated = true) } satisfies TrainerHandle;
    };
  }

  /** Prediction workers, recorded like training workers; `crash` is how a test makes one fail. */
  predictors: { crash: (reason: string) => void; terminated: boolean }[] = [];

  predictorHost(): WorkerHost['predictor'] {
    return (onCrash) => {
      const entry = { terminated: false, crash: onCrash };
      this.predictors.push(entry);
      const api: Predictor = {
        setAutoChoice: async (choice) => void this.autoChoices.push(choice),
        predict: (_datasetId, ids, pixels) => this.predict(ids, pixels),
        checkModelFiles: (files, classes, backend) => this.checkModelFiles(files, classes, backend),
        forgetModels: async () => {},
        saliency: async () => {
          throw new Error('no saliency in the fake prediction worker');
        },
      };
      return { api, terminate: () => void (entry.terminated = true) };
    };
  }
}

export class ManualClock implements Clock {
  ms = 0;
  when = new Date('2026-12-01T10:00:00Z');
  now() {
    return this.ms;
  }
  date() {
    return new Date(this.when.getTime() + this.ms);
  }
}

export function fakeDeps(
  over: Partial<Omit<LabDeps, 'storage'>> & {
    storage?: MemoryStorage;
    trainers?: FakeTrainers;
    decoders?: FakeDecoder[];
    /** Sets up each decoder the Lab creates. */
    decoder?: (d: FakeDecoder) => void;
  } = {},
) {
  const storage = over.storage ?? new MemoryStorage();
  const trainers = over.trainers ?? new FakeTrainers();
  const decoders = over.decoders ?? [];
  const settings = new Map<string, string>();
  const clock = over.clock ?? new ManualClock();
  const deps: LabDeps = {
    storage,
    host: over.host ?? {
      decoder: (size) => {
        const d = new FakeDecoder(size ?? 1);
        over.decoder?.(d);
        decoders.push(d);
        return d;
      },
      trainer: trainers.host(),
      predictor: trainers.predictorHost(),
      drawDemo: async () => folder('Demo', { 'A/1.jpg': 'a', 'B/1.jpg': 'b' }),
    },
    files: over.files ?? {
      hasDirectoryPicker: () => false,
      pickDirectory: async () => null,
      walkDataTransfer: async () => folder('Dropped', {}),
      walkFileList: () => folder('Chosen', {}),
    },
    demo: over.demo ?? {
      sizes: [{ perClass: 2, label: 'Tiny' }],
      cacheKey: (n, s, r) => `demo-${n}-${s}-${r}`,
    },
    settings: over.settings ?? {
      get: (k) => settings.get(k) ?? null,
      set: (k, v) => void (v === null ? settings.delete(k) : settings.set(k, v)),
    },
    clock,
  };
  return { deps, storage, trainers, decoders, settings, clock };
}
