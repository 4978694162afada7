import { expect, test, type Page, type Worker } from '@playwright/test';
import { makeHostileFolder, makeManyFolder } from './support/folders';
import { openDemo } from './support/flows';
import { dataDir } from './support/paths';
import { putRecords, STORES, storedCount, storedKeys, storedRecords } from './support/stored';

/** An exception thrown inside a worker, outside any call: what a bug or a browser fault there looks like. */
const crash = (w: Worker) =>
  w.evaluate(() =>
    setTimeout(() => {
      throw new Error('injected fault');
    }, 0),
  );

/** Images an unfinished import has recorded as stored for certain. */
const recorded = async (page: Page) => {
  const imports = (await storedRecords(page, STORES.imports)) as { progress?: { files: string[] } }[];
  return imports.find((r) => r.progress)?.progress?.files.length ?? 0;
};

/** The stored run records, as the lab keeps them (epoch by epoch). */
const storedRuns = async (page: Page) =>
  (await storedRecords(page, STORES.runs)) as {
    id: string;
    startedAt: string;
    epochs: { epoch: number; loss: number; seconds: number }[];
  }[];

async function firstWorker(page: Page, name: string): Promise<Worker> {
  await expect.poll(() => page.workers().some((w) => w.url().includes(name)), { timeout: 30_000 }).toBe(true);
  return page.workers().find((w) => w.url().includes(name))!;
}

test('a crash in the training worker is reported, and the run resumes in a fresh worker', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await openDemo(page);
  await page.getByRole('button', { name: 'Quick look' }).click();
  const settings = page.getByTestId('task-settings');
  // Enough epochs that the run is still going when Stop is pressed: on WASM an epoch of the demo takes well
  // under a second, faster than a check can catch one given epoch.
  await settings.getByLabel('Epochs').fill('300');
  await settings.getByLabel('Early-stopping patience').fill('300');
  await page.getByRole('tabpanel').getByRole('button', { name: 'Train', exact: true }).click();
  const curves = page.getByTestId('run-detail').getByTestId('epoch-curves');
  const epochs = async () => Number(await curves.getAttribute('data-epochs'));
  await expect.poll(epochs, { timeout: 60_000 }).toBeGreaterThanOrEqual(2);

  await crash(await firstWorker(page, 'train.worker'));
  await expect(page.getByTestId('train-error')).toContainText(
    /The training worker stopped: .*injected fault/,
  );
  const job = page.getByTestId('runs-table').locator('tbody[data-job]');
  await expect(job).toHaveAttribute('data-status', 'interrupted');
  const [cut] = await storedRuns(page);
  expect(cut!.epochs.length).toBeGreaterThanOrEqual(2);

  // The page still works: the run carries on from its last checkpoint in a new worker.
  await job.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByTestId('train-error')).toHaveCount(0);
  await expect.poll(epochs, { timeout: 60_000 }).toBeGreaterThanOrEqual(cut!.epochs.length + 1);
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(job).toHaveAttribute('data-status', 'stopped', { timeout: 30_000 });
  // A resume keeps the epochs recorded before the crash as they were, timings included, and adds to them; a
  // restart from scratch would record epoch 1 again with a new time.
  const [resumed] = await storedRuns(page);
  expect(resumed!.id).toBe(cut!.id);
  expect(resumed!.startedAt).toBe(cut!.startedAt);
  expect(resumed!.epochs.length).toBeGreaterThan(cut!.epochs.length);
  expect(resumed!.epochs.slice(0, cut!.epochs.length)).toEqual(cut!.epochs);
  expect(resumed!.epochs.map((e) => e.epoch)).toEqual(resumed!.epochs.map((_, i) => i));
});

test('a crash in an image decoder stops the import with a message, saves nothing, and the next import works', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const root = dataDir('faults-many');
  makeManyFolder(root, 150, 4);
  await page.goto('/');
  page.on('worker', (w) => {
    if (w.url().includes('ingest.worker')) void crash(w).catch(() => undefined);
  });
  await page.getByTestId('folder-input').setInputFiles(root);
  await expect(page.getByTestId('error')).toContainText(
    /The image decoder stopped unexpectedly.*injected fault/,
    {
      timeout: 60_000,
    },
  );
  await expect(page.getByRole('heading', { name: 'Start with a folder of photos' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Datasets cached on this device' })).toHaveCount(0);
  await expect.poll(() => storedCount(page)).toBe(0); // not one orphaned chunk

  page.removeAllListeners('worker');
  await page.getByTestId('folder-input').setInputFiles(root);
  await expect(page.getByTestId('dataset-summary')).toContainText('600 images in 4 classes', {
    timeout: 60_000,
  });
});

test('a reload in the middle of an import: after reopening, choosing the folder again resumes it', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const root = dataDir('faults-reload');
  makeManyFolder(root, 600, 4);
  // One decoder, paced: an unpaced import of these 2,400 small images can finish within the second between two
  // of its progress records, before a reload could land in its middle.
  await page.goto('/?workers=1&importPace=40');
  await page.getByTestId('folder-input').setInputFiles(root);
  // The import records what it has stored for certain every second…
  await expect.poll(() => recorded(page), { timeout: 60_000 }).toBeGreaterThan(0);
  await page.reload();
  const notice = page.getByTestId('notice');
  await expect(notice).toContainText(
    /The import of “faults-reload” was cut off after [\d,]+ images \(the page was reloaded or closed\)\. Choose the same folder again to continue where it stopped\./,
  );
  const stored = Number(/after ([\d,]+) images/.exec((await notice.textContent())!)![1]!.replace(/,/g, ''));
  expect(stored % 64).toBe(0); // whole chunks only
  expect(stored).toBeLessThan(2400);
  // Nothing half-written is listed as a dataset.
  await expect(page.getByRole('heading', { name: 'Datasets cached on this device' })).toHaveCount(0);

  await page.getByTestId('folder-input').setInputFiles(root);
  await expect(page.getByTestId('dataset-summary')).toContainText('2,400 images in 4 classes', {
    timeout: 60_000,
  });
  await expect(page.getByTestId('resumed')).toContainText(
    `${stored.toLocaleString('en-US')} images were already stored`,
  );
  const tree = page.getByTestId('label-tree');
  for (let c = 0; c < 4; c++)
    await expect(tree.locator(`tr[data-label="Class ${c}"] td[data-col="total"]`)).toHaveText('600');
  await expect(page.getByRole('alert')).toHaveCount(0); // no duplicates: nothing was stored twice
  expect((await storedKeys(page)).imports).toEqual([]);
});

test('an unfinished import can be discarded instead', async ({ page }) => {
  test.setTimeout(120_000);
  const root = dataDir('faults-discard');
  makeManyFolder(root, 1000, 4);
  await page.goto('/?workers=1&importPace=40');
  await page.getByTestId('folder-input').setInputFiles(root);
  await expect.poll(() => recorded(page), { timeout: 60_000 }).toBeGreaterThan(0);
  await page.reload();
  await expect(page.getByTestId('notice')).toContainText('was cut off');
  await page.getByRole('button', { name: /Discard the unfinished import/ }).click();
  await expect(page.getByTestId('notice')).toHaveCount(0);
  await expect.poll(() => storedCount(page)).toBe(0);
});

test('a dataset cached by an older version is removed with a message; current ones are kept', async ({
  page,
}) => {
  const root = dataDir('faults-current');
  makeManyFolder(root, 5, 2);
  await page.goto('/');
  await page.getByTestId('folder-input').setInputFiles(root);
  await expect(page.getByTestId('dataset-summary')).toContainText('10 images in 2 classes');
  // What version 0 of the lab would have left: a summary and manifest in another format.
  await putRecords(page, [
    [STORES.manifests, { schema: 0, id: 'old', name: 'Old photos', images: 3 }],
    [STORES.datasets, { id: 'old', name: 'Old photos', images: 3, createdAt: '2020-01-01' }],
    [STORES.chunks, { datasetId: 'old', n: 0, bytes: new Uint8Array(10) }],
  ]);
  await page.reload();
  await expect(page.getByTestId('notice')).toContainText(
    '1 cached dataset (Old photos) came from an older version of the lab and was removed. Import it again.',
  );
  const left = await storedKeys(page);
  for (const store of [STORES.datasets, STORES.manifests]) expect(left[store]).not.toContain('old');
  expect(left.chunks.filter((k) => (k as string[])[0] === 'old')).toEqual([]);
  await expect(page.getByRole('cell', { name: 'faults-current', exact: true })).toBeVisible();
});

for (const [backend, what] of [
  ['webgl', 'the WebGL context was lost'],
  ['webgpu', 'the WebGPU device was lost'],
] as const) {
  test(`a lost ${backend === 'webgl' ? 'WebGL context' : 'WebGPU device'} mid-run: detected, the last checkpoint kept, and training goes on on WASM`, async ({
    page,
  }) => {
    test.setTimeout(300_000);
    const root = dataDir(`faults-${backend}`);
    makeManyFolder(root, 16, 2);
    await page.goto('/');
    await page.getByTestId('folder-input').setInputFiles(root);
    await expect(page.getByTestId('dataset-summary')).toContainText('32 images in 2 classes');
    await page.getByRole('button', { name: 'Train models on it' }).click();
    await page.getByLabel('Backend').selectOption(backend); // SwiftShader here: slow, but a real GPU API
    await page.getByRole('button', { name: 'Quick look' }).click();
    const settings = page.getByTestId('task-settings');
    await settings.getByLabel('Epochs').fill('4');
    await settings.getByLabel('Early-stopping patience').fill('4');
    await page.getByRole('tabpanel').getByRole('button', { name: 'Train', exact: true }).click();
    await expect(page.getByTestId('trained-on')).toHaveAttribute('data-backend', backend, {
      timeout: 60_000,
    });
    const curves = page.getByTestId('run-detail').getByTestId('epoch-curves');
    await expect(curves).toHaveAttribute('data-epochs', /^[1-3]$/, { timeout: 240_000 });

    const worker = await firstWorker(page, 'train.worker');
    expect(
      await worker.evaluate(() =>
        (self as unknown as { labFaults: { loseGpu(): string } }).labFaults.loseGpu(),
      ),
    ).toBe(`lost ${backend}`);
    await expect(page.getByTestId('trained-on')).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
    await expect(page.getByTestId('trained-on')).toContainText(
      new RegExp(`${what}.*; continuing on WASM from epoch [2-4]`),
    );
    const job = page.getByTestId('runs-table').locator('tbody[data-job]');
    await expect(job).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
    await expect(job.locator('tr[data-run] td').nth(3)).toHaveText(/^4 \(\d\)$/); // all four epochs
    await expect(page.getByTestId('train-error')).toHaveCount(0);
  });
}

test('a hostile folder: every good image kept, every bad file listed, nothing in a name runs', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const hostile = makeHostileFolder(dataDir('hostile'));
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto('/');
  await page.getByTestId('folder-input').setInputFiles(hostile.root);
  const total = Object.values(hostile.counts).reduce((a, b) => a + b, 0);
  await expect(page.getByTestId('dataset-summary')).toContainText(
    `${total} images in ${Object.keys(hostile.counts).length} classes`,
    { timeout: 60_000 },
  );
  const tree = page.getByTestId('label-tree');
  for (const [label, count] of Object.entries(hostile.counts))
    await expect(tree.locator(`tr[data-label="${label}"] td[data-col="total"]`), label).toHaveText(
      String(count),
    );
  const skipped = page.getByTestId('skipped');
  for (const [path, reason] of Object.entries(hostile.skipped)) {
    const row = skipped.locator('tr', { has: page.locator('td.path', { hasText: path }) });
    await expect(row, path).toHaveCount(1);
    await expect(row.locator('td').nth(1)).toHaveText(reason);
  }
  // The 8000×8000 picture arrives as the same 90×120 as everything else.
  const huge = page.getByRole('img', { name: 'Odd sizes example 1' });
  await expect(huge).toHaveAttribute('width', '90');
  await expect(page.getByText('spaces & ampersands & "quotes".jpg')).toHaveCount(0); // good files are not listed
  expect(dialogs).toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});

test('a full disk while saving a trained model: the run and its numbers are kept, the message says what to do', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const root = dataDir('faults-quota');
  makeManyFolder(root, 12, 2);
  await page.goto('/');
  // The training worker's IndexedDB refuses the model (and only the model), as a full disk would.
  page.on('worker', (w) => {
    if (!w.url().includes('train.worker')) return;
    void w
      .evaluate((models) => {
        const put = IDBObjectStore.prototype.put;
        IDBObjectStore.prototype.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
          if (this.name === models)
            throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
          return put.call(this, value, key);
        };
      }, STORES.models)
      .catch(() => undefined);
  });
  await page.getByTestId('folder-input').setInputFiles(root);
  await expect(page.getByTestId('dataset-summary')).toContainText('24 images in 2 classes');
  await page.getByRole('button', { name: 'Train models on it' }).click();
  await page.getByRole('button', { name: 'Quick look' }).click();
  await page.getByRole('tabpanel').getByRole('button', { name: 'Train', exact: true }).click();
  const run = page.getByTestId('runs-table').locator('tr[data-run]');
  await expect(run).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect(run).toContainText(
    /The browser's storage for this site is full while saving the trained model \(needs about \d+ MB more.*\)\. Delete cached datasets you no longer need/,
  );
  await expect(run.getByRole('button', { name: 'model' })).toHaveCount(0); // nothing half-saved to download
  await expect(run.locator('td[data-col="test"]')).toHaveText(/\d+\.\d%/);
  const keys = await storedKeys(page);
  expect(keys.models).toEqual([]);
  expect(keys.checkpoints).toEqual([]);

  // The dataset and the run survive a reload.
  await page.reload();
  await page.getByRole('button', { name: 'Open' }).first().click();
  await page.getByRole('button', { name: 'Train models on it' }).click();
  await expect(page.getByTestId('runs-table').locator('tr[data-run]')).toHaveAttribute('data-status', 'done');
});
