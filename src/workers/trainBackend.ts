/** Starts the training backend in the worker: the lab's choice from the browser's adapters, or the user's. */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import '@tensorflow/tfjs-backend-wasm';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { chooseBackend, type BackendChoice, type BackendName } from '../core/backendChoice';
import { probeBackends } from '../ml/probe';
import { registerWasmTrainingKernels } from '../ml/wasm/register';
import { locateBundledWasm } from './wasmFiles';

let wasmReady = false;

/**
 * WASM with the lab's gradient kernels. One thread unless asked: tfjs's threaded WASM build fails once bundled (its
 * pthread workers start from a blob that refers to symbols the bundle renamed: tensorflow/tfjs#4107).
 */
export function prepareWasm(threads = 1): void {
  if (wasmReady) return;
  wasmReady = true;
  locateBundledWasm();
  registerWasmTrainingKernels();
  if (threads > 1) setThreadsCount(threads);
  else tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
}

export async function startBackend(requested: BackendName | 'auto'): Promise<BackendChoice> {
  const choice: BackendChoice =
    requested === 'auto'
      ? chooseBackend(await probeBackends(1))
      : { backend: requested, label: requested.toUpperCase(), reason: 'chosen by you' };
  if (choice.backend === 'wasm') prepareWasm();
  if (tf.getBackend() === choice.backend) return choice;
  if (!(await tf.setBackend(choice.backend)) || tf.getBackend() !== choice.backend) {
    throw new Error(`The ${choice.backend.toUpperCase()} backend could not start in this browser.`);
  }
  return choice;
}
