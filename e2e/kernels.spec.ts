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
