/** Starts the training backend in the worker: the lab's choice from the browser's adapters, or the user's. */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import '@tensorflow/tfjs-backend-wasm';
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { chooseBackend, type BackendChoice, type BackendName } from '../core/backendChoice';
import { probeBackends } from '../ml/probe';
import type { WasmHeapBackend } from '../ml/wasm/kernelUtil';
import { registerWasmTrainingKernels } from '../ml/wasm/register';
import { registerWebGpuTrainingKernels } from '../ml/webgpu/register';
import { simdKernels } from '../ml/wasm/simdKernels';
import { locateBundledWasm } from './wasmFiles';
import { availableWasmThreads, withWasmThreads } from './wasmThreads';

/** The WASM module's thread count, fixed when it first starts (one module per worker). */
let wasmThreads: number | null = null;
let wasmStarted = false;

/** Switches to WASM with the lab's gradient kernels, on every core it may use unless told otherwise. */
export async function switchToWasm(threads = availableWasmThreads()): Promise<boolean> {
  if (wasmThreads === null) {
    wasmThreads = threads;
    locateBundledWasm();
    registerWasmTrainingKernels();
    if (threads > 1) setThreadsCount(threads);
    else tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  }
  if (wasmStarted) return tf.setBackend('wasm');
  const ok = await withWasmThreads(wasmThreads, () => tf.setBackend('wasm'));
  wasmStarted = ok;
  // The SIMD kernels, and their helper threads, start now: the helpers load while the dataset does.
  if (ok) simdKernels(tf.backend() as WasmHeapBackend);
  return ok;
}

const threadsLabel = (n: number) => `${n} thread${n === 1 ? '' : 's'}`;

/** The page's decision for 'auto' (it may have timed the candidates, which a worker cannot see). */
let autoChoice: BackendChoice | null = null;

export function setAutoChoice(choice: BackendChoice | null): void {
  autoChoice = choice;
}

export async function startBackend(requested: BackendName | 'auto'): Promise<BackendChoice> {
  const choice: BackendChoice =
    requested !== 'auto'
      ? { backend: requested, label: requested.toUpperCase(), reason: 'chosen by you' }
      : autoChoice
        ? { ...autoChoice }
        : chooseBackend(await probeBackends(availableWasmThreads()));
  const started =
    tf.getBackend() === choice.backend ||
    (choice.backend === 'wasm' ? await switchToWasm() : await tf.setBackend(choice.backend));
  if (!started || tf.getBackend() !== choice.backend)
    throw new Error(`The ${choice.backend.toUpperCase()} backend could not start in this browser.`);
  if (choice.backend === 'webgpu') registerWebGpuTrainingKernels();
  watchGpu();
  // What the module really runs on, which the probe could only predict.
  if (choice.backend === 'wasm') choice.label = `WASM · ${threadsLabel(getThreadsCount())}`;
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
  lostReason = null;
  if (!(await switchToWasm())) throw new Error('WASM could not start either.');
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
