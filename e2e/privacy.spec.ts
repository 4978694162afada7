import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { renderJpeg } from '../scripts/demo/render';
import { trainEveryTaskQuickly } from './support/flows';

// Every request the page, its workers and its pthread workers make, from the first load to the last download.
test('nothing leaves the machine: no request beyond the app’s origin, under a CSP that tfjs still runs with', async ({
  page,
  context,
  baseURL,
}, info) => {
  test.setTimeout(240_000);
  const origin = new URL(baseURL!).origin;
  const requests: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  context.on('weberror', (e) => requests.push(`error: ${e.error().message}`));
  await page.addInitScript(() => {
    (window as unknown as { __csp: string[] }).__csp = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { __csp: string[] }).__csp.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  const response = await page.goto('/');
  const csp = response!.headers()['content-security-policy'] ?? '';
  const directive = (name: string) =>
    csp
      .split(';')
      .map((d) => d.trim())
      .find((d) => d.startsWith(`${name} `)) ?? '';
  expect(directive('script-src')).toMatch(/^script-src 'self'/);
  expect(directive('script-src')).not.toContain('unsafe-inline'); // no inline script
  expect(directive('connect-src')).toBe("connect-src 'self' blob: data:"); // nowhere else
  expect(directive('default-src')).toBe("default-src 'self'");
  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(meta).toContain("default-src 'self'"); // static hosts get it from the page itself

  // Import, train every task, label, compare, export: the whole lab.
  await page.getByLabel('Size').selectOption('20');
  await page.getByRole('button', { name: 'Try the demo catalog' }).click();
  await expect(page.getByTestId('dataset-summary')).toContainText('340 images', { timeout: 90_000 });
  await page.getByRole('button', { name: 'Train models on it' }).click();
  await trainEveryTaskQuickly(page);
  await expect(page.getByTestId('epoch-curves').locator('canvas, svg').first()).toBeVisible();
  await page.getByRole('button', { name: 'Label', exact: true }).click();
  await page.getByRole('button', { name: 'Compare both routes on the test split' }).first().click();
  await expect(page.getByTestId('mcnemar')).toBeVisible();
  await page
    .getByTestId('label-input')
    .setInputFiles([{ name: 'x.jpg', mimeType: 'image/jpeg', buffer: renderJpeg(3, 0, 99) }]);
  await expect(page.getByTestId('label-path')).toBeVisible({ timeout: 60_000 });
  const [d] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download this labeller (.zip)' }).click(),
  ]);
  await d.saveAs(info.outputPath('l.zip'));
  expect(readFileSync(info.outputPath('l.zip')).length).toBeGreaterThan(1000);

  const outside = requests.filter(
    (u) => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:'),
  );
  expect(outside).toEqual([]);
  expect(requests.length).toBeGreaterThan(5);
  expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
});
