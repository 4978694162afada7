import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect, test, type Page } from '@playwright/test';
import type { AxeResults } from 'axe-core';
import { openDemo, taskTab } from './support/flows';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's violations on the page as it stands (evaluated through DevTools, so the lab's CSP allows it). */
async function axeViolations(page: Page) {
  await page.evaluate(axeSource);
  const results = await page.evaluate(() =>
    (window as unknown as { axe: { run(): Promise<AxeResults> } }).axe.run(),
  );
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Records the text of every chart drawing (a canvas from one clear to the next) under its panel's test id. */
const recordChartText = () => {
  const drawings: { panel: string; texts: string[] }[] = [];
  const current = new WeakMap<HTMLCanvasElement, string[]>();
  const clear = CanvasRenderingContext2D.prototype.clearRect;
  CanvasRenderingContext2D.prototype.clearRect = function (...args) {
    const panel = this.canvas.closest<HTMLElement>('[data-testid]')?.dataset.testid ?? '';
    const texts: string[] = [];
    drawings.push({ panel, texts });
    current.set(this.canvas, texts);
    return clear.apply(this, args);
  };
  const fill = CanvasRenderingContext2D.prototype.fillText;
  CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
    current.get(this.canvas)?.push(text);
    return fill.call(this, text, ...rest);
  };
  (window as unknown as { chartDrawings: typeof drawings }).chartDrawings = drawings;
};

/** Each drawing's x-axis ticks in a panel: the numbers drawn just before the x axis' title. */
async function xTicks(page: Page, panel: string, xTitle: string) {
  const drawings = await page.evaluate(
    (p) =>
      (window as unknown as { chartDrawings: { panel: string; texts: string[] }[] }).chartDrawings
        .filter((d) => d.panel === p)
        .map((d) => d.texts),
    panel,
  );
  return drawings
    .filter((texts) => texts.includes(xTitle))
    .map((texts) => {
      const title = texts.indexOf(xTitle);
      let first = title;
      while (first > 0 && /^[\d.]+$/.test(texts[first - 1]!)) first--;
      return texts.slice(first, title);
    });
}

test('the first paint says the lab is loading, before any script has run', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Fashion CNN Lab' })).toBeVisible();
  await expect(page.getByRole('status')).toHaveText(/Loading the lab/);
  await context.close();
});

test.describe('a newcomer at 1280×800 on the demo catalog', () => {
  test.describe.configure({ mode: 'serial' });
  let page: Page;
  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.addInitScript(recordChartText);
  });
  test.afterAll(() => page.close());

  test('an 11-class task after a Quick look: both matrices fit without sideways scroll, epochs are whole numbers, and the page says what a Quick look shows', async () => {
    test.setTimeout(180_000);
    await openDemo(page);
    await taskTab(page, 'Shoes — all 11').click();
    await page.getByRole('button', { name: 'Quick look' }).click();
    await page.getByRole('tabpanel').getByRole('button', { name: 'Train', exact: true }).click();
    await expect(taskTab(page, 'Shoes — all 11')).toHaveText(/\d+%$/, { timeout: 150_000 });
    const testMatrix = page.getByTestId('test-confusion');
    await expect(testMatrix.locator('canvas')).toBeVisible();
    // Nothing wider than the window: no sideways scroll, and the test matrix is whole.
    const widths = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      matrices: [...document.querySelectorAll('[data-testid$="-confusion"] canvas')].map(
        (c) => c.getBoundingClientRect().right,
      ),
    }));
    expect(widths.scroll).toBe(0);
    expect(widths.matrices).toHaveLength(2);
    for (const right of widths.matrices) expect(right).toBeLessThanOrEqual(1280);
    // A cell names its classes in full when pointed at.
    await testMatrix.locator('canvas').hover();
    await expect(page.locator('#vg-tooltip-element')).toContainText(/label.*prediction/s);
    await page.mouse.move(0, 0);
    await expect(page.locator('#vg-tooltip-element')).toBeHidden();

    // Batches and epochs are whole numbers on every drawing of the curves, from the first point on; the epochs
    // under both finished curves are 0, 1, 2.
    const batches = await xTicks(page, 'batch-curves', 'Batch (thinned out in long runs)');
    expect(batches.length).toBeGreaterThan(0);
    for (const ticks of batches) expect(ticks.join(' ')).toMatch(/^\d+( \d+)*$/);
    const epochs = await xTicks(page, 'epoch-curves', 'Epoch (from 0)');
    for (const ticks of epochs) expect(ticks.join(' ')).toMatch(/^\d+( \d+)*$/);
    expect(epochs.slice(-2)).toEqual([
      ['0', '1', '2'],
      ['0', '1', '2'],
    ]);

    // Beside the figures, what a Quick look on 20 images a class can and cannot show.
    await expect(page.getByTestId('first-look')).toContainText(
      'A first look, not a result: it shows that this task trains here and what each panel shows',
    );
    await expect(page.getByTestId('first-look')).toContainText('Guessing among 11 classes scores 9.1%');
    // And under the Report's overview, where the study's figures stand beside the lab's.
    await page.getByRole('button', { name: 'Report', exact: true }).click();
    await expect(page.getByTestId('report-first-looks')).toContainText(
      'First looks, not results: Shoes — all 11',
    );
    await page.getByRole('button', { name: 'Train', exact: true }).click();
  });

  test('every step, Data (before and after a dataset), Train, Label and Report, has no axe-core violations', async () => {
    test.setTimeout(120_000);
    const found: Record<string, string[]> = {};
    found.train = await axeViolations(page);

    for (const step of ['Data', 'Label', 'Report']) {
      await page.getByRole('button', { name: step, exact: true }).click();
      await expect(page.getByRole('listitem').filter({ hasText: step }).first()).toHaveAttribute(
        'aria-current',
        'step',
      );
      found[step.toLowerCase()] = await axeViolations(page);
    }
    // And the first visit's Data step: the choices, and the dataset now cached.
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Datasets cached on this device' })).toBeVisible();
    found.start = await axeViolations(page);
    expect(found).toEqual({ train: [], data: [], label: [], report: [], start: [] });
  });
});
