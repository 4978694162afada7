import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { unzipSync } from 'fflate';
import { makeManyFolder } from './support/folders';
import { writeWithIdbKeyval, type Dump } from './support/idbDump';
import { dataDir } from './support/paths';
import { storedKeys } from './support/stored';

// The database release 5b3a259 wrote (idb-keyval, one store) after importing a folder and training one task: made by
// e2e/fixtures/release1/make.ts driving that release, every record as the browser held it.
const fixture = JSON.parse(
  gunzipSync(readFileSync('e2e/fixtures/release1/db.json.gz')).toString(),
) as Dump & {
  folder: string;
};
const records = fixture.databases.flatMap((d) => d.stores.flatMap((s) => s.entries.map(([, v]) => v)));
const run = records.find((v) => typeof v === 'object' && v && 'jobId' in v) as {
  test: { accuracy: number };
};
const model = records.find((v) => typeof v === 'object' && v && 'weightSpecs' in v) as {
  weightData: { b64: string };
};

test('a database written by the previous release opens with its dataset, its run and its model', async ({
  context,
  page,
}, info) => {
  test.setTimeout(120_000);
  // Written on the lab's origin before the lab first opens it, by a page that is not the lab, which then closes.
  const writer = await context.newPage();
  await writer.route('**/release1-writer', (r) =>
    r.fulfill({ contentType: 'text/html', body: '<!doctype html><title>release 1</title>' }),
  );
  await writer.goto('/release1-writer');
  await writeWithIdbKeyval(writer, fixture);
  await writer.close();

  await page.goto('/');
  const row = page.getByRole('row', { name: new RegExp(fixture.folder) });
  await expect(row).toHaveCount(1);
  await expect(page.getByTestId('notice')).toHaveCount(0); // nothing cut off or outdated
  await row.getByRole('button', { name: /Open/ }).click();
  await expect(page.getByTestId('from-cache')).toBeVisible();
  await expect(page.getByTestId('dataset-summary')).toContainText('24 images in 2 classes');

  // The trained task shows its run, with the accuracy it had, and its model downloads whole.
  await page.getByRole('button', { name: 'Train models on it' }).click();
  const runRow = page.getByTestId('runs-table').locator('tr[data-run]');
  await expect(runRow).toHaveCount(1);
  await expect(runRow).toHaveAttribute('data-status', 'done');
  await expect(runRow.locator('td[data-col="test"]')).toHaveText(`${(run.test.accuracy * 100).toFixed(1)}%`);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    runRow.getByRole('button', { name: 'model' }).click(),
  ]);
  const zipPath = info.outputPath('model.zip');
  await download.saveAs(zipPath);
  const weights = unzipSync(readFileSync(zipPath))['weights.bin']!;
  expect(Buffer.from(weights).toString('base64')).toBe(model.weightData.b64);

  // The labeller uses that model.
  await page.getByRole('button', { name: 'Label', exact: true }).click();
  await expect(page.getByTestId('labeller-models')).toContainText('1 of 1 task models');
  const images = dataDir('upgrade-label');
  makeManyFolder(images, 1, 2);
  await page.getByTestId('label-input').setInputFiles(`${images}/Class 1/img0.jpg`);
  const item = page.getByTestId('labelled').locator(':scope > li');
  await expect(item).toHaveAttribute('data-complete', 'true', { timeout: 60_000 });
  await expect(item.getByTestId('label-path')).toHaveText(/^Class [01]$/);

  // Every record moved into the new stores, none lost.
  const stored = await storedKeys(page);
  expect(Object.values(stored).reduce((a, k) => a + k.length, 0)).toBe(records.length);
});
