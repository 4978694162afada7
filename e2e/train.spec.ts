import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import { makeOneTaskFailsFolder } from './support/folders';
import { onlySoftwareGpu, openDemo, taskTab } from './support/flows';
import { dataDir } from './support/paths';

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
  'Flat (all 17 leaves)',
];

const tab = taskTab;

test('trains every task of the demo catalog with live panels, and a reload shows the finished runs', async ({
  page,
}) => {
  test.setTimeout(240_000);
  // What React and Vega say in the console while every task trains: no key clash, no chart warning.
  const complaints: string[] = [];
  page.on('console', (m) => {
    const text = m.text();
    if (/same key|Infinite extent|WARN/i.test(text) || (m.type() === 'error' && /react/i.test(text)))
      complaints.push(text.slice(0, 300));
  });
  await openDemo(page);
  const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  await expect(page.getByRole('tab')).toHaveText(TASKS.map((t) => new RegExp(`^${escape(t)}`)));

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
  // Cross-origin isolated, WASM runs a thread per core (tfjs' pool holds 8), as the module itself reports.
  const cores = await page.evaluate(() => Math.min(8, navigator.hardwareConcurrency));
  await expect(page.getByTestId('trained-on')).toContainText(`WASM · ${cores} thread${cores > 1 ? 's' : ''}`);
  await tab(page, 'Trousers & Jeans — all 4').click();
  await expect(tab(page, 'Trousers & Jeans — all 4')).toHaveAttribute('aria-selected', 'true', {
    timeout: 1000,
  });
  await tab(page, 'Primary').click();

  // Every task ends with a finished run (its tab shows its best validation accuracy).
  for (const name of TASKS) await expect(tab(page, name)).toHaveText(/\d+%$/, { timeout: 180_000 });
  await expect(page.getByRole('button', { name: 'Stop' })).toBeDisabled();
  expect(complaints).toEqual([]);
  // Both branches have Boots: the matrix's rows (React's keys) tell the 11 shoe classes apart.
  await tab(page, 'Shoes — all 11').click();
  const shoeRows = page.getByTestId('test-confusion-counts').locator('tbody tr');
  await expect(shoeRows).toHaveCount(11);
  const shoeClasses = await shoeRows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-class')));
  expect(new Set(shoeClasses).size).toBe(11);
  expect(shoeClasses).toContain('Female / Boots');

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

test('runs a grid with repeated seeds, ranks its cells with intervals and compares them seed by seed', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await openDemo(page);
  await page.getByRole('button', { name: 'Quick look' }).click();
  await page.getByTestId('task-settings').getByLabel('Epochs').fill('1');
  const grid = page.getByTestId('grid-editor');
  await grid.getByRole('textbox', { name: 'First kernel', exact: true }).fill('3');
  await grid.getByRole('textbox', { name: 'Filters', exact: true }).fill('4, 8');
  await grid.getByLabel('Runs per cell').fill('3');
  await expect(page.getByTestId('grid-size')).toContainText('2 cells × 3 runs = 6 runs');
  await grid.getByRole('textbox', { name: 'Filters', exact: true }).fill('4, x');
  await expect(grid.getByRole('textbox', { name: 'Filters', exact: true })).toHaveAttribute(
    'aria-invalid',
    'true',
  );
  await grid.getByRole('textbox', { name: 'Filters', exact: true }).fill('4, 8');
  await page.getByRole('button', { name: 'Run grid (6 runs)' }).click();
  await expect(page.getByTestId('train-progress')).toContainText(/Run \d of 6/);

  const results = page.getByTestId('grid-results');
  await expect(results.locator('tr[data-n="3"]')).toHaveCount(2, { timeout: 150_000 });
  await expect(page.getByTestId('runs-table').locator('tr[data-status="done"]')).toHaveCount(6);
  const rows = results.locator('tbody tr');
  await expect(rows.first()).toHaveClass(/best/);
  const means = (await results.locator('td[data-col="mean"]').allTextContents()).map(parseFloat);
  expect(means[0]).toBeGreaterThanOrEqual(means[1]!); // sorted, best first
  await expect(rows.first().locator('td').nth(4)).toHaveText(/\d+\.\d% – \d+\.\d%/);
  await expect(page.getByTestId('grid-best')).toContainText(/Best cell: .*filters [48]/);
  // The best cell against the other on the same three seeds, and the repeats the two would need.
  const paired = results.getByTestId('paired-test');
  await expect(paired).toHaveCount(1);
  await expect(paired).toHaveAttribute('data-n', '3');
  await expect(paired).toContainText(
    /beats .* in \d of 3 paired seeds.*(p [=<] 0?\.\d+ — |same|same margin)/,
  );
  await expect(results.getByTestId('repeats-estimate')).toContainText(
    /Telling .* apart|scored the same|same amount on every seed/,
  );
  // Seeds 1, 2 and 3 for the three runs of a cell.
  const seeds = await page
    .getByTestId('runs-table')
    .locator('tr[data-run] td:nth-child(3)')
    .allTextContents();
  expect(seeds).toEqual(['1', '2', '3', '1', '2', '3']);
});

test('the study’s Model 3 at its real size: a run cut off by a reload resumes from its last epoch, Stop keeps what it learned, the model downloads whole', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await openDemo(page);
  await tab(page, 'Shoes — all 11').click();
  // The study's own settings (preloaded): Model 3, dense 512 over 28×21×64, 19.3 M weights. Its checkpoint (weights,
  // Adam's two moments and the best epoch's weights) is ~300 MB, over what IndexedDB takes in one value.
  const settings = page.getByTestId('task-settings');
  await expect(settings.getByLabel('Horizontal-flip augmentation')).toBeChecked(); // the study's shoes model
  await expect(page.getByTestId('param-count')).toHaveAttribute('data-params', '19312459');
  await settings.getByLabel('Epochs').fill('300'); // enough to outlast the test
  await settings.getByLabel('Early-stopping patience').fill('300');
  await page.getByRole('tabpanel').getByRole('button', { name: 'Train', exact: true }).click();
  const curves = page.getByTestId('run-detail').getByTestId('epoch-curves');
  const epochs = async () => Number(await curves.getAttribute('data-epochs'));
  await expect.poll(epochs, { timeout: 120_000 }).toBeGreaterThanOrEqual(2);

  await page.reload();
  await page.getByLabel('Size').selectOption('20');
  await page.getByRole('button', { name: 'Try the demo catalog' }).click();
  await page.getByRole('button', { name: 'Train models on it' }).click();
  await tab(page, 'Shoes — all 11').click();
  const job = page.getByTestId('runs-table').locator('tbody[data-job]');
  await expect(job).toHaveAttribute('data-status', 'interrupted');
  const done = Number(
    await job
      .locator('tr[data-run] td')
      .nth(3)
      .textContent()
      .then((t) => parseInt(t!)),
  );
  expect(done).toBeGreaterThanOrEqual(2);

  // Every progress line the page shows from here on, however briefly (epochs pass faster than a check polls).
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { progressSeen: string[] }).progressSeen = seen;
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid="train-progress"]')?.textContent;
      if (text && seen.at(-1) !== text) seen.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await job.getByRole('button', { name: 'Resume' }).click();
  // It carries on from the stored epochs rather than starting again: the first epoch it shows is the next one.
  const firstEpoch = () =>
    page.evaluate(() => {
      const seen = (window as unknown as { progressSeen: string[] }).progressSeen;
      const line = seen.find((t) => /Epoch \d+ of 300/.test(t));
      return line ? Number(/Epoch (\d+) of 300/.exec(line)![1]) : null;
    });
  await expect.poll(firstEpoch, { timeout: 60_000 }).not.toBeNull();
  expect([done + 1, done + 2]).toContain(await firstEpoch());
  await expect.poll(epochs, { timeout: 60_000 }).toBeGreaterThanOrEqual(done + 1);
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(job).toHaveAttribute('data-status', 'stopped', { timeout: 30_000 });
  await expect(job.locator('tr[data-run]')).toHaveAttribute('data-status', 'stopped');
  await expect(job.locator('td[data-col="test"]')).toHaveText(/\d+\.\d%/);
  await expect(page.getByRole('tabpanel').getByRole('button', { name: 'Train', exact: true })).toBeEnabled();

  // Its model, 77 MB of weights, downloads whole in tfjs' layers format.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    job.locator('tr[data-run]').getByRole('button', { name: 'model' }).click(),
  ]);
  const zipPath = test.info().outputPath('model3.zip');
  await download.saveAs(zipPath);
  const files = unzipSync(readFileSync(zipPath));
  expect(files['weights.bin']!.byteLength).toBe(19_312_459 * 4);
  expect(JSON.parse(strFromU8(files['metadata.json']!)).task.name).toBe('Shoes — all 11');
});

test('Train every task: a task that fails is named with why, the others train, and the report says so', async ({
  page,
}) => {
  const root = dataDir('one-task-fails');
  makeOneTaskFailsFolder(root);
  await page.goto('/');
  await page.getByTestId('folder-input').setInputFiles(root);
  await expect(page.getByTestId('dataset-summary')).toContainText('22 images in 4 classes');
  await page.getByRole('button', { name: 'Train models on it' }).click();
  await page.getByLabel('Every task with').selectOption('quick');
  await page.getByRole('button', { name: 'Train every task' }).click();
  for (const name of ['Primary', 'Shoes', 'Flat (all 4 leaves)'])
    await expect(tab(page, name)).toHaveText(/\d+%$/, { timeout: 120_000 });
  await expect(page.getByRole('button', { name: 'Stop' })).toBeDisabled();
  await expect(page.getByTestId('train-error')).toHaveText(
    /^Glasses & Sunglasses failed: Glasses & Sunglasses cannot be trained: .+$/,
  );
  await page.getByRole('button', { name: 'Report', exact: true }).click();
  await expect(page.getByTestId('report-missing')).toContainText(
    /Glasses & Sunglasses failed: Glasses & Sunglasses cannot be trained: /,
  );
});

test('the backend chosen by hand is shown and remembered on this device', async ({ page }) => {
  await openDemo(page);
  await page.getByLabel('Backend').selectOption('cpu');
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', 'cpu');
  await expect(page.getByTestId('backend-badge')).toContainText('your choice (the lab would pick WASM');
  await page.reload();
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', 'cpu');
  await page.getByLabel('Size').selectOption('20');
  await page.getByRole('button', { name: 'Try the demo catalog' }).click();
  await page.getByRole('button', { name: 'Train models on it' }).click();
  await expect(page.getByLabel('Backend')).toHaveValue('cpu');
  await page.getByLabel('Backend').selectOption('auto');
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', 'wasm');
});

// Last in the suite on purpose: a software GPU (SwiftShader here) goes on compiling shaders in the browser's GPU
// process for a minute or two after its timing worker is dropped, which would slow tests after this one.
test('timing the backends keeps the fastest, says by how much, and is remembered on this device', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await openDemo(page);
  await page.getByRole('button', { name: 'Time the backends' }).click();
  await expect(page.getByTestId('backend-status')).toContainText('with a short training run');
  const badge = page.getByTestId('backend-badge');
  // Each candidate has 10 s; a software GPU (SwiftShader here) is still compiling shaders by then.
  await expect(badge).toContainText('fastest in a timed training step here', { timeout: 60_000 });
  const reason = (await badge.textContent()) ?? '';
  const backend = await badge.getAttribute('data-backend');
  // Every backend on offer was tried: the winner's rate first, then the others' rates or why they gave none.
  expect(reason).toMatch(/\(\d+ samples\/s; (WEBGPU|WEBGL|WASM) /);
  const software = await onlySoftwareGpu(page);
  if (software) expect(backend).toBe('wasm');
  // Remembered: a reload shows the same choice without timing again, and training uses it.
  await page.reload();
  await expect(page.getByTestId('backend-badge')).toContainText('fastest in a timed training step here', {
    timeout: 30_000,
  });
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', backend!);
  await expect(page.getByTestId('backend-status')).toHaveCount(0);
  await page.getByLabel('Size').selectOption('20');
  await page.getByRole('button', { name: 'Try the demo catalog' }).click();
  await page.getByRole('button', { name: 'Train models on it' }).click();
  await page.getByRole('button', { name: 'Train every task' }).click();
  await expect(page.getByTestId('trained-on')).toHaveAttribute('data-backend', backend!, { timeout: 60_000 });
  await expect(page.getByTestId('trained-on')).toContainText('fastest in a timed training step here');
  await page.getByRole('button', { name: 'Stop' }).click();
});

test("a confusion cell's image shows the model's saliency map over it and its three likeliest classes", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await openDemo(page);
  await page.getByRole('button', { name: 'Quick look' }).click();
  await page.getByTestId('task-settings').getByLabel('Epochs').fill('1');
  await page
    .getByRole('tabpanel', { name: 'Primary' })
    .getByRole('button', { name: 'Train', exact: true })
    .click();
  await expect(page.getByTestId('chosen-run')).toBeVisible({ timeout: 90_000 });
  const matrix = page.getByTestId('test-confusion');
  await matrix.locator('summary').click();
  await matrix.getByTestId('test-confusion-counts').locator('tbody button').first().click();
  const cell = matrix.getByTestId('cell-examples');
  await cell
    .getByRole('button', { name: /^Why the model decided on image \d+$/ })
    .first()
    .click();
  const saliency = cell.getByTestId('saliency');
  await expect(saliency.getByTestId('saliency-overlay')).toBeVisible({ timeout: 30_000 });
  const rows = saliency.getByTestId('saliency-top').locator('tbody tr');
  await expect(rows).toHaveCount(3);
  await expect(rows.locator('td').first()).toHaveText(/^(Glasses & Sunglasses|Shoes|Trousers & Jeans)$/);
  const percents = (await rows.locator('td.num').allTextContents()).map(parseFloat);
  expect(percents).toEqual([...percents].sort((a, b) => b - a)); // most probable first
  expect(percents.reduce((a, b) => a + b)).toBeCloseTo(100, 0); // Primary has three classes: all of them
  await expect(saliency).toContainText(
    /Highlighted: where the image most raised the score of|nothing to highlight/,
  );
  // The overlay is the map, drawn: some pixel is coloured unless nothing raised the score.
  const painted = await saliency.getByTestId('saliency-overlay').evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
    return n;
  });
  if ((await saliency.getByTestId('saliency-overlay').getAttribute('data-found')) === 'true')
    expect(painted).toBeGreaterThan(0);
  await saliency.getByLabel('Saliency method').selectOption('input-gradient');
  await expect(saliency.getByTestId('saliency-overlay')).toBeVisible({ timeout: 30_000 });
});
