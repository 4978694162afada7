/**
 * Which tfjs backend trains fastest here, from what the browser says about its GPU adapters. Measured on a
 * machine without a hardware GPU (docs/benchmarks.md, bench:train): WebGPU and WebGL fall back to SwiftShader at
 * ~1 sample/s while WASM with the lab's kernels trains the primary model at 120–200, so a software adapter is
 * never chosen over WASM.
 */
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export interface BackendProbe {
  webgpu: {
    available: boolean;
    isFallbackAdapter?: boolean;
    vendor?: string;
    architecture?: string;
    description?: string;
  };
  webgl: { available: boolean; renderer?: string };
  wasm: { available: boolean; threads: number };
}

export interface BackendChoice {
  backend: BackendName;
  /** Short, for the badge: "WASM · 1 thread". */
  label: string;
  /** Why, in words: "no hardware GPU found (WebGPU: SwiftShader)". */
  reason: string;
}

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render|mesa offscreen/i;

export function isSoftwareWebGpu(p: BackendProbe['webgpu']): boolean {
  return (
    !!p.isFallbackAdapter || SOFTWARE.test(`${p.vendor ?? ''} ${p.architecture ?? ''} ${p.description ?? ''}`)
  );
}

export function isSoftwareWebGl(p: BackendProbe['webgl']): boolean {
  return SOFTWARE.test(p.renderer ?? '');
}

export function chooseBackend(p: BackendProbe): BackendChoice {
  const gpuName = [p.webgpu.vendor, p.webgpu.architecture].filter(Boolean).join(' ');
  if (p.webgpu.available && !isSoftwareWebGpu(p.webgpu)) {
    return {
      backend: 'webgpu',
      label: `WebGPU · ${gpuName || 'GPU'}`,
      reason: 'a hardware GPU is available through WebGPU',
    };
  }
  if (p.webgl.available && !isSoftwareWebGl(p.webgl)) {
    return {
      backend: 'webgl',
      label: `WebGL · ${p.webgl.renderer ?? 'GPU'}`,
      reason: 'a hardware GPU is available through WebGL',
    };
  }
  const seen = [
    p.webgpu.available ? `WebGPU: ${gpuName || 'software adapter'}` : 'no WebGPU',
    p.webgl.available
      ? `WebGL: ${SOFTWARE.exec(p.webgl.renderer ?? '')?.[0] ?? p.webgl.renderer ?? 'software'}`
      : 'no WebGL',
  ].join(', ');
  if (p.wasm.available) {
    const threads = `${p.wasm.threads} thread${p.wasm.threads === 1 ? '' : 's'}`;
    return { backend: 'wasm', label: `WASM · ${threads}`, reason: `no hardware GPU found (${seen})` };
  }
  return { backend: 'cpu', label: 'CPU (slow)', reason: `no GPU and no WebAssembly (${seen})` };
}

/**
 * The backends to time against each other before choosing, or null when the probe settles it. A hardware WebGPU
 * adapter wins outright, and software adapters lose to WASM by over 100x. The doubt is a GPU reachable through WebGL
 * only (no WebGPU, as in Firefox and Safari today): an integrated GPU through WebGL can train slower than WASM
 * on every core, so one short training step on each decides.
 */
export function timingCandidates(p: BackendProbe): BackendName[] | null {
  const chosen = chooseBackend(p);
  // WASM first: a GPU still compiling shaders after its time is up would slow whatever runs next.
  return chosen.backend === 'webgl' && p.wasm.available ? ['wasm', 'webgl'] : null;
}

/** One candidate's timed step: samples per second, or why it gave none (too slow to start, or failed). */
export interface BackendTiming {
  backend: BackendName;
  samplesPerSecond: number | null;
  failure?: string;
}

const perSecond = (t: BackendTiming) => `${Math.round(t.samplesPerSecond ?? 0)} samples/s`;

/** The fastest of the timed candidates (the probe's choice when none finished), with the numbers as the reason. */
export function chooseByTiming(p: BackendProbe, timings: BackendTiming[]): BackendChoice {
  const untimed = chooseBackend(p);
  const finished = timings.filter((t) => t.samplesPerSecond != null && t.samplesPerSecond > 0);
  if (!finished.length) return untimed;
  const best = finished.reduce((a, b) => (b.samplesPerSecond! > a.samplesPerSecond! ? b : a));
  const others = timings
    .filter((t) => t !== best)
    .map((t) => `${t.backend.toUpperCase()} ${t.samplesPerSecond ? perSecond(t) : (t.failure ?? 'failed')}`);
  const reason = `fastest in a timed training step here (${perSecond(best)}; ${others.join(', ')})`;
  if (best.backend === untimed.backend) return { ...untimed, reason };
  if (best.backend === 'wasm') {
    const threads = `${p.wasm.threads} thread${p.wasm.threads === 1 ? '' : 's'}`;
    return { backend: 'wasm', label: `WASM · ${threads}`, reason };
  }
  const label =
    best.backend === 'webgl' ? `WebGL · ${p.webgl.renderer ?? 'GPU'}` : best.backend.toUpperCase();
  return { backend: best.backend, label, reason };
}

/** What identifies this device's backends for remembering a timing: the adapters and the core count. */
export function deviceSignature(p: BackendProbe): string {
  const w = p.webgpu;
  return [
    w.available ? `webgpu:${w.vendor ?? ''}/${w.architecture ?? ''}/${w.description ?? ''}` : 'no-webgpu',
    p.webgl.available ? `webgl:${p.webgl.renderer ?? ''}` : 'no-webgl',
    `wasm:${p.wasm.available ? p.wasm.threads : 0}`,
  ].join('|');
}
