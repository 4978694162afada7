/** Class probabilities from stored models, for labelling new images and for the route comparison (the pixels come from the page). */
import * as tf from '@tensorflow/tfjs';
import type { BackendName } from '../core/backendChoice';
import { IMAGE_BYTES, IMAGE_CHANNELS, IMAGE_HEIGHT, IMAGE_WIDTH } from '../core/image';
import { loadModel } from '../data/runStore';
import { fillBatch, mirrorImage } from '../ml/batches';
import { saliency, type SaliencyMap, type SaliencyMethod } from '../ml/saliency';
import type { JobBackend } from './trainJob';

/** Run ids repeat across datasets: a model is known by both. */
const cacheKey = (datasetId: string, id: string) => JSON.stringify([datasetId, id]);

/** Stored models loaded once and kept (labelling a batch of images uses every task's model). */
export class Predictor {
  private readonly models = new Map<string, Promise<tf.LayersModel>>();

  constructor(private readonly backend: Pick<JobBackend, 'start'>) {}

  private modelFor(datasetId: string, id: string): Promise<tf.LayersModel> {
    const models = this.models;
    const key = cacheKey(datasetId, id);
    let m = models.get(key);
    if (!m) {
      m = (async () => {
        const stored = await loadModel(datasetId, id);
        if (!stored) throw new Error('A trained model is no longer stored; train its task again.');
        return tf.loadLayersModel(
          tf.io.fromMemory({
            modelTopology: stored.modelTopology as tf.io.ModelArtifacts['modelTopology'],
            weightSpecs: stored.weightSpecs,
            weightData: stored.weightData,
          }),
        );
      })();
      m.catch(() => models.delete(key));
      models.set(key, m);
    }
    return m;
  }

  /** Per model: probabilities, one row of class probabilities per image (row-major). */
  async predict(
    datasetId: string,
    modelIds: string[],
    pixels: Uint8Array[],
    backend: BackendName | 'auto',
  ): Promise<Record<string, { probs: Float32Array; classes: number }>> {
    await this.backend.start(backend);
    if (pixels.some((p) => p.length !== IMAGE_BYTES)) throw new Error('An image has the wrong size.');
    const source = { image: (i: number) => pixels[i]! };
    const items = pixels.map((_, i) => i);
    const out: Record<string, { probs: Float32Array; classes: number }> = {};
    const batch = 64;
    const buf = new Float32Array(batch * IMAGE_BYTES);
    for (const id of modelIds) {
      const model = await this.modelFor(datasetId, id);
      const classes = (model.outputs[0]!.shape.at(-1) as number) ?? 0;
      const probs = new Float32Array(items.length * classes);
      for (let start = 0; start < items.length; start += batch) {
        const pick = items.slice(start, start + batch);
        fillBatch(source, pick, Number.MAX_SAFE_INTEGER, buf);
        const p = tf.tidy(() => {
          const x = tf.tensor4d(buf.subarray(0, pick.length * IMAGE_BYTES), [
            pick.length,
            IMAGE_HEIGHT,
            IMAGE_WIDTH,
            IMAGE_CHANNELS,
          ]);
          return tf.softmax(model.predict(x) as tf.Tensor2D);
        });
        probs.set(await p.data(), start * classes);
        p.dispose();
      }
      out[id] = { probs, classes };
    }
    return out;
  }

  /**
   * Loads model files as they sit in a zip with tf.loadLayersModel and runs each on one image before anything is
   * kept: what it takes and gives, and that it gives finite probabilities. `name` says which file in messages.
   */
  async checkModelFiles(
    files: { modelJson: Uint8Array; weights: Uint8Array; name?: string }[],
    classes: number[],
    backend: BackendName | 'auto',
  ): Promise<void> {
    await this.backend.start(backend);
    for (const [i, f] of files.entries()) {
      const what = f.name ?? `Model ${i + 1}`;
      let model: tf.LayersModel;
      try {
        const json = JSON.parse(new TextDecoder().decode(f.modelJson)) as tf.io.ModelJSON;
        model = await tf.loadLayersModel(
          tf.io.fromMemory({
            modelTopology: json.modelTopology,
            weightSpecs: json.weightsManifest[0]!.weights,
            weightData: f.weights.slice().buffer,
          }),
        );
      } catch (e) {
        throw new Error(`${what}: TensorFlow.js cannot load it (${(e as Error).message}).`);
      }
      try {
        const input = model.inputs[0]!.shape.slice(1).join('×');
        const output = model.outputs[0]!.shape.at(-1);
        if (input !== `${IMAGE_HEIGHT}×${IMAGE_WIDTH}×${IMAGE_CHANNELS}`)
          throw new Error(`${what} takes ${input} images.`);
        if (output !== classes[i])
          throw new Error(`${what} has ${output} outputs for ${classes[i]} classes.`);
        const y = tf.tidy(() => {
          const x = tf.fill([1, IMAGE_HEIGHT, IMAGE_WIDTH, IMAGE_CHANNELS], 0.5);
          return tf.softmax(model.predict(x) as tf.Tensor2D);
        });
        const probs = await y.data();
        y.dispose();
        if (probs.length !== classes[i] || !probs.every(Number.isFinite))
          throw new Error(`${what} gives no finite probabilities for a grey image: its weights are broken.`);
      } finally {
        model.dispose();
      }
    }
  }

  /** Why a stored model decided on one image: its saliency map and top three classes. */
  async saliency(
    datasetId: string,
    modelId: string,
    pixels: Uint8Array,
    { method, mirror }: { method: SaliencyMethod; mirror: boolean },
    backend: BackendName | 'auto',
  ): Promise<SaliencyMap> {
    await this.backend.start(backend);
    const image = mirror ? mirrorImage(pixels, new Uint8Array(pixels.length)) : pixels;
    return saliency(await this.modelFor(datasetId, modelId), image, { method, top: 3 });
  }

  forgetModels(datasetId: string, ids: string[]): void {
    for (const key of ids.map((id) => cacheKey(datasetId, id))) {
      void this.models
        .get(key)
        ?.then((m) => m.dispose())
        .catch(() => undefined);
      this.models.delete(key);
    }
  }
}
