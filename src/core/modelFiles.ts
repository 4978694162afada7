/**
 * Trained models as files: tfjs' layers format (`model.json` + `weights.bin`, loadable with tf.loadLayersModel
 * as is) plus `metadata.json`, zipped (fflate). Reading a zip checks everything before anything is kept: declared
 * sizes before inflating, JSON shape, weight sizes against their specs, input and output shapes.
 */
import { strFromU8, strToU8, zipSync, type Unzipped } from 'fflate';
import * as v from 'valibot';
import { parseJsonText, parseWith } from './validate';
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

const isObject = (x: unknown): x is Record<string, unknown> =>
  !!x && typeof x === 'object' && !Array.isArray(x);

export function parseJson(files: Unzipped, name: string, where = ''): unknown {
  const data = files[name];
  if (!data) throw new ModelFileError(`${where}${name} is missing from the zip.`);
  return parseJsonText(strFromU8(data), `${where}${name}`, (m) => new ModelFileError(m));
}

const int = (min: number, max: number) => v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));
const name = v.pipe(v.string(), v.minLength(1), v.maxLength(500));
/** A size per axis, as Keras writes it: one number for both axes or one per axis. */
const pair = v.union([int(1, 4096), v.tuple([int(1, 4096), int(1, 4096)])]);
const padding = v.optional(v.picklist(['valid', 'same']));
const common = { name: v.optional(name), data_format: v.optional(v.literal('channels_last')) };
const inputShape = v.optional(v.tuple([v.null(), int(1, 4096), int(1, 4096), int(1, 4096)]));
/** The layer classes the lab builds (src/ml/model.ts); a model with any other is not one of the lab's. */
export const LAYER_CLASSES = ['Conv2D', 'MaxPooling2D', 'Flatten', 'Dense', 'Dropout'] as const;
const layer = <C extends string, E extends v.ObjectEntries>(className: C, entries: E) =>
  v.looseObject({
    class_name: v.literal(className),
    config: v.looseObject({ ...common, batch_input_shape: inputShape, ...entries }),
  });
const LayerSchema = v.variant(
  'class_name',
  [
    layer('Conv2D', {
      filters: int(1, 4096),
      kernel_size: pair,
      strides: v.optional(pair),
      padding,
      dilation_rate: v.optional(v.union([v.literal(1), v.tuple([v.literal(1), v.literal(1)])])),
      use_bias: v.optional(v.boolean()),
    }),
    layer('MaxPooling2D', { pool_size: pair, strides: v.optional(v.nullable(pair)), padding }),
    layer('Flatten', {}),
    layer('Dense', { units: int(1, 1 << 20), use_bias: v.optional(v.boolean()) }),
    layer('Dropout', { rate: v.pipe(v.number(), v.minValue(0), v.maxValue(1)) }),
  ],
  (issue) =>
    `${String(issue.received)} is a layer class the lab does not build (it builds ${LAYER_CLASSES.join(', ')}).`,
);
export const WeightSpecSchema = v.object({
  name,
  shape: v.pipe(v.array(int(0, 1e8)), v.maxLength(8)),
  dtype: v.picklist(['float32', 'int32']),
});
/** model.json as tfjs writes a Sequential of the lab's layers; unknown fields are kept as they are. */
export const ModelJsonSchema = v.looseObject({
  format: v.literal('layers-model'),
  generatedBy: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(500)))),
  modelTopology: v.looseObject({
    class_name: v.literal('Sequential'),
    config: v.looseObject({ layers: v.pipe(v.array(LayerSchema), v.minLength(1), v.maxLength(100)) }),
  }),
  weightsManifest: v.tuple([
    v.looseObject({
      paths: v.array(v.string()),
      weights: v.pipe(v.array(WeightSpecSchema), v.maxLength(1000)),
    }),
  ]),
});
export type ModelJson = v.InferOutput<typeof ModelJsonSchema>;
type Layer = v.InferOutput<typeof LayerSchema>;

/** The largest weight the lab reads, in values: its biggest model's dense kernel has 19.3 M. */
const MAX_WEIGHT_VALUES = 1 << 28;
const both = (x: number | [number, number]): [number, number] => (typeof x === 'number' ? [x, x] : x);
const out = (size: number, window: number, stride: number, pad: 'valid' | 'same' | undefined) =>
  pad === 'same' ? Math.ceil(size / stride) : Math.floor((size - window) / stride) + 1;

/** Each weight's shape as the layers need it (name → shape), following the image through the layers. */
function expectedWeights(layers: readonly Layer[], bad: (why: string) => Error): Map<string, number[]> {
  const want = new Map<string, number[]>();
  let shape: number[] = [...INPUT_SHAPE];
  layers.forEach((l, i) => {
    const id = `layer ${i + 1} (${l.config.name ?? 'unnamed'}, ${l.class_name})`;
    const named = (w: string) => `${l.config.name ?? ''}/${w}`;
    if (l.class_name === 'Conv2D' || l.class_name === 'MaxPooling2D') {
      if (shape.length !== 3) throw bad(`${id} follows a Flatten.`);
      const [h, w, c] = shape as [number, number, number];
      const [kh, kw] = both(l.class_name === 'Conv2D' ? l.config.kernel_size : l.config.pool_size);
      const [sh, sw] = both(l.config.strides ?? (l.class_name === 'Conv2D' ? 1 : [kh, kw]));
      shape = [out(h, kh, sh, l.config.padding), out(w, kw, sw, l.config.padding), c];
      if (shape[0]! < 1 || shape[1]! < 1)
        throw bad(`${id}: a ${kh}×${kw} window does not fit its ${h}×${w} input.`);
      if (l.class_name === 'Conv2D') {
        want.set(named('kernel'), [kh, kw, c, l.config.filters]);
        if (l.config.use_bias !== false) want.set(named('bias'), [l.config.filters]);
        shape[2] = l.config.filters;
      }
    } else if (l.class_name === 'Flatten') shape = [shape.reduce((a, b) => a * b, 1)];
    else if (l.class_name === 'Dense') {
      if (shape.length !== 1) throw bad(`${id} needs a Flatten before it.`);
      want.set(named('kernel'), [shape[0]!, l.config.units]);
      if (l.config.use_bias !== false) want.set(named('bias'), [l.config.units]);
      shape = [l.config.units];
    }
  });
  return want;
}

/** The first weight value that is NaN or infinite, in words, or null. */
function nonFinite(specs: readonly WeightSpec[], weights: Uint8Array): string | null {
  const aligned = weights.byteOffset % 4 ? weights.slice() : weights;
  let offset = 0;
  for (const s of specs) {
    const count = s.shape.reduce((a, b) => a * b, 1);
    if (s.dtype === 'float32') {
      const values = new Float32Array(aligned.buffer, aligned.byteOffset + offset * 4, count);
      for (let i = 0; i < count; i++)
        if (!Number.isFinite(values[i]!))
          return `${s.name} holds ${String(values[i])} (value ${i + 1} of ${count}); a trained model has finite weights.`;
    }
    offset += count;
  }
  return null;
}

/**
 * Checks a layers-format model before it is kept: model.json against its schema (the lab's layer classes only),
 * every weight's shape against what its layer needs, the weights' size and that every one is finite, the input shape
 * against the lab's images and the output units against the expected classes. Returns the model ready to store. A
 * weight the layers need but the manifest lacks is left to tf.loadLayersModel, which the page runs next.
 */
export function checkModel(
  modelJsonValue: unknown,
  weights: Uint8Array,
  classes: number,
  where: string,
): StoredModel {
  const bad = (why: string) => new ModelFileError(`${where}: ${why}`);
  if (!isObject(modelJsonValue) || modelJsonValue.format !== 'layers-model')
    throw bad('model.json is not a tfjs layers model.');
  const m = parseWith(ModelJsonSchema, modelJsonValue, `${where}: model.json`, (x) => new ModelFileError(x));
  const layers = m.modelTopology.config.layers;
  const first = layers[0]!.config.batch_input_shape;
  if (!first || first.slice(1).join() !== INPUT_SHAPE.join())
    throw bad(`the model does not take ${INPUT_SHAPE.join('×')} images.`);
  const last = layers.at(-1)!;
  const units = last.class_name === 'Dense' ? last.config.units : 'no dense';
  if (units !== classes) throw bad(`the model has ${units} outputs for ${classes} classes.`);
  const want = expectedWeights(layers, bad);
  const specs = m.weightsManifest[0].weights;
  const seen = new Set<string>();
  let bytes = 0;
  for (const s of specs) {
    const count = s.shape.reduce((a, b) => a * b, 1);
    if (count > MAX_WEIGHT_VALUES) throw bad(`weight ${s.name} declares ${count.toExponential(2)} values.`);
    const need = want.get(s.name);
    if (!need || seen.has(s.name))
      throw bad(`weight ${s.name} ${need ? 'is listed twice' : 'belongs to no layer of the model'}.`);
    if (need.join() !== s.shape.join()) {
      const layerName = s.name.slice(0, s.name.lastIndexOf('/'));
      const l = layers.find((x) => x.config.name === layerName)!;
      throw bad(
        `layer ${layerName} (${l.class_name}): its ${s.name.slice(layerName.length + 1)} is ` +
          `${s.shape.join('×')}; the layer needs ${need.join('×')}.`,
      );
    }
    seen.add(s.name);
    bytes += count * 4;
  }
  if (bytes !== weights.byteLength)
    throw bad(`the weights file has ${weights.byteLength} bytes but the model declares ${bytes}.`);
  const why = nonFinite(specs, weights);
  if (why) throw bad(`weights.bin: ${why}`);
  return {
    modelTopology: modelJsonValue.modelTopology,
    weightSpecs: specs,
    // A weights file that is a buffer of its own (a streamed zip's entry) is kept as it is: one 77 MB copy fewer.
    weightData:
      weights.byteOffset === 0 && weights.byteLength === weights.buffer.byteLength
        ? (weights.buffer as ArrayBuffer)
        : weights.slice().buffer,
    generatedBy: String(m.generatedBy ?? 'unknown'),
  };
}
