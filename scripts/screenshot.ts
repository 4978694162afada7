/**
 * npm run screenshot -- [--out FILE.png] [--step train|data] [--per-class N] [--width W] [--height H]
 * The README's picture of the page, taken as a user would get there: builds the lab (into its own folder, so a
 * shared dist/ is left alone), serves it with `vite preview`, opens the demo catalog in headless Chromium and,
 * for the Train step (the default), trains the Primary task with Quick look (a few seconds on WASM), then
 * photographs the window. Default: docs/screenshot.png at 1280×900.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, expect } from '@playwright/test';
import { build, preview } from 'vite';
import { scriptFlags } from './args';
import { chromiumArgs, chromiumPath } from './chromium';

const flags = scriptFlags(
  'usage: npm run screenshot -- [--out FILE.png] [--step train|data] [--per-class N] [--width W] [--height H]',
  {
    out: { type: 'string', default: 'docs/screenshot.png' },
    step: { type: 'string', default: 'train' },
    'per-class': { type: 'string' },
    width: { type: 'string' },
    height: { type: 'string' },
  },
);
const { step } = flags.values;
if (step !== 'train' && step !== 'data') flags.fail(`--step is train or data, not '${step}'`);
const out = resolve(process.env.INIT_CWD ?? process.cwd(), flags.values.out);
const perClass = flags.number('per-class', 20, true);
const viewport = { width: flags.number('width', 1280, true), height: flags.number('height', 900, true) };
const outDir = 'node_modules/.screenshot/dist';

async function main() {
  const t0 = performance.now();
  await build({ logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const server = await preview({ logLevel: 'warn', build: { outDir }, preview: { port: 0 } });
  const address = server.httpServer.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  try {
    const page = await browser.newPage({ viewport });
    page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.getByLabel('Size').selectOption(String(perClass));
    await page.getByRole('button', { name: 'Try the demo catalog' }).click();
    await expect(page.getByTestId('dataset-summary')).toContainText(`${perClass * 17} images`, {
      timeout: 120_000,
    });
    if (step === 'train') {
      await page.getByRole('button', { name: 'Train models on it' }).click();
      const primary = page.getByRole('tabpanel', { name: 'Primary' });
      await primary.getByRole('button', { name: 'Quick look' }).click();
      await primary.getByRole('button', { name: 'Train', exact: true }).click();
      await expect(page.getByRole('tab', { name: /^Primary/ })).toHaveText(/\d+%$/, { timeout: 120_000 });
      await expect(primary.getByTestId('val-confusion').locator('svg, canvas').first()).toBeVisible();
    }
    // Charts draw after their data arrives; the backend badge after its probe.
    await page.getByTestId('backend-badge').waitFor();
    await page.waitForTimeout(1500);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: out });
  } finally {
    await browser.close();
    await server.close();
  }
  const kb = statSync(out).size / 1024;
  const secs = (performance.now() - t0) / 1000;
  console.log(
    `Wrote ${out} (${step} step, ${viewport.width}×${viewport.height}, ${kb.toFixed(0)} KB) in ${secs.toFixed(0)} s`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
