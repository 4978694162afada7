import { expect, test } from '@playwright/test';

// The lab's WASM kernels where they really run: in the training worker, on every core, with the SIMD helper
// threads that split a kernel call's images (Node, where the unit tests run, has neither).
test('the WASM training kernels agree with the CPU backend on every thread this browser gives them', async ({
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
    result?: { threads: number; poolWidth: number; filterGrad: number; maxPoolGrad: number };
  };
  expect(report.error).toBeUndefined();
  const cores = await page.evaluate(() => Math.min(8, navigator.hardwareConcurrency));
  expect(report.result!.threads).toBe(cores);
  expect(report.result!.poolWidth).toBe(cores); // this thread and a helper per other core
  expect(report.result!.filterGrad).toBeLessThan(1e-5);
  expect(report.result!.maxPoolGrad).toBeLessThan(1e-6);
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
