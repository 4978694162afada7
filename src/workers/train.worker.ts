/** The training worker. For now: a training-speed benchmark on a chosen backend (see bench:train). */
import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import '@tensorflow/tfjs-backend-wasm';
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { IMAGE_BYTES } from '../core/image';
import { layersOf, type ModelSpec } from '../core/models';
import { buildModel } from '../ml/model';
import { trainModel } from '../ml/train';
import { registerWasmTrainingKernels } from '../ml/wasm/register';
import { probeBackends } from '../ml/probe';
import { chooseBackend, type BackendChoice, type BackendProbe } from '../core/backendChoice';
import { locateBundledWasm } from './wasmFiles';

export interface TrainBenchRequest {
  backend: 'wasm' | 'webgl' | 'webgpu' | 'cpu';
  /** WASM threads; set before the backend starts (one backend per worker). */
  threads?: number;
  spec: ModelSpec;
  classes: number;
  batchSize: number;
  /** Batches timed after the first one, which pays for start-up (shader compilation, allocation). */
  batches: number;
}

export interface TrainBenchResult {
  backend: string;
  samplesPerSecond: number;
  /** From the request to the end of the first batch: backend start, model build, shader compilation. */
  warmUpSeconds: number;
  details: Record<string, string | number | boolean>;
}

async function backendDetails(name: string): Promise<Record<string, string | number | boolean>> {
  if (name === 'wasm') return { threads: getThreadsCount(), crossOriginIsolated };
  const probe = await probeBackends();
  if (name === 'webgpu') return { ...probe.webgpu } as Record<string, string | number | boolean>;
  if (name === 'webgl') return { renderer: probe.webgl.renderer ?? '?' };
  return {};
}

const api = {
  /** What this browser offers, and the backend the lab would choose (one thread of WASM: see below). */
  async probe(): Promise<{ probe: BackendProbe; choice: BackendChoice }> {
    const probe = await probeBackends(1);
    return { probe, choice: chooseBackend(probe) };
  },

  async benchmark(req: TrainBenchRequest): Promise<TrainBenchResult> {
    const started = performance.now();
    if (req.backend === 'wasm') {
      locateBundledWasm();
      registerWasmTrainingKernels();
      // tfjs's threaded WASM build fails once bundled (its pthread workers are started from a blob that refers to
      // symbols the bundle renamed: tensorflow/tfjs#4107), so one thread unless threads are asked for.
      if (req.threads && req.threads > 1) setThreadsCount(req.threads);
      else tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    }
    if (!(await tf.setBackend(req.backend)) || tf.getBackend() !== req.backend) {
      throw new Error(`backend ${req.backend} is not available here`);
    }
    const n = req.batchSize * (req.batches + 1);
    const images = Array.from({ length: n }, (_, i) =>
      Uint8Array.from({ length: IMAGE_BYTES }, (_, p) => (p * 31 + i * 17) % 256),
    );
    const source = { image: (i: number) => images[i]! };
    const split = {
      items: Int32Array.from({ length: n }, (_, k) => k),
      labels: Int32Array.from({ length: n }, (_, k) => k % req.classes),
    };
    const model = buildModel(layersOf(req.spec, req.classes), 1);
    const stamps: number[] = [];
    await trainModel(
      model,
      source,
      split,
      { items: Int32Array.of(0), labels: Int32Array.of(0) },
      req.classes,
      { epochs: 1, batchSize: req.batchSize, learningRate: 0.001, patience: 9, flip: false, seed: 1 },
      { onBatch: () => void stamps.push(performance.now()) },
    );
    model.dispose();
    const timed = (stamps.at(-1)! - stamps[0]!) / 1000;
    return {
      backend: tf.getBackend(),
      samplesPerSecond: (req.batches * req.batchSize) / timed,
      warmUpSeconds: (stamps[0]! - started) / 1000,
      details: await backendDetails(req.backend),
    };
  },
};

export type TrainWorkerApi = typeof api;
Comlink.expose(api);
