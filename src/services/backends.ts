/** Asks the training worker what this browser offers and which backend the lab will train on. */
import * as Comlink from 'comlink';
import type { BackendChoice } from '../core/backendChoice';
import type { TrainWorkerApi } from '../workers/train.worker';

export async function detectBackend(): Promise<BackendChoice> {
  const worker = new Worker(new URL('../workers/train.worker.ts', import.meta.url), {
    type: 'module',
    name: 'train',
  });
  const api = Comlink.wrap<TrainWorkerApi>(worker);
  try {
    return (await api.probe()).choice;
  } finally {
    api[Comlink.releaseProxy]();
    worker.terminate();
  }
}
