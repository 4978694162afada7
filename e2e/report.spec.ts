import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { expect, test } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import { openDemo, trainEveryTaskQuickly } from './support/flows';

test('the report shows every task and both comparisons, and downloads as HTML that opens offline and as Markdown with its PNGs', async ({
  page,
  browser,
}, info) => {
  test.setTimeout(300_000);
  await openDemo(page);
  const tasks = (await page.getByRole('tab').allTextContents()).map((t) => t.split(' · ')[0]!);
  await trainEveryTaskQuickly(page);
  await page.getByRole('button', { name: 'Report', exact: true }).click();

  // Every task with its chosen run and test accuracy, the study's figure beside it (the demo catalog).
  const overview = page.getByTestId('report-overview');
  const rows = overview.locator('tbody tr');
  await expect(rows).toHaveCount(tasks.length);
  for (let i = 0; i < tasks.length; i++) {
    await expect(rows.nth(i).locator('th')).toHaveText(tasks[i]!);
    await expect(rows.nth(i).locator('td').nth(3)).toHaveText(/^\d+\.\d%$/);
  }
  await expect(rows.first().locator('td').last()).toHaveText('99.88%');

  // Both categories' routes are compared once their models are trained, without a visit to the Label step.
  for (const category of ['Trousers & Jeans', 'Shoes'])
    await expect(page.getByTestId(`report-comparison-${category}`)).toContainText('McNemar', {
      timeout: 120_000,
    });

  // The flat model's three-way comparison too.
  expect(tasks).toContain('Flat (all 17 leaves)');
  await expect(page.getByTestId('report-three-routes')).toContainText('Flat against hierarchical', {
    timeout: 120_000,
  });

  // A test matrix's thumbnail opens the full matrix and the images of a cell.
  await page
    .getByTestId('report-task-primary')
    .getByRole('button', { name: 'Primary: test set: open the full matrix and its images' })
    .click();
  const matrix = page.getByTestId('report-matrix');
  await matrix.locator('summary').click();
  await matrix.getByTestId('report-matrix-counts').locator('td button').first().click();
  await expect(matrix.getByTestId('cell-examples').locator('canvas').first()).toBeVisible();

  // One HTML file: no script, and offline with JavaScript off every image is there.
  const [html] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download as HTML' }).click(),
  ]);
  const htmlPath = info.outputPath('report.html');
  await html.saveAs(htmlPath);
  expect(readFileSync(htmlPath, 'utf8')).not.toMatch(/<script/i);
  const offline = await browser.newContext({ javaScriptEnabled: false, offline: true });
  const requests: string[] = [];
  offline.on('request', (r) => requests.push(r.url()));
  const view = await offline.newPage();
  await view.goto(pathToFileURL(htmlPath).href);
  await expect(view.locator('section[data-task]')).toHaveCount(tasks.length);
  await expect(view.locator('section[data-comparison="Shoes"]')).toContainText('McNemar');
  await expect(view.locator('section[data-comparison="three routes"]')).toContainText(
    'Flat against hierarchical',
  );
  const images = view.locator('img');
  // Validation and test for every task, two routes for each of the two categories.
  await expect(images).toHaveCount(2 * tasks.length + 4);
  const widths = await images.evaluateAll((all) =>
    (all as HTMLImageElement[]).map((i) => (i.complete ? i.naturalWidth : 0)),
  );
  for (const w of widths) expect(w).toBeGreaterThan(100);
  expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
  await offline.close();

  // Markdown with its PNGs: every picture report.md names is in the zip.
  const [md] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download as Markdown (.zip)' }).click(),
  ]);
  const zipPath = info.outputPath('report.zip');
  await md.saveAs(zipPath);
  const zip = unzipSync(readFileSync(zipPath));
  const text = strFromU8(zip['report.md']!);
  const linked = [...text.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]!);
  expect(linked).toHaveLength(2 * tasks.length + 4);
  for (const f of linked) expect(strFromU8(zip[f]!.subarray(1, 4))).toBe('PNG');
  for (const t of tasks) expect(text).toContain(`## ${t}`);
});
