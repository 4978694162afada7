/**
 * Which backend the lab trains on: a training worker probes the browser's adapters, and where the probe leaves a
 * doubt (see timingCandidates) each candidate trains a few steps in a worker of its own, under a time limit. A
 * timing is remembered per device, so it runs once. The decision goes to the training worker for 'auto' jobs.
 */
import {
  chooseByTiming,
  deviceSignature,
  timingCandidates,
  type BackendChoice,
  type BackendName,
  type BackendProbe,
  type BackendTiming,
} from '../core/backendChoice';
import type { LabDeps, Trainer } from './deps';
import { Observable } from './observable';

/** Each candidate's budget: start-up (shader compilation on a GPU) and three steps of 32. */
export const TIMING_BUDGET_MS = 10_000;
const TIMINGS_KEY = 'fashion-cnn-lab:backend-timings';

export interface BackendState {
  backend: BackendChoice | null;
  backendError: string | null;
  /** What the lab is doing about the choice right now ("Timing WebGL against WASM…"), or null. */
  backendStatus: string | null;
}

interface StoredTimings {
  signature: string;
  timings: BackendTiming[];
}

const message = (e: unknown) => (e as Error)?.message ?? String(e);

export class BackendChooser {
  readonly state = new Observable<BackendState>({ backend: null, backendError: null, backendStatus: null });
  private decision: Promise<BackendChoice> | null = null;

  constructor(
    private readonly deps: Pick<LabDeps, 'host' | 'settings'>,
    /** Called after the user timed the backends: the training worker must hear the new choice. */
    private readonly onNewDecision: () => void = () => {},
  ) {}

  /** A call in a training worker of its own, dropped afterwards (which also stops a step still compiling). */
  private async withWorker<T>(call: (api: Trainer) => Promise<T>): Promise<T> {
    const handle = this.deps.host.trainer(() => undefined);
    try {
      return await call(handle.api);
    } finally {
      handle.terminate();
    }
  }

  private probe() {
    return this.withWorker((api) => api.probe());
  }

  /** One short training run of the study's primary model on `backend`, in a worker that is dropped afterwards. */
  private async timeOne(backend: BackendName, p: BackendProbe): Promise<BackendTiming> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<BackendTiming>((resolve) => {
      const failure = `no step within ${TIMING_BUDGET_MS / 1000} s`;
      timer = setTimeout(() => resolve({ backend, samplesPerSecond: null, failure }), TIMING_BUDGET_MS);
    });
    const timed = (api: Trainer) =>
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
      return await this.withWorker((api) => Promise.race([timed(api), late]));
    } catch (e) {
      return { backend, samplesPerSecond: null, failure: `failed (${message(e)})` };
    } finally {
      clearTimeout(timer);
    }
  }

  private remembered(p: BackendProbe): BackendTiming[] | null {
    try {
      const stored = JSON.parse(this.deps.settings.get(TIMINGS_KEY) ?? 'null') as StoredTimings | null;
      return stored?.signature === deviceSignature(p) ? stored.timings : null;
    } catch {
      return null;
    }
  }

  private async timeAndChoose(
    p: BackendProbe,
    candidates: BackendName[],
    onStatus: (s: string) => void,
  ): Promise<BackendChoice> {
    const names = candidates.map((c) => (c === 'wasm' ? 'WASM' : c === 'webgl' ? 'WebGL' : 'WebGPU'));
    onStatus(`Timing ${names.join(' against ')} with a short training run (once on this device)…`);
    const timings: BackendTiming[] = [];
    for (const c of candidates) timings.push(await this.timeOne(c, p));
    const stored: StoredTimings = { signature: deviceSignature(p), timings };
    this.deps.settings.set(TIMINGS_KEY, JSON.stringify(stored));
    return chooseByTiming(p, timings);
  }

  private decide(make: () => Promise<BackendChoice>): Promise<BackendChoice> {
    const d = make();
    this.decision = d;
    d.catch(() => {
      if (this.decision === d) this.decision = null;
    });
    return d;
  }

  private onStatus = (backendStatus: string) => this.state.set({ backendStatus });

  /** The lab's choice for this browser: a timing's remembered for this device, else the probe's unless in doubt. */
  private choice(): Promise<BackendChoice> {
    return (
      this.decision ??
      this.decide(async () => {
        const { probe: p, choice } = await this.probe();
        const known = this.remembered(p);
        if (known) return chooseByTiming(p, known);
        const candidates = timingCandidates(p);
        return candidates ? this.timeAndChoose(p, candidates, this.onStatus) : choice;
      })
    );
  }

  private async show(choosing: Promise<BackendChoice>) {
    try {
      const backend = await choosing;
      this.state.set({ backend, backendError: null, backendStatus: null });
    } catch (e) {
      this.state.set({
        backendStatus: null,
        backendError: `Could not check this browser's GPU: ${message(e)}`,
      });
    }
  }

  /** Decides (once) and shows the choice in the header badge. */
  detectBackend(): Promise<void> {
    return this.show(this.choice());
  }

  /** Times every backend this browser offers (the user asked), remembers it, and makes the fastest the choice. */
  async timeBackends(): Promise<void> {
    if (this.state.get().backendStatus) return;
    await this.show(
      this.decide(async () => {
        const { probe: p } = await this.probe();
        const candidates: BackendName[] = [];
        // WASM first: a GPU still compiling shaders after its time is up would slow whatever runs next.
        if (p.wasm.available) candidates.push('wasm');
        if (p.webgpu.available) candidates.push('webgpu');
        if (p.webgl.available) candidates.push('webgl');
        return this.timeAndChoose(p, candidates, this.onStatus);
      }),
    );
    this.onNewDecision();
  }

  /** The decided choice for 'auto' jobs, or null while none could be made (the worker then probes by itself). */
  decided(): Promise<BackendChoice | null> {
    return this.choice().catch(() => null);
  }
}
