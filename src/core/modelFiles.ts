/**
 * Trained models as files: tfjs' layers format (`model.json` + `weights.bin`, loadable with tf.loadLayersModel
 * as is) plus `metadata.json`, zipped (fflate). Reading a zip checks everything before anything is kept: declared
 * sizes before inflating, JSON shape, weight sizes against their specs, input and output shapes.
 */
import { strFromU8, strToU8, zipSync, type Unzipped } from 'fflate';
import { unzipChecked } from './zip';
import { IMAGE_CHANNELS, IMAGE_HEIGHT, IMAGE_WIDTH, type ResizePolicy } from './image';
import type { ModelSpec, TrainSettings } from './models';

/** A trained model in tfjs' layers format (what `model.save` hands a custom handler). */
export interface StoredModel {
  modelTopology: unknown;
  weightSpecs: WeightSpec[];
  weightData: ArrayBuffer;
  /** tfjs version and backend it was trained with. */
  generatedBy: string;
}

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
}

export interface ModelMetadata {
  format: 'fashion-cnn-lab/model';
  version: 1;
  task: { id: string; name: string };
  /** Class names in output order, with their full label paths. */
  classes: string[];
  labelPaths: string[][];
  /** The dataset's classes (label paths): which task outputs mean what. */
  datasetClasses: string[][];
  inputShape: [number, number, number];
  preprocessing: { scale: string; resize: ResizePolicy; background: string; channels: string };
  model: ModelSpec;
  training: TrainSettings;
  metrics: {
    validationAccuracy: number | null;
    testAccuracy: number | null;
    epochs: number;
    bestEpoch: number;
  };
  tfjsVersion: string;
  backend: string;
  exportedAt: string;
}

export const INPUT_SHAPE: [number, number, number] = [IMAGE_HEIGHT, IMAGE_WIDTH, IMAGE_CHANNELS];

/** The `model.json` tfjs writes for a model saved to files. */
export function modelJson(m: StoredModel, weightsPath = 'weights.bin') {
  return {
    format: 'layers-model',
    generatedBy: m.generatedBy,
    convertedBy: null,
    modelTopology: m.modelTopology,
    weightsManifest: [{ paths: [weightsPath], weights: m.weightSpecs }],
  };
}

export const json = (value: unknown) => strToU8(JSON.stringify(value, null, 1));

export function modelZip(m: StoredModel, metadata: ModelMetadata): Uint8Array {
  return zipSync({
    'model.json': json(modelJson(m)),
    'weights.bin': new Uint8Array(m.weightData),
    'metadata.json': json(metadata),
  });
}

/** A file that cannot be imported, with the reason in words. */
export class ModelFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelFileError';
  }
}

/** Unzips after checking declared sizes (see zip.ts), with errors as ModelFileError. */
export const safeUnzip = (bytes: Uint8Array): Unzipped => unzipChecked(bytes, (m) => new ModelFileError(m));

export function parseJson(files: Unzipped, name: string): unknown {
  const data = files[name];
  if (!data) throw new ModelFileError(`${name} is missing from the zip.`);
  try {
    return JSON.parse(strFromU8(data));
  } catch {
    throw new ModelFileError(`${name} is not valid JSON.`);
  }
}

const isObject = (x: unknown): x is Record<string, unknown> =>
  !!x && typeof x === 'object' && !Array.isArray(x);
const isShape = (x: unknown): x is number[] =>
  Array.isArray(x) && x.every((d) => Number.isInteger(d) && d >= 0 && d < 1e8);

/**
 * Checks a layers-format model: its weight specs against the bytes given, the input shape against the lab's images
 * and the output units against the expected classes. Returns the model ready to store.
 */
export function checkModel(
  modelJsonValue: unknown,
  weights: Uint8Array,
  classes: number,
  where: string,
): StoredModel {
  const bad = (why: string) => new ModelFileError(`${where}: ${why}`);
  if (
    !isObject(modelJsonValue) ||
    modelJsonValue.format !== 'layers-model' ||
    !isObject(modelJsonValue.modelTopology)
  )
    throw bad('model.json is not a tfjs layers model.');
  const manifest = modelJsonValue.weightsManifest;
  if (
    !Array.isArray(manifest) ||
    manifest.length !== 1 ||
    !isObject(manifest[0]) ||
    !Array.isArray(manifest[0].weights)
  )
    throw bad('model.json has no weights manifest.');
  const specs = manifest[0].weights as unknown[];
  let bytes = 0;
  for (const s of specs) {
    if (
      !isObject(s) ||
      typeof s.name !== 'string' ||
      !isShape(s.shape) ||
      (s.dtype !== 'float32' && s.dtype !== 'int32')
    )
      throw bad('a weight has a malformed name, shape or type.');
    bytes += s.shape.reduce((a, b) => a * b, 1) * 4;
  }
  if (bytes !== weights.byteLength)
    throw bad(`the weights file has ${weights.byteLength} bytes but the model declares ${bytes}.`);
  const topology = modelJsonValue.modelTopology as { config?: { layers?: unknown[] } };
  const layers = topology.config?.layers;
  if (!Array.isArray(layers) || !layers.length) throw bad('the model has no layers.');
  const first = (layers[0] as { config?: { batch_input_shape?: unknown } }).config?.batch_input_shape;
  if (!Array.isArray(first) || first.slice(1).join() !== INPUT_SHAPE.join())
    throw bad(`the model does not take ${INPUT_SHAPE.join('×')} images.`);
  const last = (layers.at(-1) as { config?: { units?: unknown } }).config?.units;
  if (last !== classes) throw bad(`the model has ${String(last)} outputs for ${classes} classes.`);
  return {
    modelTopology: modelJsonValue.modelTopology,
    weightSpecs: specs as WeightSpec[],
    weightData: weights.slice().buffer,
    generatedBy: String(modelJsonValue.generatedBy ?? 'unknown'),
  };
}
