/**
 * The training worker: training jobs (see trainJob.ts), the backend probe, the training-speed benchmark and the
 * kernel self-checks. Predictions run in the prediction worker (predict.worker.ts).
 */
import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import '@tensorflow/tfjs-backend-wasm';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { countTraining, timeTraining } from '../ml/trainBench';
import { registerWebGpuTrainingKernels } from '../ml/webgpu/register';
import { checkWebGpuKernels, type WebGpuCheck } from '../ml/webgpu/selfCheck';
import { profileStep } from '../ml/stepProfile';
import type { WasmHeapBackend } from '../ml/wasm/kernelUtil';
import { checkWasmKernels, type KernelCheck } from '../ml/wasm/selfCheck';
import { simdKernels } from '../ml/wasm/simdKernels';
import { poolWidth, allowSimdHelpers, simdHelpersStarted } from '../ml/wasm/simdPool';
import { probeBackends } from '../ml/probe';
import { chooseBackend, type BackendChoice, type BackendProbe } from '../core/backendChoice';
import type { JobRecord } from '../core/runs';
import * as runStore from '../data/runStore';
import { loseGpu, TrainBackend } from './trainBackend';
import { OpenDataset } from './openDataset';
import { yieldToEvents } from './yieldToEvents';
import { availableWasmThreads } from './wasmThreads';
import type { TrainEventSink } from './trainEvents';
import type { TrainBenchRequest, TrainBenchResult } from './trainTypes';

export type { TrainBenchRequest, TrainBenchResult };
import { JobRunner } from './trainJob';

async function backendDetails(name: string): Promise<Record<string, string | number | boolean>> {
  if (name === 'wasm') return { threads: getThreadsCount(), simdParts: poolWidth(), crossOriginIsolated };
  const probe = await probeBackends();
  if (name === 'webgpu') return { ...probe.webgpu } as Record<string, string | number | boolean>;
  if (name === 'webgl') return { renderer: probe.webgl.renderer ?? '?' };
  return {};
}

// One backend, one open dataset and one job at a time in this worker.
const trainBackend = new TrainBackend();
const datasets = new OpenDataset();
const jobs = new JobRunner({
  store: runStore,
  backend: trainBackend,
  openDataset: (id) => datasets.get(id),
});

const api = {
  /** Trains every run of a new job; resolves with the job as it ended (done, stopped or failed). */
  startJob(job: JobRecord, emit: TrainEventSink): Promise<JobRecord> {
    return jobs.runJob(job, emit);
  },

  /** Continues a stored job: finished runs are kept, an interrupted run resumes from its last epoch. */
  resumeJob(datasetId: string, jobId: string, emit: TrainEventSink): Promise<JobRecord> {
    return jobs.resumeJob(datasetId, jobId, emit);
  },

  /** Stops the job in progress between two batches; the run keeps its best weights so far. */
  stop(): void {
    jobs.requestStop();
  },

  /** The page's choice for jobs and predictions on 'auto' (null: probe here). */
  setAutoChoice(choice: BackendChoice | null): void {
    trainBackend.setAutoChoice(choice);
  },

  /** What this browser offers, and the backend the lab would choose. */
  async probe(): Promise<{ probe: BackendProbe; choice: BackendChoice }> {
    const probe = await probeBackends(availableWasmThreads());
    return { probe, choice: chooseBackend(probe) };
  },

  /** For the end-to-end tests: WASM's kernels against the CPU backend here, with this browser's threads. */
  async checkWasmKernels(): Promise<KernelCheck & { threads: number }> {
    if (!(await trainBackend.switchToWasm())) throw new Error('WASM could not start');
    simdKernels(tf.backend() as WasmHeapBackend); // starts the helpers, which answer once they have started
    await simdHelpersStarted(5000);
    return { ...(await checkWasmKernels()), threads: getThreadsCount() };
  },

  /** For the end-to-end tests: the lab's WebGPU kernels, batches and loop against the CPU backend here. */
  async checkWebGpuKernels(): Promise<WebGpuCheck> {
    registerWebGpuTrainingKernels();
    return checkWebGpuKernels();
  },

  async benchmark(req: TrainBenchRequest): Promise<TrainBenchResult> {
    const started = performance.now();
    allowSimdHelpers(req.simdHelpers ?? true);
    const ok =
      req.backend === 'wasm'
        ? await trainBackend.switchToWasm(req.threads ?? 1)
        : await tf.setBackend(req.backend);
    if (!ok || tf.getBackend() !== req.backend) {
      throw new Error(`backend ${req.backend} is not available here`);
    }
    if (req.backend === 'webgpu') registerWebGpuTrainingKernels();
    const counts = req.counts
      ? await countTraining({
          spec: req.spec,
          classes: req.classes,
          stock: req.stock,
          kernelsBatchSize: req.batchSize,
          afterBatch: yieldToEvents,
        })
      : undefined;
    const timing = req.noTiming
      ? { samplesPerSecond: 0, warmUpSeconds: 0, phases: undefined }
      : await timeTraining({
          spec: req.spec,
          classes: req.classes,
          batchSize: req.batchSize,
          batches: req.batches,
          // As in the lab's jobs: the event loop runs between batches (and the SIMD helpers can start).
          afterBatch: yieldToEvents,
          startedAt: started,
          stock: req.stock,
          readEvery: req.readEvery,
          waitForReads: req.waitForReads,
          unfused: req.unfused,
        });
    return {
      backend: tf.getBackend(),
      samplesPerSecond: timing.samplesPerSecond,
      warmUpSeconds: timing.warmUpSeconds,
      phases: timing.phases,
      details: await backendDetails(req.backend),
      profile: req.profile ? await profileStep(req.spec, req.classes) : undefined,
      counts,
    };
  },
};

export type TrainWorkerApi = typeof api;
// For the fault-injection tests (e2e/faults.spec.ts), reached through Playwright's worker handle; only in the
// build the tests use (vite.config.ts, LAB_TOOLS_MODE).
if (import.meta.env.MODE === 'lab') (self as unknown as { labFaults: unknown }).labFaults = { loseGpu };
Comlink.expose(api);
