/**
 * Why a model decided: a saliency map over one image and the model's top classes. Grad-CAM weighs the last
 * convolution's feature maps by the mean gradient of the class score over each map (Selvaraju et al. 2017);
 * input gradients take, per pixel, the largest absolute gradient of the class score over the three channels
 * (Simonyan et al. 2014). Both run on the current backend with one read at the end, and dispose every tensor.
 */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_BYTES, IMAGE_CHANNELS, IMAGE_HEIGHT, IMAGE_WIDTH } from '../core/image';

export type SaliencyMethod = 'grad-cam' | 'input-gradient';

export interface SaliencyOptions {
  method?: SaliencyMethod;
  /** The output to explain; the predicted class when left out. */
  classIndex?: number;
  /** How many of the top classes to return (3 unless told). */
  top?: number;
}

export interface ClassProbability {
  index: number;
  probability: number;
}

export interface SaliencyMap {
  method: SaliencyMethod;
  /** The image's size: the map has one value per pixel, row-major, height × width. */
  width: number;
  height: number;
  /** In [0, 1], the strongest pixel at 1. */
  map: Float32Array;
  /** The output explained. */
  classIndex: number;
  /** The model's most probable outputs, most probable first. */
  top: ClassProbability[];
  /** False when no pixel raised the class's score (the map is all zero). */
  found: boolean;
}

const isConv = (l: tf.layers.Layer) => l.getClassName() === 'Conv2D';

function run(layers: readonly tf.layers.Layer[], x: tf.Tensor): tf.Tensor {
  return layers.reduce((t, l) => l.apply(t, { training: false }) as tf.Tensor, x);
}

/** The saliency map of `model` on one image (uint8 RGB, 120 × 90 × 3, as the lab stores images). */
export async function saliency(
  model: tf.LayersModel,
  pixels: Uint8Array,
  options: SaliencyOptions = {},
): Promise<SaliencyMap> {
  if (pixels.length !== IMAGE_BYTES)
    throw new Error(`an image has ${IMAGE_BYTES} bytes, not ${pixels.length}`);
  const method = options.method ?? 'grad-cam';
  const layers = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  let lastConv = -1;
  layers.forEach((l, i) => isConv(l) && (lastConv = i));
  if (method === 'grad-cam' && lastConv < 0) throw new Error('Grad-CAM needs a model with a convolution');
  const classes = (model.outputs[0]!.shape.at(-1) ?? 0) as number;
  const explain = options.classIndex;
  if (explain !== undefined && !(Number.isInteger(explain) && explain >= 0 && explain < classes))
    throw new Error(`the model has outputs 0 … ${classes - 1}, not ${explain}`);

  const packed = tf.tidy(() => {
    const x = tf.tensor4d(
      Float32Array.from(pixels, (v) => v / 255),
      [1, IMAGE_HEIGHT, IMAGE_WIDTH, IMAGE_CHANNELS],
    );
    const body = method === 'grad-cam' ? layers.slice(0, lastConv + 1) : [];
    const head = layers.slice(body.length);
    const features = run(body, x);
    const logits = run(head, features);
    const k = explain !== undefined ? tf.tensor1d([explain], 'int32') : logits.argMax(1).toInt();
    const mask = tf.oneHot(k, classes).toFloat();
    const score = (input: tf.Tensor) => run(head, input).mul(mask).sum();
    let raw: tf.Tensor;
    if (method === 'grad-cam') {
      const g = tf.grad(score)(features);
      const weights = g.mean([1, 2], true);
      const cam = tf.relu(features.mul(weights).sum(3, true)) as tf.Tensor4D;
      raw = tf.image.resizeBilinear(cam, [IMAGE_HEIGHT, IMAGE_WIDTH]);
    } else {
      raw = tf.grad(score)(features).abs().max(3);
    }
    const peak = raw.max();
    const map = raw.div(peak.maximum(1e-30));
    // Everything the caller needs in one read: class, peak, probabilities, the map.
    return tf.concat([k.toFloat(), peak.reshape([1]), tf.softmax(logits).reshape([-1]), map.reshape([-1])]);
  });
  const values = (await packed.data()) as Float32Array;
  packed.dispose();
  const probs = values.subarray(2, 2 + classes);
  const top = Array.from(probs, (probability, index) => ({ index, probability }))
    .sort((a, b) => b.probability - a.probability)
    .slice(0, options.top ?? 3);
  const found = values[1]! > 0;
  return {
    method,
    width: IMAGE_WIDTH,
    height: IMAGE_HEIGHT,
    map: found ? values.slice(2 + classes) : new Float32Array(IMAGE_WIDTH * IMAGE_HEIGHT),
    classIndex: values[0]!,
    top,
    found,
  };
}
