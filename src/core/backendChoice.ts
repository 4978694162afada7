/**
 * Which tfjs backend trains fastest here, from what the browser says about its GPU adapters. Measured on a
 * machine without a hardware GPU (README, bench:train): WebGPU and WebGL fall back to SwiftShader at ~1 sample/s
 * while WASM with the lab's kernels reaches ~50, so a software adapter is never chosen over WASM.
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
