import { expect, test, type Page } from '@playwright/test';
import { makeAspectFolder } from './support/folders';
import { dataDir } from './support/paths';

const root = dataDir('aspect');
makeAspectFolder(root);

/** RGB of pixel (x, y) of a class's first example, as stored in the dataset (90x120). */
async function pixel(page: Page, label: string, x: number, y: number): Promise<number[]> {
  const canvas = page.getByRole('img', { name: `${label} example 1` });
  return canvas.evaluate(
    (el, [px, py]) =>
      Array.from((el as HTMLCanvasElement).getContext('2d')!.getImageData(px!, py!, 1, 1).data.slice(0, 3)),
    [x, y],
  );
}

const near = (actual: number[], expected: number[], tolerance = 24) =>
  actual.every((v, i) => Math.abs(v - expected[i]!) <= tolerance);

const WHITE = [255, 255, 255];
const RED = [128, 0, 0];
const BLUE = [0, 0, 128];

async function importWith(page: Page, policy: string) {
  await page.goto('/');
  await page.getByLabel('Images that are not 3:4').selectOption(policy);
  await page.getByTestId('folder-input').setInputFiles(root);
  await expect(page.getByTestId('dataset-summary')).toContainText('2 images in 2 classes');
}

test('letterbox keeps the aspect ratio and pads with white; transparency becomes white', async ({ page }) => {
  await importWith(page, 'letterbox');
  // 640x360 -> 90x51 in the middle rows: white above, image across the middle.
  expect(near(await pixel(page, 'Wide', 60, 3), WHITE), 'padding above').toBe(true);
  expect(near(await pixel(page, 'Wide', 60, 60), RED), 'picture').toBe(true);
  expect(near(await pixel(page, 'Wide', 5, 60), WHITE), 'white band on the left').toBe(true);
  expect(near(await pixel(page, 'Clear', 3, 3), WHITE), 'transparent corner').toBe(true);
  expect(near(await pixel(page, 'Clear', 45, 60), BLUE), 'opaque centre').toBe(true);
});

test('stretch fills the frame with the whole picture', async ({ page }) => {
  await importWith(page, 'stretch');
  expect(near(await pixel(page, 'Wide', 60, 3), RED)).toBe(true);
  expect(near(await pixel(page, 'Wide', 5, 60), WHITE), 'left band still there').toBe(true);
});

test('centre-crop fills the frame with the middle of the picture', async ({ page }) => {
  await importWith(page, 'crop');
  expect(near(await pixel(page, 'Wide', 60, 3), RED)).toBe(true);
  expect(near(await pixel(page, 'Wide', 5, 60), RED), 'left band cropped away').toBe(true);
});
