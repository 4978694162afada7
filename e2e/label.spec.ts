import { readFileSync, writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { renderJpeg } from '../scripts/demo/render';
import { DEMO_CLASSES } from '../src/demo/taxonomy';
import { openDemo, taskTab, trainEveryTaskQuickly } from './support/flows';

const classIndex = (path: string) => DEMO_CLASSES.findIndex((c) => c.path.join('/') === path);

test('labels new images with every level, compares the routes, and exports and re-imports models', async ({
  page,
}, info) => {
  test.setTimeout(240_000);
  await openDemo(page);
  await trainEveryTaskQuickly(page);

  // A test confusion-matrix cell shows its images.
  await taskTab(page, 'Primary').click();
  const testMatrix = page.getByTestId('test-confusion');
  await testMatrix.locator('summary').click();
  await testMatrix.getByTestId('test-confusion-counts').locator('td button').first().click();
  await expect(page.getByTestId('cell-examples').locator('canvas').first()).toBeVisible();
  // The kept epoch's validation matrix too, and both matrices download as PNG and CSV.
  const valMatrix = page.getByTestId('val-confusion');
  await valMatrix.locator('summary').click();
  await valMatrix.getByTestId('val-confusion-counts').locator('td button').first().click();
  await expect(valMatrix.getByTestId('cell-examples')).toBeVisible();
  const [png] = await Promise.all([
    page.waitForEvent('download'),
    testMatrix.getByRole('button', { name: 'PNG' }).click(),
  ]);
  const pngPath = info.outputPath('test.png');
  await png.saveAs(pngPath);
  expect(readFileSync(pngPath).subarray(1, 4).toString()).toBe('PNG');
  const [csv] = await Promise.all([
    page.waitForEvent('download'),
    testMatrix.getByRole('button', { name: 'CSV' }).click(),
  ]);
  const csvPath = info.outputPath('test.csv');
  await csv.saveAs(csvPath);
  const csvLines = readFileSync(csvPath, 'utf8').trim().split('\n');
  expect(csvLines[0]).toBe(
    'true \\ predicted,Glasses & Sunglasses,Shoes,Trousers & Jeans,precision,recall,f1,support',
  );
  expect(csvLines).toHaveLength(4);

  // One model as a zip, as a user downloads it.
  const [modelDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('runs-table').getByRole('button', { name: 'model' }).first().click(),
  ]);
  const modelZipPath = info.outputPath('primary-model.zip');
  await modelDownload.saveAs(modelZipPath);
  const modelFiles = unzipSync(readFileSync(modelZipPath));
  expect(Object.keys(modelFiles).sort()).toEqual(['metadata.json', 'model.json', 'weights.bin']);
  const meta = JSON.parse(Buffer.from(modelFiles['metadata.json']!).toString());
  expect(meta.classes).toEqual(['Glasses & Sunglasses', 'Shoes', 'Trousers & Jeans']);
  expect(meta.inputShape).toEqual([120, 90, 3]);

  await page.getByRole('button', { name: 'Label', exact: true }).click();
  await expect(page.getByTestId('labeller-models')).toContainText('11 of 11 task models');

  // The study's comparison, on the shared test split.
  const routes = page.locator('fieldset.routes');
  await routes
    .locator('.route', { hasText: 'Shoes' })
    .getByRole('button', { name: /Compare/ })
    .click();
  const cmp = page.getByTestId('compare-Shoes');
  await expect(cmp).toContainText('Shoes: combined against hierarchical, 22 test images');
  await expect(cmp.getByTestId('mcnemar')).toContainText(/evidence/);
  await expect(cmp.getByTestId('hier-errors')).toContainText(/wrong branch/);
  const combinedCounts = cmp.getByTestId('compare-Shoes-combined-counts');
  await cmp.getByTestId('compare-Shoes-combined').locator('summary').click();
  const cells = (await combinedCounts.locator('tbody td:not([data-col])').allTextContents()).map(Number);
  expect(cells.reduce((a, b) => a + b)).toBe(22);
  await combinedCounts.locator('td button').first().click();
  await expect(cmp.getByTestId('cell-examples').locator('canvas').first()).toBeVisible();

  // With the flat model trained, the three routes are compared too, on the whole test split (2 per leaf).
  const three = page.getByTestId('three-routes');
  await expect(three).toContainText('Three routes over the whole tree, 34 test images');
  // The study's points over the tree: 3 per image with a level 2, 2 per glasses image: 30 × 3 + 4 × 2.
  for (const route of ['flat', 'hierarchical', 'combined'])
    await expect(three.locator(`td[data-route="${route}"]`).first()).toHaveText(/^\d+ of 98$/);
  await expect(three.getByRole('columnheader', { name: 'Flat (all 17 leaves)', exact: true })).toBeVisible();
  await expect(three.getByTestId('three-routes-ranking')).toContainText(/ranks first|tie/);
  const pairs = three.getByTestId('three-routes-mcnemar').locator('li');
  await expect(pairs).toHaveText([
    /^McNemar’s test, Flat against hierarchical: .*(evidence|same images)/,
    /^McNemar’s test, Flat against combined: /,
    /^McNemar’s test, Hierarchical against combined: /,
  ]);

  // New images: three demo items not in the catalog (other seed), and a broken file.
  const files = [
    {
      name: 'heels.jpg',
      mimeType: 'image/jpeg',
      buffer: renderJpeg(classIndex('Shoes/Female/High heels'), 0, 777),
    },
    {
      name: 'jeans.jpg',
      mimeType: 'image/jpeg',
      buffer: renderJpeg(classIndex('Trousers & Jeans/Male/Jeans'), 0, 777),
    },
    {
      name: 'sun.jpg',
      mimeType: 'image/jpeg',
      buffer: renderJpeg(classIndex('Glasses & Sunglasses/Sunglasses'), 0, 777),
    },
    { name: 'broken.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('not a jpeg at all') },
  ];
  // Through the pipeline first (the default may be the flat route, when it ranked first).
  await page.getByTestId('flat-route').selectOption('pipeline');
  await page.getByTestId('label-input').setInputFiles(files);
  const items = page.getByTestId('labelled').locator(':scope > li');
  await expect(items).toHaveCount(4, { timeout: 60_000 });
  for (let i = 0; i < 3; i++) {
    await expect(items.nth(i)).toHaveAttribute('data-complete', 'true');
    await expect(items.nth(i).getByTestId('label-route')).not.toHaveAttribute('data-route', 'flat');
    const path = (await items.nth(i).getByTestId('label-path').textContent())!.split(' / ');
    // Every level down to a leaf, and one confidence per model on the route.
    expect(path.length).toBeGreaterThanOrEqual(2);
    const levels = await items.nth(i).locator('ol.levels li').allTextContents();
    expect(levels.length).toBeGreaterThanOrEqual(2);
    for (const l of levels) expect(l).toMatch(/\(.+, \d+\.\d%\)/);
  }
  await expect(items.nth(3)).toContainText('Not an image the lab can read');

  // The flat route: one model, one level, straight to a leaf; each result says so.
  await page.getByTestId('flat-route').selectOption('flat');
  await page.getByTestId('label-input').setInputFiles(files.slice(0, 3));
  await expect(items).toHaveCount(3, { timeout: 60_000 });
  for (let i = 0; i < 3; i++) {
    await expect(items.nth(i)).toHaveAttribute('data-complete', 'true');
    await expect(items.nth(i).getByTestId('label-route')).toHaveAttribute('data-route', 'flat');
    await expect(items.nth(i).getByTestId('label-route')).toHaveText(/^Labelled by the flat route/);
    await expect(items.nth(i).locator('ol.levels li')).toHaveText([/\(Flat \(all 17 leaves\), \d+\.\d%\)$/]);
  }

  // The whole labeller as one bundle, imported again: labels without any dataset.
  const [bundleDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download this labeller (.zip)' }).click(),
  ]);
  const bundlePath = info.outputPath('labeller.zip');
  await bundleDownload.saveAs(bundlePath);
  await page.getByTestId('import-zip').setInputFiles(bundlePath);
  await expect(page.getByLabel('Models')).toHaveValue(/^import-/);
  await expect(page.getByTestId('labeller-models')).toContainText('11 of 11 task models');
  // The bundle carries the flat model, and labels with it as it was left.
  await expect(page.getByTestId('flat-route')).toHaveValue('flat');
  await page.getByTestId('label-input').setInputFiles(files.slice(0, 2));
  await expect(items).toHaveCount(2, { timeout: 60_000 });
  await expect(items.nth(0)).toHaveAttribute('data-complete', 'true');
  await expect(items.nth(0).getByTestId('label-route')).toHaveAttribute('data-route', 'flat');

  // One model's zip loads as is (tf.loadLayersModel in the page) and labels as far as it can.
  await page.getByTestId('import-zip').setInputFiles(modelZipPath);
  // Anchored: '11 of 11 task models', still shown while the zip is read, contains '1 of 11 task models'.
  await expect(page.getByTestId('labeller-models')).toHaveText(/^1 of 11 task models/);
  await page.getByTestId('label-input').setInputFiles(files.slice(2, 3));
  await expect(items.first()).toContainText(/Stopped here: train .* first/, { timeout: 60_000 });

  // A corrupted bundle is refused with a reason and leaves nothing behind.
  const optionsBefore = await page.getByLabel('Models').locator('option').count();
  const bundle = unzipSync(readFileSync(bundlePath));
  bundle['models/0/weights.bin'] = bundle['models/0/weights.bin']!.slice(0, 100);
  const bad = info.outputPath('bad.zip');
  writeFileSync(bad, zipSync(bundle));
  await page.getByTestId('import-zip').setInputFiles(bad);
  await expect(page.getByTestId('label-error')).toContainText(
    /bad\.zip was not imported: Primary \(models\/0\/\): the weights file has 100 bytes but the model declares \d+/,
  );
  // Weights that are not numbers, and a bundle of too many models, are refused in words too (the rest of the
  // hostile files are src/lab/hostileFiles.test.ts, in Node).
  const nan = unzipSync(readFileSync(bundlePath));
  nan['models/0/weights.bin'] = new Uint8Array(nan['models/0/weights.bin']!.length).fill(0xff);
  writeFileSync(bad, zipSync(nan));
  await page.getByTestId('import-zip').setInputFiles(bad);
  await expect(page.getByTestId('label-error')).toContainText(
    /bad\.zip was not imported: Primary \(models\/0\/\): weights\.bin: \S+\/kernel holds NaN \(value 1 of/,
  );
  const many = unzipSync(readFileSync(bundlePath));
  const listed = JSON.parse(strFromU8(many['labeller.json']!)) as { models: unknown[] };
  listed.models = Array(101).fill(listed.models[0]);
  many['labeller.json'] = strToU8(JSON.stringify(listed));
  writeFileSync(bad, zipSync(many));
  await page.getByTestId('import-zip').setInputFiles(bad);
  await expect(page.getByTestId('label-error')).toContainText(
    'bad.zip was not imported: labeller.json: models: lists 101 models; a labeller has at most 100 (one per task).',
  );
  writeFileSync(bad, strToU8('PK garbage'));
  await page.getByTestId('import-zip').setInputFiles(bad);
  await expect(page.getByTestId('label-error')).toContainText(/not a readable zip/);
  await expect(page.getByLabel('Models').locator('option')).toHaveCount(optionsBefore);
});
