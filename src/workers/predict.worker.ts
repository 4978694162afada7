/**
 * The prediction worker: stored models on images the page sends (labelling, the route comparison), and model files
 * checked with tf.loadLayersModel before they are stored. Its own backend, so labelling never waits on a training
 * job's tfjs state.
 */
import * as Comlink from 'comlink';
import type { BackendChoice, BackendName } from '../core/backendChoice';
import type { SaliencyMethod } from '../ml/saliency';
import { Predictor } from './predict';
import { TrainBackend } from './trainBackend';

const backend = new TrainBackend();
const predictor = new Predictor(backend);

const api = {
  /** The page's choice for predictions on 'auto' (null: probe here). */
  setAutoChoice(choice: BackendChoice | null): void {
    backend.setAutoChoice(choice);
  },

  /** Class probabilities of the given stored models on the given images. */
  predict(datasetId: string, modelIds: string[], pixels: Uint8Array[], requested: BackendName | 'auto') {
    return predictor.predict(datasetId, modelIds, pixels, requested);
  },

  /** Loads model files as they are with tf.loadLayersModel and runs them on one image; throws when they do not fit. */
  checkModelFiles(
    files: { modelJson: Uint8Array; weights: Uint8Array; name?: string }[],
    classes: number[],
    requested: BackendName | 'auto',
  ) {
    return predictor.checkModelFiles(files, classes, requested);
  },

  /** A stored model's saliency map on one image, and its top three classes (the map's buffer transferred). */
  async saliency(
    datasetId: string,
    modelId: string,
    pixels: Uint8Array,
    options: { method: SaliencyMethod; mirror: boolean },
    requested: BackendName | 'auto',
  ) {
    const s = await predictor.saliency(datasetId, modelId, pixels, options, requested);
    return Comlink.transfer(s, [s.map.buffer]);
  },

  forgetModels(datasetId: string, ids: string[]): void {
    predictor.forgetModels(datasetId, ids);
  },
};

export type PredictWorkerApi = typeof api;
Comlink.expose(api);
