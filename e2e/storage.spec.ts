import { expect, test } from '@playwright/test';
import { dataDir } from './support/paths';
import { storedKeys } from './support/stored';

// Chromium 156 ignores the DevTools quota override here (scripts/dev/quota-probe.ts), so the full disk is
// injected at the API boundary: past a byte budget, IndexedDB's put throws the browser's QuotaExceededError.
test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => {
    const w = window as unknown as { __quotaBytes?: number; __usedBytes?: number };
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
      if (w.__quotaBytes !== undefined) {
        // A record's size: the bytes of the image chunk it carries, or a small record's.
        const bytes = Object.values(value as object).find((v) => v instanceof Uint8Array) as
          Uint8Array | undefined;
        w.__usedBytes = (w.__usedBytes ?? 0) + (bytes?.byteLength ?? 1_000);
        if (w.__usedBytes > w.__quotaBytes)
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
      return put.call(this, value, key);
    };
  });
});

test('a full disk is reported with what to do, saves nothing half-written, and keeps what was cached', async ({
  page,
}) => {
  await page.goto('/');
  // A small dataset cached first: it must survive the failed import.
  await page.getByTestId('folder-input').setInputFiles(dataDir('aspect'));
  await expect(page.getByTestId('dataset-summary')).toContainText('2 images in 2 classes');
  await page.getByRole('button', { name: 'Import another folder' }).click();

  await page.evaluate(() => ((window as unknown as { __quotaBytes: number }).__quotaBytes = 5_000_000));
  await page.getByTestId('folder-input').setInputFiles(dataDir('many')); // 1,600 images, ~52 MB
  await expect(page.getByTestId('error')).toContainText('storage for this site is full', { timeout: 60_000 });
  await expect(page.getByTestId('error')).toContainText('Delete cached datasets you no longer need');
  await expect(page.getByRole('heading', { name: 'Start with a folder of photos' })).toBeVisible();

  await page.reload(); // no budget after a reload
  const rows = page.getByRole('row', { name: /aspect|many/ });
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText('aspect');
  // No chunk of the failed import is left behind either.
  const stored = await storedKeys(page);
  expect(stored.imports).toEqual([]);
  const leftovers = stored.chunks.length;
  expect(leftovers).toBe(1); // the aspect dataset's single chunk
  await rows.getByRole('button', { name: /Open/ }).click();
  await expect(page.getByTestId('from-cache')).toBeVisible();
  await expect(page.getByTestId('dataset-summary')).toContainText('2 images in 2 classes');
});
