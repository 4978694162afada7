/**
 * Labelling new images and comparing routes, on the main thread's side: images decoded by the decoder workers
 * exactly like training data, probabilities from the prediction worker, labellers exported and imported as zips.
 * The functions here take what they use; the Labelling class (labellingSession.ts) holds the step's state.
 */
import type { BackendName } from '../core/backendChoice';
import { compareRoutes, type CompareImage, type Comparison } from '../core/compare';
import {
  findFlatTask,
  labelAlong,
  routeOfResult,
  threeRouteImage,
  threeRouteMissing,
  threeRouteTasks,
  type AnyRoute,
} from '../core/flatRoute';
import { confusionMatrix } from '../core/metrics';
import { TEST } from '../core/split';
import type { ResizePolicy } from '../core/image';
import { bundleZip, modelDataset, readLabellerZip, type Labeller } from '../core/labeller';
import { modelZip, type StoredModel } from '../core/modelFiles';
import { argmax, routeTasks, type PipelineResult, type Route } from '../core/pipeline';
import { modelMetadata } from '../core/results';
import type { RunRecord } from '../core/runs';
import { deriveTasks, type Task } from '../core/tasks';
import { compareThreeRoutes, type ThreeRouteComparison } from '../core/threeRoutes';
import type { ImageStore } from '../core/dataset';
import type { Decoder, LabStorage, Predictions, Predictor } from './deps';

export interface LabelledImage {
  name: string;
  pixels: Uint8Array | null;
  /** Why the file could not be read as an image. */
  problem: string | null;
  result: PipelineResult | null;
  /** The route that labelled it: the flat model, or the route its category took. */
  route: AnyRoute | null;
}

type Probs = Predictions;

const rowOf = (p: Probs[string] | undefined, i: number) =>
  p ? p.probs.subarray(i * p.classes, (i + 1) * p.classes) : undefined;

/**
 * Decodes and resizes images exactly like training data, then labels each through the pipeline (a route per
 * category) or, with `flat`, through the flat model alone.
 */
export async function labelFiles(
  decoder: (size: number) => Decoder,
  predictor: Predictor,
  files: File[],
  labeller: Labeller,
  routeOf: (category: string) => Route,
  backend: BackendName | 'auto',
  flat = false,
): Promise<LabelledImage[]> {
  const out: LabelledImage[] = files.map((f) => ({
    name: f.name,
    pixels: null,
    problem: null,
    result: null,
    route: null,
  }));
  const pool = decoder(Math.min(2, files.length));
  try {
    await pool.run(
      files.map((f) => ({ path: f.name, file: f })),
      labeller.resize,
      (i, r) => {
        if (r.ok) out[i]!.pixels = r.pixels;
        else out[i]!.problem = r.reason;
      },
    );
  } finally {
    pool.terminate();
  }
  const good = out.filter((x) => x.pixels);
  if (!good.length) return out;
  const ids = labeller.models.map((m) => m.modelId);
  const probs = await predictor.predict(
    modelDataset(labeller),
    ids,
    good.map((x) => x.pixels!),
    backend,
  );
  const tasks = deriveTasks(labeller.classes);
  const byTask = new Map(labeller.models.map((m) => [m.taskId, probs[m.modelId]]));
  good.forEach((x, i) => {
    const probsOf = (taskId: string) => rowOf(byTask.get(taskId), i);
    x.result = labelAlong(flat ? 'flat' : routeOf, tasks, labeller.classes, probsOf);
    x.route = routeOfResult(flat, tasks, x.result, routeOf);
  });
  return out;
}

export interface RoutePredictions {
  items: number[];
  truth: number[];
  predictions: number[];
  confidence: number[];
  confusion: number[][];
}

export interface CategoryComparison extends Comparison {
  category: string;
  /** The tasks each route used. */
  combinedTask: string;
  hierarchicalTasks: string[];
  /** The category's leaves ("Female / High heels"), the rows and columns of both routes' matrices. */
  leaves: string[];
  byRoute: { combined: RoutePredictions; hierarchical: RoutePredictions };
}

/** The study's comparison on the dataset's test images of one category, with the labeller's models. */
export async function compareCategory(
  predictor: Predictor,
  dataset: { classes: string[][]; labels: readonly number[]; split: readonly number[]; images: ImageStore },
  labeller: Labeller,
  category: string,
  backend: BackendName | 'auto',
): Promise<CategoryComparison> {
  const tasks = deriveTasks(dataset.classes);
  const needed = [...routeTasks(tasks, category, 'combined'), ...routeTasks(tasks, category, 'hierarchical')];
  const model = (t: Task) => labeller.models.find((m) => m.taskId === t.id);
  const missing = needed.filter((t) => !model(t));
  if (missing.length) throw new Error(`Train ${missing.map((t) => t.name).join(', ')} first.`);
  const items: number[] = [];
  dataset.labels.forEach((label, i) => {
    if (dataset.split[i] === TEST && dataset.classes[label]![0] === category) items.push(i);
  });
  if (!items.length) throw new Error(`The test split has no ${category} images.`);
  // Each image its own buffer: a view would copy its whole chunk to the worker.
  const probs = await predictor.predict(
    modelDataset(labeller),
    needed.map((t) => model(t)!.modelId),
    items.map((i) => dataset.images.image(i).slice()),
    backend,
  );
  const [all, level2, ...within] = needed as [Task, Task, ...Task[]];
  const row = (t: Task, i: number) => rowOf(probs[model(t)!.modelId], i)!;
  const pick = (t: Task, i: number) => {
    const p = row(t, i);
    const k = argmax(p);
    return { path: t.outputs[k]!, p: p[k]! };
  };
  const leafPaths = dataset.classes.filter((c) => c[0] === category);
  const leafIndex = (path: readonly string[]) => leafPaths.findIndex((c) => c.join('/') === path.join('/'));
  const combined: RoutePredictions = { items, truth: [], predictions: [], confidence: [], confusion: [] };
  const hierarchical: RoutePredictions = { items, truth: [], predictions: [], confidence: [], confusion: [] };
  const images: CompareImage[] = items.map((item, i) => {
    const truth = dataset.classes[dataset.labels[item]!]!;
    const all1 = pick(all, i);
    const gender = pick(level2, i);
    const value = gender.path[1]!;
    const branchTask = within.find((t) => t.level2 === value);
    const only = leafPaths.filter((c) => c[1] === value);
    const branch = branchTask ? pick(branchTask, i) : { path: only[0] ?? [category, value], p: 1 };
    for (const [r, path, p] of [
      [combined, all1.path, all1.p],
      [hierarchical, branch.path, gender.p * branch.p],
    ] as const) {
      r.truth.push(leafIndex(truth));
      r.predictions.push(leafIndex(path));
      r.confidence.push(p);
    }
    return { truth, combined: all1.path, level2: value, branch: branch.path };
  });
  for (const r of [combined, hierarchical])
    r.confusion = confusionMatrix(r.truth, r.predictions, leafPaths.length);
  return {
    ...compareRoutes(images),
    category,
    combinedTask: all.name,
    hierarchicalTasks: [level2, ...within].map((t) => t.name),
    leaves: leafPaths.map((c) => c.slice(1).join(' / ')),
    byRoute: { combined, hierarchical },
  };
}

/** The three-way comparison on the whole test split, as the Label step and the command line show it. */
export interface ThreeRoutesResult extends ThreeRouteComparison {
  /** The flat task's name ("Flat (all 17 leaves)"). */
  flatTask: string;
  /** The labeller's models it used, so that a retrained task shows the comparison is stale. */
  modelIds: string[];
}

/** Whether the labeller has every model the three routes need; else what is missing, in words. */
export function threeRoutesMissing(labeller: Labeller): string | null {
  const tasks = deriveTasks(labeller.classes);
  return threeRouteMissing(tasks, labeller.classes, (id) => labeller.models.some((m) => m.taskId === id));
}

/**
 * The flat model against both pipelines, image by image, on the dataset's whole test split: the study's points,
 * leaf accuracy, McNemar's exact test for each pair and where each route's errors come from.
 */
export async function compareThree(
  predictor: Predictor,
  dataset: { classes: string[][]; labels: readonly number[]; split: readonly number[]; images: ImageStore },
  labeller: Labeller,
  backend: BackendName | 'auto',
): Promise<ThreeRoutesResult> {
  const missing = threeRoutesMissing(labeller);
  if (missing) throw new Error(`${missing}.`);
  const tasks = deriveTasks(dataset.classes);
  const needed = threeRouteTasks(tasks, dataset.classes);
  const modelOf = new Map(
    needed.map((t) => [t.id, labeller.models.find((m) => m.taskId === t.id)!.modelId] as const),
  );
  const items: number[] = [];
  dataset.split.forEach((s, i) => s === TEST && items.push(i));
  if (!items.length) throw new Error('The test split has no images.');
  const ids = [...modelOf.values()];
  const probs = await predictor.predict(
    modelDataset(labeller),
    ids,
    items.map((i) => dataset.images.image(i).slice()),
    backend,
  );
  const images = items.map((item, i) =>
    threeRouteImage(tasks, dataset.classes, dataset.classes[dataset.labels[item]!]!, (taskId) =>
      rowOf(probs[modelOf.get(taskId) ?? ''], i),
    ),
  );
  return { ...compareThreeRoutes(images), flatTask: findFlatTask(tasks)!.name, modelIds: ids };
}

export async function modelZipBlob(
  storage: Pick<LabStorage, 'loadModel'>,
  run: RunRecord,
  task: Task,
  datasetClasses: string[][],
  resize: ResizePolicy,
): Promise<Blob> {
  const stored = await storage.loadModel(run.datasetId, run.id);
  if (!stored) throw new Error('This run has no stored model (it may not have fitted in storage).');
  const version = stored.generatedBy.match(/v([\d.]+)/)?.[1] ?? 'unknown';
  return new Blob([modelZip(stored, modelMetadata(run, task, datasetClasses, resize, version)) as BlobPart], {
    type: 'application/zip',
  });
}

export async function bundleBlob(storage: Pick<LabStorage, 'loadModel'>, labeller: Labeller): Promise<Blob> {
  const models = new Map<string, StoredModel>();
  for (const m of labeller.models) {
    const stored = await storage.loadModel(modelDataset(labeller), m.modelId);
    if (!stored) throw new Error(`The model of ${m.taskName} is no longer stored.`);
    models.set(m.modelId, stored);
  }
  return new Blob([bundleZip(labeller, models) as BlobPart], { type: 'application/zip' });
}

/**
 * Checks a labeller bundle or one model's zip: everything (sizes, JSON, weights, shapes, and loading with
 * tf.loadLayersModel in the prediction worker) before anything is stored, so a bad file leaves no trace.
 */
export async function readCheckedLabeller(
  predictor: Predictor,
  file: File,
  backend: BackendName | 'auto',
): Promise<ReturnType<typeof readLabellerZip>> {
  const read = readLabellerZip(new Uint8Array(await file.arrayBuffer()), file.name);
  await predictor.checkModelFiles(
    read.files,
    read.labeller.models.map((m) => m.outputs.length),
    backend,
  );
  return read;
}
