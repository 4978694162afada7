/**
 * A small learnable dataset and a job on it, for the cluster tests: two categories ("Bags", "Hats"), the bags bright
 * in the top half and the hats in the bottom half (a mirror keeps the class), with seeded noise.
 */
import { clusterJobFiles } from '../clusterJob';
import type { Grid, ModelSpec } from '../models';
import { IMAGE_BYTES, IMAGE_HEIGHT, IMAGE_WIDTH } from '../image';
import { createRng } from '../rng';
import type { JobRecord } from '../runs';
import { deriveTasks } from '../tasks';
import { newJob, studyDraft } from '../trainDraft';

/**
 * `mislabelled`: the share of images drawn as the other class, so that no model gets them all right and runs of
 * different seeds spread.
 */
export function clusterDataset(perClassSplit: [number, number, number] = [12, 4, 4], mislabelled = 0) {
  const classes = [['Bags'], ['Hats']];
  const labels: number[] = [];
  const split: number[] = [];
  for (let s = 0; s < 3; s++)
    for (let c = 0; c < 2; c++)
      for (let i = 0; i < perClassSplit[s]!; i++) {
        labels.push(c);
        split.push(s);
      }
  const rng = createRng(7);
  const images = labels.map((label) => {
    const c = mislabelled > 0 && rng() < mislabelled ? 1 - label : label;
    const px = new Uint8Array(IMAGE_BYTES);
    for (let y = 0; y < IMAGE_HEIGHT; y++)
      for (let x = 0; x < IMAGE_WIDTH; x++)
        for (let k = 0; k < 3; k++) {
          const bright = y < IMAGE_HEIGHT / 2 === (c === 0);
          px[(y * IMAGE_WIDTH + x) * 3 + k] = Math.floor((bright ? 140 : 40) + rng() * 100 + (x % 7) * k);
        }
    return px;
  });
  return {
    id: 'cluster-test',
    name: 'cluster test set',
    classes,
    labels,
    split,
    image: (i: number) => images[i]!,
  };
}

export const SMALL_SPEC: ModelSpec = {
  family: 'dropout',
  filters: 4,
  kernel1: 3,
  kernel2: 3,
  dense: 8,
  dropout: 0.25,
};

export function clusterJobFixture(
  options: {
    grid?: Grid;
    repeats?: number;
    epochs?: number;
    flip?: boolean;
    spec?: ModelSpec;
    dataset?: ReturnType<typeof clusterDataset>;
  } = {},
) {
  const dataset = options.dataset ?? clusterDataset();
  const task = deriveTasks(dataset.classes)[0]!;
  const d = studyDraft(task);
  const draft = {
    ...d,
    spec: options.spec ?? SMALL_SPEC,
    grid: options.grid ?? {},
    repeats: options.repeats ?? 1,
    settings: {
      ...d.settings,
      epochs: options.epochs ?? 2,
      batchSize: 8,
      flip: options.flip ?? true,
      seed: 3,
    },
  };
  const kind =
    (options.grid && Object.keys(options.grid).length) || (options.repeats ?? 1) > 1 ? 'grid' : 'single';
  const job: JobRecord = newJob(task, dataset.id, draft, kind, 'auto', new Date('2026-12-01T00:00:00Z'));
  job.id = 'testjob';
  const exported = clusterJobFiles(job, task, dataset, new Date('2026-12-01T00:00:00Z'));
  return { dataset, task, job, clusterJob: exported.job, files: exported.files };
}
