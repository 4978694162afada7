/** Records for the storage tests: a valid manifest with its chunks, and the fields of runs that storage reads. */
import type { TrainCheckpoint } from '../core/checkpoint';
import { MANIFEST_SCHEMA, type DatasetManifest } from '../core/dataset';
import type { Labeller } from '../core/labeller';
import type { StoredModel } from '../core/modelFiles';
import type { JobRecord, RunRecord } from '../core/runs';

/** A dataset of `images` images in chunks of 2, and the chunks (chunk n filled with n + 1). */
export function dataset(id: string, images = 5, createdAt = '2026-01-01T00:00:00Z') {
  const n = images;
  const manifest: DatasetManifest = {
    schema: MANIFEST_SCHEMA,
    id,
    listingKey: `listing-${id}`,
    name: `Photos ${id}`,
    source: 'folder',
    createdAt,
    resize: 'pad',
    image: { height: 120, width: 90, channels: 3 },
    classes: [['A'], ['B']],
    files: Array.from({ length: n }, (_, i) => `A/${i}.jpg`),
    labels: Array.from({ length: n }, (_, i) => i % 2),
    hashes: Array.from({ length: n }, (_, i) => `h${i}`),
    split: Array.from({ length: n }, () => 0),
    splitSpec: { seed: 1, val: 0.1, test: 0.1 },
    chunkImages: 2,
    chunkCount: Math.ceil(n / 2),
    skipped: [],
    emptyFolders: [],
  } as unknown as DatasetManifest;
  const chunks = Array.from(
    { length: manifest.chunkCount },
    (_, c) => [c, new Uint8Array(10).fill(c + 1)] as [number, Uint8Array],
  );
  return { manifest, chunks };
}

export const job = (datasetId: string, id: string, runIds: string[], createdAt = '2026-01-02T00:00:00Z') =>
  ({
    id,
    datasetId,
    taskId: 'primary',
    taskName: 'Primary',
    runIds,
    status: 'done',
    createdAt,
  }) as unknown as JobRecord;

export const run = (datasetId: string, jobId: string, id: string, startedAt = '2026-01-02T00:00:01Z') =>
  ({
    id,
    jobId,
    datasetId,
    taskId: 'primary',
    status: 'done',
    startedAt,
    modelSaved: true,
  }) as unknown as RunRecord;

export const model = (seed: number): StoredModel => ({
  modelTopology: { seed },
  weightSpecs: [{ name: 'w', shape: [2], dtype: 'float32' }],
  weightData: new Float32Array([seed, seed + 0.5]).buffer,
  generatedBy: 'test',
});

export const checkpoint = (epochsDone: number): TrainCheckpoint => ({
  epochsDone,
  epochs: [],
  bestLoss: Infinity,
  bestEpoch: 0,
  wait: 0,
  weights: [{ name: 'w', shape: [2], dtype: 'float32', data: new Float32Array([1, 2]) }],
  optimizer: [{ name: 'step', shape: [], dtype: 'int32', data: new Int32Array([epochsDone]) }],
  bestWeights: null,
});

export const labeller = (id: string, modelIds: string[]): Labeller =>
  ({
    id,
    name: `Labeller ${id}`,
    classes: [['A'], ['B']],
    source: 'bundle',
    createdAt: '2026-01-03T00:00:00Z',
    models: modelIds.map((modelId) => ({ taskId: 'primary', taskName: 'Primary', modelId })),
    routes: {},
  }) as unknown as Labeller;
