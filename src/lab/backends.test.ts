import { describe, expect, it } from 'vitest';
import { Lab } from './lab';
import { fakeDeps, FakeTrainers } from './testing/fakes';

/** A GPU reachable through WebGL only: the case the lab times. */
function webglOnly() {
  const trainers = new FakeTrainers();
  trainers.probe = {
    webgpu: { available: false },
    webgl: { available: true, renderer: 'ANGLE (Intel, Iris Xe)' },
    wasm: { available: true, threads: 2 },
  };
  const timed: string[] = [];
  trainers.benchmark = async (req) => {
    timed.push(req.backend);
    return {
      backend: req.backend,
      samplesPerSecond: req.backend === 'wasm' ? 150 : 40,
      warmUpSeconds: 1,
      details: {},
    };
  };
  return { trainers, timed };
}

describe('the backend choice', () => {
  it('decides from the probe when it settles the question', async () => {
    const { deps } = fakeDeps();
    const lab = new Lab(deps);
    await lab.backends.detectBackend();
    expect(lab.getState().backend?.backend).toBe('wasm');
    expect(lab.getState().backendError).toBeNull();
  });

  it('where in doubt, times each candidate in a worker of its own, keeps the fastest, and remembers it', async () => {
    const { trainers, timed } = webglOnly();
    const env = fakeDeps({ trainers });
    const lab = new Lab(env.deps);
    await lab.backends.detectBackend();
    expect(timed).toEqual(['wasm', 'webgl']);
    expect(lab.getState().backend).toMatchObject({ backend: 'wasm', label: 'WASM · 2 threads' });
    expect(lab.getState().backend?.reason).toContain('150 samples/s; WEBGL 40 samples/s');
    expect(trainers.started.every((w) => w.terminated)).toBe(true);

    // Another visit on this device: no timing again.
    const again = new Lab(fakeDeps({ trainers, settings: env.deps.settings }).deps);
    await again.backends.detectBackend();
    expect(timed).toHaveLength(2);
    expect(again.getState().backend?.backend).toBe('wasm');
  });

  it('a probe that fails says so in words', async () => {
    const trainers = new FakeTrainers();
    const { deps } = fakeDeps({ trainers });
    deps.host.trainer = () => ({
      api: { ...trainers.host()(() => {}).api, probe: async () => Promise.reject(new Error('no worker')) },
      terminate: () => {},
    });
    const lab = new Lab(deps);
    await lab.backends.detectBackend();
    expect(lab.getState().backendError).toBe("Could not check this browser's GPU: no worker");
  });
});
