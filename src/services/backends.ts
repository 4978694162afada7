/**
 * Which backend the lab trains on: the training worker probes the browser's adapters, and where the probe leaves
 * a doubt (see timingCandidates) each candidate trains a few steps in a worker of its own, under a time limit. A
 * timing is remembered per device, so it runs once. The decision goes to the training worker for 'auto' jobs.
 */
import * as Comlink from 'comlink';
import {
  chooseByTiming,
  deviceSignature,
  timingCandidates,
  type BackendChoice,
  type BackendName,
  type BackendProbe,
  type BackendTiming,
} from '../core/backendChoice';
import type { TrainWorkerApi } from '../workers/train.worker';

/** Each candidate's budget: start-up (shader compilation on a GPU) and three steps of 32. */
export const TIMING_BUDGET_MS = 10_000;
const TIMINGS_KEY = 'fashion-cnn-lab:backend-timings';

async function withWorker<T>(call: (api: Comlink.Remote<TrainWorkerApi>) => Promise<T>): Promise<T> {
  const worker = new Worker(new URL('../workers/train.worker.ts', import.meta.url), {
    type: 'module',
    name: 'train',
  });
  const api = Comlink.wrap<TrainWorkerApi>(worker);
  try {
    return await call(api);
  } finally {
    api[Comlink.releaseProxy]();
    worker.terminate();
  }
}

const probe = () => withWorker((api) => api.probe());

/** One short training run of the study's primary model on `backend`, in a worker that is dropped afterwards. */
async function timeOne(backend: BackendName, p: BackendProbe): Promise<BackendTiming> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<BackendTiming>((resolve) => {
    const failure = `no step within ${TIMING_BUDGET_MS / 1000} s`;
    timer = setTimeout(() => resolve({ backend, samplesPerSecond: null, failure }), TIMING_BUDGET_MS);
  });
  const timed = (api: Comlink.Remote<TrainWorkerApi>) =>
    api
      .benchmark({
        backend,
        threads: backend === 'wasm' ? p.wasm.threads : undefined,
        spec: { family: 'model2', filters: 32, kernel1: 3, kernel2: 3, dense: 0, dropout: 0 },
        classes: 3,
        batchSize: 32,
        batches: 2,
      })
      .then((r): BackendTiming => ({ backend, samplesPerSecond: r.samplesPerSecond }));
  try {
    // The worker is dropped as soon as the race ends, which also stops a step still compiling past its time.
    return await withWorker((api) => Promise.race([timed(api), late]));
  } catch (e) {
    return { backend, samplesPerSecond: null, failure: `failed (${(e as Error)?.message ?? String(e)})` };
  } finally {
    clearTimeout(timer);
  }
}

interface StoredTimings {
  signature: string;
  timings: BackendTiming[];
}

function rememberedTimings(p: BackendProbe): BackendTiming[] | null {
  try {
    const stored = JSON.parse(
      globalThis.localStorage?.getItem(TIMINGS_KEY) ?? 'null',
    ) as StoredTimings | null;
    return stored?.signature === deviceSignature(p) ? stored.timings : null;
  } catch {
    return null;
  }
}

function rememberTimings(p: BackendProbe, timings: BackendTiming[]) {
  try {
    const stored: StoredTimings = { signature: deviceSignature(p), timings };
    globalThis.localStorage?.setItem(TIMINGS_KEY, JSON.stringify(stored));
  } catch {
    // Without storage the timing lasts for this visit.
  }
}

async function timeAndChoose(
  p: BackendProbe,
  candidates: BackendName[],
  onStatus: (s: string) => void,
): Promise<BackendChoice> {
  const names = candidates.map((c) => (c === 'wasm' ? 'WASM' : c === 'webgl' ? 'WebGL' : 'WebGPU'));
  onStatus(`Timing ${names.join(' against ')} with a short training run (once on this device)…`);
  const timings: BackendTiming[] = [];
  for (const c of candidates) timings.push(await timeOne(c, p));
  rememberTimings(p, timings);
  return chooseByTiming(p, timings);
}

let decision: Promise<BackendChoice> | null = null;

/** The lab's choice for this browser: a timing's remembered for this device, else the probe's unless in doubt. */
export function detectBackend(onStatus: (s: string) => void = () => {}): Promise<BackendChoice> {
  decision ??= (async () => {
    const { probe: p, choice } = await probe();
    const known = rememberedTimings(p);
    if (known) return chooseByTiming(p, known);
    const candidates = timingCandidates(p);
    return candidates ? timeAndChoose(p, candidates, onStatus) : choice;
  })();
  decision.catch(() => (decision = null));
  return decision;
}

/** Times every backend this browser offers (the user asked), remembers it, and makes the fastest the choice. */
export function timeEveryBackend(onStatus: (s: string) => void): Promise<BackendChoice> {
  decision = (async () => {
    const { probe: p } = await probe();
    const candidates: BackendName[] = [];
    // WASM first: a GPU still compiling shaders after its time is up would slow whatever runs next.
    if (p.wasm.available) candidates.push('wasm');
    if (p.webgpu.available) candidates.push('webgpu');
    if (p.webgl.available) candidates.push('webgl');
    return timeAndChoose(p, candidates, onStatus);
  })();
  decision.catch(() => (decision = null));
  return decision;
}

/** The decided choice for 'auto' jobs, or null while none could be made (the worker then probes by itself). */
export async function decidedBackend(): Promise<BackendChoice | null> {
  return (decision ?? detectBackend()).catch(() => null);
}
