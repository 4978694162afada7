import { expect, test, type Worker } from '@playwright/test';
import { openDemo, taskTab } from './support/flows';

interface Errors {
  conv: number;
  maxPool: number;
  elementwise: number;
  sum: number;
  inputGrad: number;
  filterGrad: number;
  maxPoolGrad: number;
  adam: number;
  matmul: number;
  fusedConv: number;
}

// The lab's WASM kernels where they really run: in the training worker, on every core, with the SIMD helper
// threads that split a kernel call's images (Node, where the unit tests run, has neither), on both builds.
test('the WASM training kernels agree with the CPU backend on every thread this browser gives them, on both builds', async ({
  page,
}) => {
  await page.goto('/bench.html?check');
  const handle = await page.waitForFunction(
    () => (window as unknown as { __bench?: unknown }).__bench,
    null,
    {
      timeout: 60_000,
    },
  );
  const report = (await handle.jsonValue()) as {
    ok: boolean;
    error?: string;
    result?: {
      threads: number;
      poolWidth: number;
      helperParts: number;
      build: string;
      builds: Record<string, Errors>;
    };
  };
  expect(report.error).toBeUndefined();
  const r = report.result!;
  const cores = await page.evaluate(() => Math.min(8, navigator.hardwareConcurrency));
  expect(r.threads).toBe(cores);
  expect(r.poolWidth).toBe(cores); // this thread and a helper per other core
  if (cores > 1) expect(r.helperParts, 'parts of the checked calls run on helper threads').toBeGreaterThan(0);
  // Chromium has relaxed SIMD (since 114): training runs that build; the SIMD128 one is checked beside it.
  expect(r.build).toBe('relaxed');
  expect(Object.keys(r.builds).sort()).toEqual(['relaxed', 'simd128']);
  for (const [build, e] of Object.entries(r.builds)) {
    expect(e.conv, `${build} Conv2D`).toBeLessThan(1e-5);
    expect(e.inputGrad, `${build} Conv2DBackpropInput`).toBeLessThan(1e-5);
    expect(e.filterGrad, `${build} Conv2DBackpropFilter`).toBeLessThan(1e-5);
    expect(e.maxPoolGrad, `${build} MaxPoolGrad`).toBeLessThan(1e-6);
    expect(e.maxPool, `${build} MaxPool`).toBe(0); // a maximum is exact
    expect(e.elementwise, `${build} bias add, ReLU and its gradient`).toBeLessThan(1e-6);
    expect(e.sum, `${build} Sum (a bias gradient)`).toBeLessThan(1e-6);
    expect(e.adam, `${build} fused Adam`).toBeLessThan(1e-6);
    expect(e.matmul, `${build} BatchMatMul`).toBeLessThan(1e-5);
    expect(e.fusedConv, `${build} FusedConv2D and LabReluBiasGrad`).toBeLessThan(1e-5);
  }
});

// A browser without relaxed SIMD (Safari) gets the SIMD128 build: forced here through the training worker's
// switch (simdModule.ts), set as the worker starts, before any job.
test('the page trains with the SIMD128 build forced, as on a browser without relaxed SIMD', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const workers: Worker[] = [];
  page.on('worker', (w) => {
    if (!w.url().includes('train.worker')) return;
    workers.push(w);
    void w
      .evaluate(() => void ((self as unknown as { labSimd: object }).labSimd = { force: 'simd128' }))
      .catch(() => undefined);
  });
  await openDemo(page);
  await taskTab(page, 'Primary').click();
  await page.getByRole('button', { name: 'Quick look' }).click();
  await page.getByRole('tabpanel').getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('trained-on')).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
  await expect(taskTab(page, 'Primary')).toHaveText(/\d+%$/, { timeout: 150_000 });
  const used = await workers
    .at(-1)!
    .evaluate(() => (self as unknown as { labSimd?: { used?: string } }).labSimd?.used);
  expect(used).toBe('simd128');
  const accuracy = Number(
    await page.getByTestId('run-detail').getByTestId('val-confusion').getAttribute('data-accuracy'),
  );
  expect(accuracy).toBeGreaterThan(0.6); // three shapes of distinct colours, as with the relaxed build
});

// The lab's WebGPU kernels through Chromium's WebGPU (SwiftShader here; needs --enable-unsafe-webgpu, which the
// tests' launch flags set), in the training worker as jobs use them.
test('the WebGPU training kernels, batches and loop agree with the CPU backend in the browser', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await page.goto('/bench.html?check=webgpu');
  const handle = await page.waitForFunction(
    () => (window as unknown as { __bench?: unknown }).__bench,
    null,
    {
      timeout: 200_000,
    },
  );
  const report = (await handle.jsonValue()) as {
    error?: string;
    result?: {
      adapter: string;
      filterGrad: Record<string, number>;
      decode: { resident: number; uint8: number };
      adam: number;
      losses: number[];
    };
  };
  expect(report.error).toBeUndefined();
  const r = report.result!;
  expect(Object.keys(r.filterGrad)).toHaveLength(4);
  for (const [name, err] of Object.entries(r.filterGrad)) expect(err, name).toBeLessThan(1e-4);
  expect(r.decode.resident).toBeLessThan(1e-6);
  expect(r.decode.uint8).toBeLessThan(1e-6);
  expect(r.adam).toBeLessThan(1e-5);
  expect(r.losses).toHaveLength(3);
  for (const d of r.losses) expect(d).toBeLessThan(1e-3);
});
