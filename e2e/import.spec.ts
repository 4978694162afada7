import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { dataDir } from './support/paths';
import { makeBasicFolder } from './support/folders';
import { onlySoftwareGpu } from './support/flows';

// Regenerating is deterministic and cheap; it gives the expectations without sharing state with global setup.
const basic = makeBasicFolder(dataDir('basic'));
const totalImages = Object.values(basic.counts).reduce((a, b) => a + b, 0);
const classCount = Object.keys(basic.counts).length;

async function chooseFolder(page: Page, dir: string) {
  await page.getByTestId('folder-input').setInputFiles(dir);
}

test.beforeEach(async ({ page }) => {
  page.on('dialog', (d) => {
    throw new Error(`unexpected dialog: ${d.message()}`);
  });
  await page.goto('/');
});

test('importing a folder shows classes, counts, split sizes and every skipped file with its reason', async ({
  page,
}) => {
  await chooseFolder(page, basic.root);
  await expect(page.getByTestId('dataset-summary')).toContainText(
    `${totalImages} images in ${classCount} classes`,
  );

  const tree = page.getByTestId('label-tree');
  for (const [label, count] of Object.entries(basic.counts)) {
    await expect(tree.locator(`tr[data-label="${label}"] td[data-col="total"]`)).toHaveText(String(count));
  }
  await expect(tree.locator('tr[data-label="Shoes"] td[data-col="total"]')).toHaveText(
    String(basic.counts['Shoes / Female / High heels']! + basic.counts['Shoes / Male / Boots']!),
  );

  const sizes = await page.getByTestId('split-sizes').locator('dd').allTextContents();
  expect(sizes.map(Number).reduce((a, b) => a + b, 0)).toBe(totalImages);
  expect(Number(sizes[0])).toBeGreaterThan(Number(sizes[1]));

  const skipped = page.getByTestId('skipped');
  for (const [path, reason] of Object.entries(basic.skipped)) {
    const row = skipped.locator('tr', { has: page.locator('td.path', { hasText: path }) });
    await expect(row, path).toHaveCount(1);
    await expect(row.locator('td').nth(1)).toHaveText(reason);
  }
  // The photo filed under both Glasses and Sunglasses is flagged.
  await expect(page.getByRole('alert')).toContainText('duplicate image');
  await expect(page.getByRole('alert')).toContainText(
    'Same image under different labels: Glasses & Sunglasses/Glasses/g1.jpg',
  );
  // A file name with markup is shown as text and never runs.
  await expect(skipped.getByText('<script>window.__pwned=1</script>.txt')).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

  // Thumbnails as the model sees them: 90x120 per class.
  await expect(page.getByRole('img', { name: 'Shoes / Male / Boots example 1' })).toHaveAttribute(
    'width',
    '90',
  );
  await expect
    .poll(() =>
      page
        .getByTestId('class-balance')
        .evaluate((el) => el.querySelector('canvas, svg')?.getBoundingClientRect().height ?? 0),
    )
    .toBeGreaterThan(100);
});

test('a reload, or choosing the same folder again, opens the dataset from the cache without decoding', async ({
  page,
}) => {
  await chooseFolder(page, basic.root);
  await expect(page.getByTestId('dataset-summary')).toContainText('imported in');
  await page.reload();
  const row = page.getByRole('row', { name: /basic/ });
  await expect(row).toContainText(String(totalImages));
  await row.getByRole('button', { name: /Open/ }).click();
  await expect(page.getByTestId('from-cache')).toBeVisible();
  await expect(page.getByTestId('dataset-summary')).toContainText(
    `${totalImages} images in ${classCount} classes`,
  );

  await page.getByRole('button', { name: 'Import another folder' }).click();
  await chooseFolder(page, basic.root);
  await expect(page.getByTestId('from-cache')).toBeVisible();

  // Deleting removes it from the list and from storage.
  await page.getByRole('button', { name: 'Import another folder' }).click();
  await page.getByRole('button', { name: /Delete basic/ }).click();
  await expect(page.getByRole('row', { name: /basic/ })).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Datasets cached on this device' })).toHaveCount(0);
});

test('dropping the folder again after a file was edited in place imports it afresh', async ({ page }) => {
  await chooseFolder(page, basic.root);
  await expect(page.getByTestId('dataset-summary')).toContainText('imported in');
  const edited = join(basic.root, 'Glasses & Sunglasses/Glasses/g0.jpg');
  const original = readFileSync(edited);
  const changed = Buffer.from(original);
  const middle = Math.floor(changed.length / 2);
  changed[middle] = changed[middle]! ^ 0x10; // same size and name, different content
  writeFileSync(edited, changed);
  try {
    await page.getByRole('button', { name: 'Import another folder' }).click();
    await chooseFolder(page, basic.root);
    await expect(page.getByTestId('dataset-summary')).toContainText('imported in');
    await expect(page.getByTestId('from-cache')).toHaveCount(0);
  } finally {
    writeFileSync(edited, original);
  }
});

test('a folder with a single class gets a clear message instead of a broken lab', async ({ page }) => {
  await chooseFolder(page, dataDir('one-class'));
  await expect(page.getByTestId('error')).toContainText('at least two label folders');
  await expect(page.getByRole('button', { name: 'Choose a folder…' })).toBeVisible();
});

test('cancelling an import stops it and saves nothing', async ({ page }) => {
  await chooseFolder(page, dataDir('many'));
  await expect(page.getByTestId('import-status')).toContainText(/of 1,600 images/);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('error')).toContainText('Import cancelled; nothing was saved.');
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Start with a folder of photos' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Datasets cached on this device' })).toHaveCount(0);
});

test('the header says which backend training will use, and why', async ({ page }) => {
  const badge = page.getByTestId('backend-badge');
  await expect(badge).toBeVisible({ timeout: 60_000 });
  await expect(badge).toHaveText(/^Training backend: (WebGPU|WebGL|WASM|CPU)/);
  // On a machine whose only GPU is software (SwiftShader, as in CI here), that is WASM, and the badge says so.
  const software = await onlySoftwareGpu(page);
  if (software) {
    await expect(badge).toHaveAttribute('data-backend', 'wasm');
    await expect(badge).toContainText('no hardware GPU found');
    const cores = await page.evaluate(() => Math.min(8, navigator.hardwareConcurrency));
    await expect(badge).toContainText(`WASM · ${cores} thread${cores > 1 ? 's' : ''}`);
  }
});
