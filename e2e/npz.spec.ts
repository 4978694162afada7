import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { unzipSync } from 'fflate';
import { readNpz, writeNpz } from '../src/core/npz';

const fixtures = join(process.cwd(), 'src', 'core', 'fixtures');

async function download(page: Page, name: string, path: string) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name }).click()]);
  await d.saveAs(path);
  return unzipSync(readFileSync(path));
}

test("opens the study's NPZ files written by NumPy, asking for class names with the study's order", async ({
  page,
}) => {
  await page.goto('/');
  await page
    .getByTestId('npz-input')
    .setInputFiles([
      join(fixtures, 'Trousers & Jeans - All - Train.npz'),
      join(fixtures, 'Trousers & Jeans - All - Test.npz'),
    ]);
  const form = page.getByRole('form', { name: 'Name the classes of Trousers & Jeans - All' });
  await expect(form.getByLabel('Class names')).toHaveValue(
    'Trousers & Jeans/Male/Trousers\nTrousers & Jeans/Male/Jeans\nTrousers & Jeans/Female/Trousers\nTrousers & Jeans/Female/Jeans',
  );
  await form.getByRole('button', { name: 'Import' }).click();
  await expect(page.getByTestId('dataset-summary')).toContainText('8 images in 4 classes');
  const sizes = (await page.getByTestId('split-sizes').locator('dd').allTextContents()).map(Number);
  expect(sizes).toEqual([5, 0, 3]); // as the files say, no split of our own
  await expect(
    page
      .getByTestId('label-tree')
      .locator('tr[data-label="Trousers & Jeans / Female / Jeans"] td[data-col="total"]'),
  ).toHaveText('1');
});

test('a dataset exported as NPZ comes back with identical pixels and labels; broken NPZ files are refused', async ({
  page,
}, info) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await page.getByLabel('Size').selectOption('20');
  await page.getByRole('button', { name: 'Try the demo catalog' }).click();
  await expect(page.getByTestId('dataset-summary')).toContainText('340 images', { timeout: 90_000 });
  const first = await download(page, 'Download as NPZ', info.outputPath('first.zip'));
  // 11 tasks (the study's ten and the flat one) × 3 splits, each with its sidecar.
  expect(Object.keys(first).filter((n) => n.endsWith('.npz'))).toHaveLength(33);
  expect(JSON.parse(Buffer.from(first['Shoes - Female - Validation.json']!).toString())).toMatchObject({
    split: 'validation',
    genders: ['Male', 'Female'],
    count: 12,
  });
  const tj = ['Train', 'Validation', 'Test'].flatMap((s) => [
    `Trousers & Jeans - All - ${s}.npz`,
    `Trousers & Jeans - All - ${s}.json`,
  ]);
  const paths = tj.map((n) => {
    const p = info.outputPath(n);
    writeFileSync(p, first[n]!);
    return p;
  });

  await page.getByRole('button', { name: 'Import another folder' }).click();
  await page.getByTestId('npz-input').setInputFiles(paths);
  await expect(page.getByTestId('dataset-summary')).toContainText('80 images in 4 classes');
  expect((await page.getByTestId('split-sizes').locator('dd').allTextContents()).map(Number)).toEqual([
    64, 8, 8,
  ]);
  const second = await download(page, 'Download as NPZ', info.outputPath('second.zip'));
  for (const s of ['Train', 'Validation', 'Test']) {
    const name = `Trousers & Jeans - All - ${s}.npz`;
    // The arrays, not the zip bytes: zip entries carry the time they were written.
    const [a, b] = [readNpz(first[name]!), readNpz(second[name]!)];
    expect(a['images']!.data.length).toBeGreaterThan(0);
    for (const k of ['images', 'labels', 'genders']) {
      expect(b[k]!.shape, `${name} ${k}`).toEqual(a[k]!.shape);
      expect(
        Buffer.compare(Buffer.from(b[k]!.data.buffer), Buffer.from(a[k]!.data.buffer)),
        `${name} ${k}`,
      ).toBe(0);
    }
  }

  // A truncated file and a file of the wrong shape: a message, nothing imported.
  await page.getByRole('button', { name: 'Import another folder' }).click();
  const cut = info.outputPath('cut - Train.npz');
  writeFileSync(cut, readFileSync(join(fixtures, 'Trousers & Jeans - All - Train.npz')).subarray(0, 5000));
  await page.getByTestId('npz-input').setInputFiles(cut);
  await expect(page.getByTestId('error')).toContainText(/cut - Train\.npz: This is not a readable zip file/);
  const rotated = info.outputPath('rotated.npz');
  writeFileSync(
    rotated,
    writeNpz({
      images: { dtype: 'uint8', shape: [1, 90, 120, 3], data: new Uint8Array(32400) },
      labels: { dtype: 'int64', shape: [1], data: Float64Array.of(0) },
    }),
  );
  await page.getByTestId('npz-input').setInputFiles(rotated);
  await expect(page.getByTestId('error')).toContainText(
    'rotated.npz: images must have shape (N, 120, 90, 3); it has (1, 90, 120, 3).',
  );
  // float32 images scaled to [0, 1] are fine: only the class names are asked for.
  await page.getByTestId('npz-input').setInputFiles(join(fixtures, 'float-images.npz'));
  await expect(page.getByRole('form', { name: /Name the classes of float-images/ })).toBeVisible();
});
