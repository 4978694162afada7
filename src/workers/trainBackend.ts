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
  if (tf.getBackend() !== choice.backend) {
    if (!(await tf.setBackend(choice.backend)) || tf.getBackend() !== choice.backend)
      throw new Error(`The ${choice.backend.toUpperCase()} backend could not start in this browser.`);
  }
  watchGpu();
  return choice;
}

let lostReason: string | null = null;

interface GpuDeviceLike {
  lost: Promise<{ message?: string; reason?: string }>;
  destroy(): void;
}
const webglContext = () =>
  (tf.backend() as unknown as { gpgpu?: { gl?: WebGL2RenderingContext } }).gpgpu?.gl ?? null;
const webgpuDevice = () => (tf.backend() as unknown as { device?: GpuDeviceLike }).device ?? null;

/** Starts listening for the loss of the WebGPU device (WebGL is asked directly, see gpuLost). */
export function watchGpu(): void {
  lostReason = null;
  if (tf.getBackend() === 'webgpu')
    void webgpuDevice()?.lost.then((info) => {
      lostReason = `the WebGPU device was lost (${info.message || info.reason || 'no reason given'})`;
    });
}

/** Why the GPU backend can no longer be trusted, or null: a lost WebGL context or WebGPU device. */
export function gpuLost(): string | null {
  if (!lostReason && tf.getBackend() === 'webgl' && webglContext()?.isContextLost())
    lostReason = 'the WebGL context was lost';
  return lostReason;
}

/** After a GPU loss: the CPU path, which cannot be lost. */
export async function fallBackToWasm(): Promise<void> {
  prepareWasm();
  lostReason = null;
  if (!(await tf.setBackend('wasm'))) throw new Error('WASM could not start either.');
}

/** Fault injection for the end-to-end tests: what a driver reset or a GPU process crash does. */
export function loseGpu(): string {
  const backend = tf.getBackend();
  if (backend === 'webgl') webglContext()?.getExtension('WEBGL_lose_context')?.loseContext();
  else if (backend === 'webgpu') {
    const device = webgpuDevice();
    if (!device) return 'no WebGPU device to lose';
    device.destroy();
  } else return `nothing to lose on ${backend}`;
  return `lost ${backend}`;
}
