/** What this browser offers for training: its WebGPU adapter, its WebGL renderer, WebAssembly (window or worker). */
import type { BackendProbe } from '../core/backendChoice';

interface GpuAdapterLike {
  isFallbackAdapter?: boolean;
  info?: { vendor?: string; architecture?: string; description?: string; isFallbackAdapter?: boolean };
}

export async function probeBackends(wasmThreads = 1): Promise<BackendProbe> {
  const gpu = (
    globalThis.navigator as unknown as { gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> } }
  ).gpu;
  const adapter = await gpu?.requestAdapter().catch(() => null);
  let renderer: string | undefined;
  let webgl = false;
  try {
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
    webgl = !!gl;
    const ext = gl?.getExtension('WEBGL_debug_renderer_info');
    renderer = gl && ext ? String(gl.getParameter(ext.UNMASKED_RENDERER_WEBGL)) : undefined;
  } catch {
    webgl = false;
  }
  return {
    webgpu: {
      available: !!adapter,
      isFallbackAdapter: adapter?.isFallbackAdapter ?? adapter?.info?.isFallbackAdapter ?? false,
      vendor: adapter?.info?.vendor,
      architecture: adapter?.info?.architecture,
      description: adapter?.info?.description,
    },
    webgl: { available: webgl, renderer },
    wasm: { available: typeof WebAssembly === 'object', threads: wasmThreads },
  };
}
