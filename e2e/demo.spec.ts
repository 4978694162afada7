import { expect, test } from '@playwright/test';

test('a newcomer can try the demo catalog without files of their own, and it comes back from the cache', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByLabel('Size').selectOption('20');
  await page.getByRole('button', { name: 'Try the demo catalog' }).click();
  await expect(page.getByRole('heading', { name: 'Drawing the demo catalog' })).toBeVisible();
  await expect(page.getByTestId('dataset-summary')).toContainText('340 images in 17 classes', {
    timeout: 90_000,
  });
  await expect(page.getByTestId('skipped-none')).toBeVisible();

  const tree = page.getByTestId('label-tree');
  for (const label of [
    'Glasses & Sunglasses / Sunglasses',
    'Trousers & Jeans / Female / Jeans',
    'Shoes / Male / Formal shoes',
    'Shoes / Female / High heels',
  ]) {
    await expect(tree.locator(`tr[data-label="${label}"] td[data-col="total"]`)).toHaveText('20');
  }
  await expect(tree.locator('tr[data-label="Shoes"] td[data-col="total"]')).toHaveText('220');
  const sizes = (await page.getByTestId('split-sizes').locator('dd').allTextContents()).map(Number);
  expect(sizes).toEqual([272, 34, 34]);

  await page.reload();
  await page.getByLabel('Size').selectOption('20');
  await page.getByRole('button', { name: 'Try the demo catalog' }).click();
  await expect(page.getByTestId('from-cache')).toBeVisible();
  await expect(page.getByTestId('dataset-summary')).toContainText('340 images in 17 classes');
});
