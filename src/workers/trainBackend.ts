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
import { simdHelpersStarted } from '../ml/wasm/simdPool';
import { locateBundledWasm } from './wasmFiles';
import type { JobBackend } from './trainJob';
import { availableWasmThreads, withWasmThreads } from './wasmThreads';

const threadsLabel = (n: number) => `${n} thread${n === 1 ? '' : 's'}`;

interface GpuDeviceLike {
  lost: Promise<{ message?: string; reason?: string }>;
  destroy(): void;
}
const webglContext = () =>
  (tf.backend() as unknown as { gpgpu?: { gl?: WebGL2RenderingContext } }).gpgpu?.gl ?? null;
const webgpuDevice = () => (tf.backend() as unknown as { device?: GpuDeviceLike }).device ?? null;

/** The worker's tfjs backend (one per worker: tfjs' backend and the WASM module are per thread). */
export class TrainBackend implements JobBackend {
  /** The WASM module's thread count, fixed when it first starts (one module per worker). */
  private wasmThreads: number | null = null;
  private wasmStarted = false;
  /** The page's decision for 'auto' (it may have timed the candidates, which a worker cannot see). */
  private autoChoice: BackendChoice | null = null;
  private lostReason: string | null = null;

  /** Switches to WASM with the lab's gradient kernels, on every core it may use unless told otherwise. */
  async switchToWasm(threads = availableWasmThreads()): Promise<boolean> {
    if (this.wasmThreads === null) {
      this.wasmThreads = threads;
      locateBundledWasm();
      registerWasmTrainingKernels();
      if (threads > 1) setThreadsCount(threads);
      else tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    }
    if (this.wasmStarted) return tf.setBackend('wasm');
    const ok = await withWasmThreads(this.wasmThreads, () => tf.setBackend('wasm'));
    this.wasmStarted = ok;
    // The SIMD kernels and their helper threads start now; the first batches would otherwise run on one thread.
    if (ok && simdKernels(tf.backend() as WasmHeapBackend)) await simdHelpersStarted();
    return ok;
  }

  setAutoChoice(choice: BackendChoice | null): void {
    this.autoChoice = choice;
  }

  async start(requested: BackendName | 'auto'): Promise<BackendChoice> {
    const choice: BackendChoice =
      requested !== 'auto'
        ? { backend: requested, label: requested.toUpperCase(), reason: 'chosen by you' }
        : this.autoChoice
          ? { ...this.autoChoice }
          : chooseBackend(await probeBackends(availableWasmThreads()));
    const started =
      tf.getBackend() === choice.backend ||
      (choice.backend === 'wasm' ? await this.switchToWasm() : await tf.setBackend(choice.backend));
    if (!started || tf.getBackend() !== choice.backend)
      throw new Error(`The ${choice.backend.toUpperCase()} backend could not start in this browser.`);
    if (choice.backend === 'webgpu') registerWebGpuTrainingKernels();
    this.watchGpu();
    // What the module really runs on, which the probe could only predict.
    if (choice.backend === 'wasm') choice.label = this.wasmLabel();
    return choice;
  }

  /** Starts listening for the loss of the WebGPU device (WebGL is asked directly, see gpuLost). */
  private watchGpu(): void {
    this.lostReason = null;
    if (tf.getBackend() === 'webgpu')
      void webgpuDevice()?.lost.then((info) => {
        this.lostReason = `the WebGPU device was lost (${info.message || info.reason || 'no reason given'})`;
      });
  }

  /** Why the GPU backend can no longer be trusted, or null: a lost WebGL context or WebGPU device. */
  gpuLost(): string | null {
    if (!this.lostReason && tf.getBackend() === 'webgl' && webglContext()?.isContextLost())
      this.lostReason = 'the WebGL context was lost';
    return this.lostReason;
  }

  /** After a GPU loss: the CPU path, which cannot be lost; its label for the badge ("WASM · 2 threads"). */
  async fallBackToWasm(): Promise<string> {
    this.lostReason = null;
    if (!(await this.switchToWasm())) throw new Error('WASM could not start either.');
    return this.wasmLabel();
  }

  /** The badge's label for WASM as the module really runs ("WASM · 2 threads"), once it has started. */
  wasmLabel(): string {
    return `WASM · ${threadsLabel(getThreadsCount())}`;
  }
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
