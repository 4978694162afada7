import { describe, expect, it } from 'vitest';
import {
  chooseBackend,
  chooseByTiming,
  deviceSignature,
  timingCandidates,
  type BackendProbe,
} from './backendChoice';

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

describe('timing when in doubt', () => {
  const intelWebGl: BackendProbe = {
    webgpu: { available: false },
    webgl: { available: true, renderer: 'ANGLE (Intel, Mesa Intel(R) UHD Graphics 620)' },
    wasm: { available: true, threads: 8 },
  };

  it('times WebGL against WASM only when a hardware GPU is reachable through WebGL alone', () => {
    expect(timingCandidates(intelWebGl)).toEqual(['wasm', 'webgl']);
    const hardwareWebGpu = {
      ...intelWebGl,
      webgpu: { available: true, vendor: 'intel', architecture: 'gen-12lp' },
    };
    expect(timingCandidates(hardwareWebGpu)).toBeNull();
    const software: BackendProbe = {
      webgpu: { available: true, isFallbackAdapter: true },
      webgl: { available: true, renderer: 'SwiftShader' },
      wasm,
    };
    expect(timingCandidates(software)).toBeNull();
    expect(timingCandidates({ ...intelWebGl, wasm: { available: false, threads: 0 } })).toBeNull();
  });

  it('keeps the faster, and says by how much', () => {
    const wasmWins = chooseByTiming(intelWebGl, [
      { backend: 'webgl', samplesPerSecond: 61.4 },
      { backend: 'wasm', samplesPerSecond: 212.7 },
    ]);
    expect(wasmWins).toEqual({
      backend: 'wasm',
      label: 'WASM · 8 threads',
      reason: 'fastest in a timed training step here (213 samples/s; WEBGL 61 samples/s)',
    });
    const webglWins = chooseByTiming(intelWebGl, [
      { backend: 'webgl', samplesPerSecond: 400 },
      { backend: 'wasm', samplesPerSecond: 212.7 },
    ]);
    expect(webglWins).toMatchObject({
      backend: 'webgl',
      label: 'WebGL · ANGLE (Intel, Mesa Intel(R) UHD Graphics 620)',
    });
    expect(webglWins.reason).toBe(
      'fastest in a timed training step here (400 samples/s; WASM 213 samples/s)',
    );
  });

  it('never keeps a candidate that did not finish its step, and falls back to the probe when none did', () => {
    expect(
      chooseByTiming(intelWebGl, [
        { backend: 'webgl', samplesPerSecond: null, failure: 'no step within 10 s' },
        { backend: 'wasm', samplesPerSecond: 150 },
      ]),
    ).toMatchObject({
      backend: 'wasm',
      reason: 'fastest in a timed training step here (150 samples/s; WEBGL no step within 10 s)',
    });
    expect(
      chooseByTiming(intelWebGl, [
        { backend: 'webgl', samplesPerSecond: null, failure: 'failed' },
        { backend: 'wasm', samplesPerSecond: null, failure: 'failed' },
      ]),
    ).toEqual(chooseBackend(intelWebGl));
  });

  it('remembers a timing per device: adapters and cores', () => {
    const other = { ...intelWebGl, wasm: { available: true, threads: 4 } };
    expect(deviceSignature(intelWebGl)).not.toBe(deviceSignature(other));
    expect(deviceSignature(intelWebGl)).toBe(deviceSignature({ ...intelWebGl }));
  });
});
