/**
 * The one place that creates the lab's workers, and the worker host the Lab is built with: decoder pools, the
 * demo drawers, training workers and the prediction worker, behind comlink (event sinks proxied across).
 */
import * as Comlink from 'comlink';
import type { Predictor, TrainerHandle, WorkerHandle, WorkerHost } from '../lab/deps';
import { DecodePool } from '../services/decodePool';
import { drawDemo } from '../services/demo';
import type { PredictWorkerApi } from '../workers/predict.worker';
import type { TrainWorkerApi } from '../workers/train.worker';

export const spawnTrainWorker = () =>
  new Worker(new URL('../workers/train.worker.ts', import.meta.url), { type: 'module', name: 'train' });
const spawnPredictWorker = () =>
  new Worker(new URL('../workers/predict.worker.ts', import.meta.url), { type: 'module', name: 'predict' });
const spawnIngestWorker = () =>
  new Worker(new URL('../workers/ingest.worker.ts', import.meta.url), { type: 'module', name: 'ingest' });
const spawnDemoWorker = () =>
  new Worker(new URL('../workers/demo.worker.ts', import.meta.url), { type: 'module', name: 'demo' });

function trainer(onCrash: (reason: string) => void): TrainerHandle {
  const worker = spawnTrainWorker();
  worker.addEventListener('error', (e) => onCrash(e.message));
  const remote = Comlink.wrap<TrainWorkerApi>(worker);
  return {
    api: {
      setAutoChoice: (choice) => remote.setAutoChoice(choice),
      startJob: (job, onEvent) => remote.startJob(job, Comlink.proxy(onEvent)),
      resumeJob: (datasetId, jobId, onEvent) => remote.resumeJob(datasetId, jobId, Comlink.proxy(onEvent)),
      stop: () => remote.stop(),
      probe: () => remote.probe(),
      benchmark: (req) => remote.benchmark(req),
    },
    terminate() {
      remote[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}

function predictor(onCrash: (reason: string) => void): WorkerHandle<Predictor> {
  const worker = spawnPredictWorker();
  worker.addEventListener('error', (e) => onCrash(e.message));
  const remote = Comlink.wrap<PredictWorkerApi>(worker);
  return {
    api: {
      setAutoChoice: (choice) => remote.setAutoChoice(choice),
      predict: (datasetId, ids, pixels, backend) => remote.predict(datasetId, ids, pixels, backend),
      checkModelFiles: (files, classes, backend) => remote.checkModelFiles(files, classes, backend),
      forgetModels: (datasetId, ids) => remote.forgetModels(datasetId, ids),
      saliency: (datasetId, id, pixels, options, backend) =>
        remote.saliency(datasetId, id, pixels, options, backend),
    },
    terminate() {
      remote[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}

// The lab build's fault tests pace imports (?importPace=ms per batch); the production build has no such knob.
const importPaceMs =
  import.meta.env.MODE === 'lab' ? Number(new URLSearchParams(location.search).get('importPace')) || 0 : 0;

export const workerHost: WorkerHost = {
  decoder: (size) => new DecodePool(spawnIngestWorker, size, importPaceMs),
  trainer,
  predictor,
  drawDemo: (perClass, seed, onProgress, signal) =>
    drawDemo(spawnDemoWorker, perClass, seed, onProgress, signal),
};
