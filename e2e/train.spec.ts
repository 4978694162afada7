import { expect, test, type Page } from '@playwright/test';

const TASKS = [
  'Primary',
  'Glasses & Sunglasses',
  'Shoes — all 11',
  'Shoes — Female / Male',
  'Shoes — Female types',
  'Shoes — Male types',
  'Trousers & Jeans — all 4',
  'Trousers & Jeans — Female / Male',
  'Trousers & Jeans — Female types',
  'Trousers & Jeans — Male types',
];

async function openDemo(page: Page) {
  await page.goto('/');
  await page.getByLabel('Size').selectOption('20');
  await page.getByRole('button', { name: 'Try the demo catalog' }).click();
  await expect(page.getByTestId('dataset-summary')).toContainText('340 images in 17 classes', {
    timeout: 90_000,
  });
  await page.getByRole('button', { name: 'Train models on it' }).click();
}

const tab = (page: Page, name: string) =>
  page.getByRole('tab', { name: new RegExp(`^${name.replace(/[/]/g, '\\/')}`) });

test('trains every task of the demo catalog with live panels, and a reload shows the finished runs', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await openDemo(page);
  await expect(page.getByRole('tab')).toHaveText(TASKS.map((t) => new RegExp(`^${t}`)));

  // The study's defaults are preloaded: Primary is Model 2, 32 filters 3×3, 15 epochs, and its 12-cell grid.
  const settings = page.getByTestId('task-settings');
  await expect(settings.getByLabel('Filters')).toHaveValue('32');
  await expect(settings.getByLabel('Epochs')).toHaveValue('15');
  await expect(page.getByTestId('param-count')).toHaveAttribute('data-params', '66595');
  await expect(page.getByTestId('grid-size')).toContainText('12 cells × 3 runs = 36 runs');

  await page.getByLabel('Every task with').selectOption('quick');
  await page.getByRole('button', { name: 'Train every task' }).click();
  // Live: progress, per-batch curve, and the page answers while the worker trains.
  await expect(page.getByTestId('train-progress')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('trained-on')).toHaveAttribute('data-backend', 'wasm');
  await tab(page, 'Trousers & Jeans — all 4').click();
  await expect(tab(page, 'Trousers & Jeans — all 4')).toHaveAttribute('aria-selected', 'true', {
    timeout: 1000,
  });
  await tab(page, 'Primary').click();

  // Every task ends with a finished run (its tab shows its best validation accuracy).
  for (const name of TASKS) await expect(tab(page, name)).toHaveText(/\d+%$/, { timeout: 180_000 });
  await expect(page.getByRole('button', { name: 'Stop' })).toBeDisabled();

  const primaryScore = async () => {
    await tab(page, 'Primary').click();
    const detail = page.getByTestId('run-detail');
    await expect(detail.getByTestId('epoch-curves')).toHaveAttribute('data-epochs', '3');
    await expect(detail.getByTestId('val-confusion').locator('svg, canvas').first()).toBeVisible();
    const val = Number(await detail.getByTestId('val-confusion').getAttribute('data-accuracy'));
    const testAcc = Number(await page.getByTestId('chosen-run').getAttribute('data-test-accuracy'));
    return { val, testAcc };
  };
  const first = await primaryScore();
  // Three shapes of distinct colours: far above chance (1/3) after three quick epochs.
  expect(first.val).toBeGreaterThan(0.6);
  expect(first.testAcc).toBeGreaterThan(0.6);
  const counts = page.getByTestId('test-confusion-counts');
  await page.getByTestId('test-confusion').locator('summary').click();
  await expect(counts.locator('tbody tr')).toHaveCount(3);
  const total = (await counts.locator('tbody td:not([data-col])').allTextContents())
    .map(Number)
    .reduce((a, b) => a + b);
  expect(total).toBe(34); // the whole test split: 34 images of the 340
  await page.reload();
  await page.getByLabel('Size').selectOption('20');
  await page.getByRole('button', { name: 'Try the demo catalog' }).click();
  await expect(page.getByTestId('from-cache')).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Train models on it' }).click();
  for (const name of TASKS) await expect(tab(page, name)).toHaveText(/\d+%$/);
  const again = await primaryScore();
  expect(again).toEqual(first);
});
