/** The training benchmark page: one backend, one model, in the training worker; the result as JSON. */
import * as Comlink from 'comlink';
import { BENCH_MODELS } from '../core/benchModels';
import type { TrainBenchRequest, TrainWorkerApi } from '../workers/train.worker';
import { spawnTrainWorker } from './workers';

const MODELS: Record<string, (typeof BENCH_MODELS)['small']> = BENCH_MODELS;

const q = new URLSearchParams(location.search);
const model = MODELS[q.get('model') ?? 'small'] ?? MODELS.small!;
const request: TrainBenchRequest = {
  backend: (q.get('backend') ?? 'wasm') as TrainBenchRequest['backend'],
  threads: Number(q.get('threads')) || undefined,
  spec: model.spec,
  classes: model.classes,
  batchSize: 64,
  batches: Number(q.get('batches')) || 3,
  profile: q.has('profile'),
  simdHelpers: !q.has('no-helpers'),
  stock: q.has('stock'),
  counts: q.has('counts'),
  noTiming: q.has('no-timing'),
  readEvery: Number(q.get('read-every')) || undefined,
  waitForReads: q.has('no-wait') ? false : undefined,
  unfused: q.has('unfused'),
};
const out = document.getElementById('result')!;
const worker = spawnTrainWorker();
const api = Comlink.wrap<TrainWorkerApi>(worker);
// ?check: the WASM kernels against the CPU backend in this browser, threads and helpers included (e2e/kernels);
// ?check=webgpu: the WebGPU kernels, batches and loop; ?probe: what the training worker finds (bench:train asks
// which GPU backends are software ones here).
const check = q.get('check');
(q.has('probe')
  ? api.probe()
  : check === 'webgpu'
    ? api.checkWebGpuKernels()
    : check !== null
      ? api.checkWasmKernels()
      : api.benchmark(request)
)
  .then((result) => ({ ok: true, request, result }))
  .catch((e: unknown) => ({ ok: false, request, error: (e as Error)?.message ?? String(e) }))
  .then((report) => {
    (window as unknown as { __bench: unknown }).__bench = report;
    out.textContent = JSON.stringify(report, null, 2);
  });
