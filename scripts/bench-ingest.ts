/**
 * npm run bench:ingest -- [--images N] [--out FILE]
 * Imports a generated folder of 300x400 JPEGs in headless Chromium with 1 decoder worker and with the default
 * pool, then a ~16,000-image folder, and reopens that one from the IndexedDB cache. Prints and writes JSON.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { DEMO_CLASSES } from '../src/demo/taxonomy';
import { childrenRssMB, launch, machine, peakSampler, serveLab } from './bench/harness';
import { scriptFlags } from './args';

const flags = scriptFlags('usage: npm run bench:ingest -- [--images N] [--out FILE]', {
  images: { type: 'string' },
  out: { type: 'string', default: 'bench-results/ingest.json' },
});
const images = flags.number('images', 2000, true);
const outFile = resolve(flags.values.out);
const perClass = Math.ceil(images / DEMO_CLASSES.length);
const dataRoot = resolve('.bench-data');
const small = join(dataRoot, `demo-${perClass}`);
const big = join(dataRoot, `demo-${perClass}-x8`);

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)],
  );
}

function prepareData() {
  if (!existsSync(small)) {
    console.log(`Generating ${perClass * DEMO_CLASSES.length} demo JPEGs (300x400) in ${small} …`);
    execFileSync('npx', ['tsx', 'scripts/demo-data.ts', '--out', small, '--per-class', String(perClass)], {
      stdio: 'inherit',
    });
  }
  if (!existsSync(big)) {
    // 8 hard-linked copies under new names: a ~16,000-image folder without 16,000 more files on disk.
    for (const file of listFiles(small)) {
      const rel = file.slice(small.length + 1);
      for (let k = 0; k < 8; k++) {
        const target = join(big, rel.replace(/\.jpg$/, `-copy${k}.jpg`));
        mkdirSync(dirname(target), { recursive: true });
        linkSync(file, target);
      }
    }
  }
}

async function importOnce(browser: Browser, url: string, folder: string, workers?: number) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(workers ? `${url}?workers=${workers}` : url);
  const stop = peakSampler(childrenRssMB);
  const t0 = performance.now();
  const endToEndMs = await chooseAndTime(page, folder, 'dataset-summary');
  const seconds = (performance.now() - t0) / 1000;
  const peakRssMB = stop();
  const summary = (await page.getByTestId('dataset-summary').textContent()) ?? '';
  const count = Number(/([\d,]+) images/.exec(summary)?.[1]?.replace(/,/g, '') ?? 0);
  const jsHeapMB = await heapMB(page);
  // The import's own timings, as the page measured them.
  const attr = async (name: string) => Number(await page.getByTestId('dataset-summary').getAttribute(name));
  const inPage = {
    endToEndMs,
    endToEndImagesPerSecond: (count / endToEndMs) * 1000,
    pipelineImagesPerSecond: (count / (await attr('data-total-ms'))) * 1000,
    phases: await page.evaluate(() => {
      const w = window as unknown as { __chosenAt: number };
      return Object.fromEntries(
        performance
          .getEntriesByType('mark')
          .filter((m) => m.name.startsWith('lab:'))
          .map((m) => [m.name, Math.round(m.startTime - w.__chosenAt)]),
      );
    }),
    totalMs: await attr('data-total-ms'),
    decodeMs: await attr('data-decode-ms'),
    workerBusyMs: await attr('data-worker-busy-ms'),
    workers: await attr('data-workers'),
  };
  return {
    context,
    page,
    result: {
      workers: workers ?? 'default',
      images: count,
      seconds,
      imagesPerSecond: count / seconds,
      peakRssMB,
      jsHeapMB,
      inPage,
    },
  };
}

/**
 * Chooses a folder and returns the in-page time from the browser handing over the files (the input's 'change'
 * event) to the element with `testId` appearing: what a person waits for. Playwright's own hand-over of the
 * paths (slow for 16,000 of them) is left out.
 */
async function chooseAndTime(page: Page, folder: string, testId: string): Promise<number> {
  await page.evaluate((id) => {
    const w = window as unknown as { __chosenAt?: number; __shownAt?: number };
    delete w.__shownAt;
    document
      .querySelector('[data-testid="folder-input"]')!
      .addEventListener('change', () => (w.__chosenAt = performance.now()), { once: true });
    new MutationObserver((_, obs) => {
      if (document.querySelector(`[data-testid="${id}"]`)) {
        w.__shownAt = performance.now();
        obs.disconnect();
      }
    }).observe(document.body, { subtree: true, childList: true });
  }, testId);
  await page.getByTestId('folder-input').setInputFiles(folder);
  await page.getByTestId(testId).waitFor({ timeout: 600_000 });
  return page.evaluate(() => {
    const w = window as unknown as { __chosenAt: number; __shownAt: number };
    return w.__shownAt - w.__chosenAt;
  });
}

async function heapMB(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  await cdp.detach();
  return (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / 2 ** 20;
}

async function main() {
  prepareData();
  const { url, server } = await serveLab();
  const browser = await launch();
  const defaultWorkers = await (async () => {
    const p = await browser.newPage();
    await p.goto(url);
    const n = await p.evaluate(() => Math.max(1, Math.min(4, navigator.hardwareConcurrency || 2)));
    await p.close();
    return n;
  })();
  try {
    const runs = [];
    for (const workers of [1, defaultWorkers]) {
      const { context, result } = await importOnce(browser, url, small, workers);
      console.log(
        `import ${result.images} images, ${workers} worker(s): ${result.inPage.endToEndImagesPerSecond.toFixed(0)} images/s` +
          ` from choosing the folder to seeing the dataset (pipeline alone ${result.inPage.pipelineImagesPerSecond.toFixed(0)}/s)`,
      );
      runs.push(result);
      await context.close();
    }
    // The study-size dataset: import, then reopen from the cache in a fresh page load.
    const { context, page, result: bigImport } = await importOnce(browser, url, big);
    console.log(
      `import ${bigImport.images} images, default pool: ${bigImport.inPage.endToEndImagesPerSecond.toFixed(0)} images/s` +
        ` end to end (pipeline alone ${bigImport.inPage.pipelineImagesPerSecond.toFixed(0)}/s),` +
        ` peak browser memory ${bigImport.peakRssMB.toFixed(0)} MB`,
    );
    await page.reload();
    const stop = peakSampler(childrenRssMB);
    const t0 = performance.now();
    await page.getByRole('button', { name: /^Open/ }).first().click();
    await page.getByTestId('from-cache').waitFor({ timeout: 120_000 });
    const reopenSeconds = (performance.now() - t0) / 1000;
    const reopen = {
      images: bigImport.images,
      megabytes: (bigImport.images * 32400) / 1e6,
      seconds: reopenSeconds,
      peakRssMB: stop(),
      jsHeapMB: await heapMB(page),
    };
    console.log(
      `reopen ${reopen.images} cached images (${reopen.megabytes.toFixed(0)} MB): ${reopen.seconds.toFixed(2)} s`,
    );
    // Choosing the same folder again: its files are hashed (not decoded) and matched to the cached copy.
    await page.getByRole('button', { name: 'Import another folder' }).click();
    const redropMs = await chooseAndTime(page, big, 'from-cache');
    const redrop = { images: bigImport.images, seconds: redropMs / 1000 };
    console.log(
      `choose the same ${redrop.images}-image folder again: from the cache in ${redrop.seconds.toFixed(2)} s (files hashed, not decoded)`,
    );
    await context.close();
    const report = {
      benchmark: 'ingest',
      machine: machine(),
      defaultWorkers,
      imports: runs,
      studySizeImport: bigImport,
      reopen,
      redrop,
    };
    mkdirSync(dirname(outFile), { recursive: true });
    writeFileSync(outFile, JSON.stringify(report, null, 2));
    console.log(`\nWrote ${outFile}`);
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
