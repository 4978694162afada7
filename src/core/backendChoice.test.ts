import { describe, expect, it } from 'vitest';
import { chooseBackend, type BackendProbe } from './backendChoice';

const wasm = { available: true, threads: 1 };

describe('chooseBackend', () => {
  it('picks WASM over SwiftShader, as measured here, and says why', () => {
    const p: BackendProbe = {
      webgpu: { available: true, isFallbackAdapter: true, vendor: 'google', architecture: 'swiftshader' },
      webgl: {
        available: true,
        renderer: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)',
      },
      wasm,
    };
    expect(chooseBackend(p)).toEqual({
      backend: 'wasm',
      label: 'WASM · 1 thread',
      reason: 'no hardware GPU found (WebGPU: google swiftshader, WebGL: SwiftShader)',
    });
  });

  it('picks WebGPU on a hardware adapter, else WebGL on a hardware renderer', () => {
    expect(
      chooseBackend({
        webgpu: { available: true, vendor: 'nvidia', architecture: 'hopper' },
        webgl: { available: true, renderer: 'NVIDIA H200' },
        wasm,
      }),
    ).toMatchObject({ backend: 'webgpu', label: 'WebGPU · nvidia hopper' });
    expect(
      chooseBackend({
        webgpu: { available: false },
        webgl: { available: true, renderer: 'ANGLE (Intel, Mesa Intel(R) UHD Graphics 620)' },
        wasm,
      }),
    ).toMatchObject({ backend: 'webgl' });
    expect(
      chooseBackend({
        webgpu: { available: true, isFallbackAdapter: true },
        webgl: { available: true, renderer: 'llvmpipe (LLVM 15.0.6, 256 bits)' },
        wasm,
      }),
    ).toMatchObject({ backend: 'wasm' });
  });

  it('falls back to the pure-JS CPU backend only without WebAssembly', () => {
    expect(
      chooseBackend({
        webgpu: { available: false },
        webgl: { available: false },
        wasm: { available: false, threads: 0 },
      }),
    ).toMatchObject({
      backend: 'cpu',
      reason: 'no GPU and no WebAssembly (no WebGPU, no WebGL)',
    });
  });
});
