import { chromium } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../chromium';
const url = process.argv[2] ?? 'http://127.0.0.1:4173/';
const size = process.argv[3] ?? '100';
const b = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
const p = await b.newPage({ viewport: { width: 1280, height: 800 } });
p.on('console', (m) => console.log('console:', m.type(), m.text().slice(0, 300)));
p.on('pageerror', (e) => console.log('pageerror:', e.message));
await p.goto(url);
await p.screenshot({ path: '/tmp/shots/start.png' });
await p.getByLabel('Size').selectOption(size);
const t0 = Date.now();
await p.getByRole('button', { name: 'Try the demo catalog' }).click();
await p.waitForTimeout(1500);
await p.screenshot({ path: '/tmp/shots/progress.png' });
await p.getByTestId('dataset-summary').waitFor({ timeout: 600000 });
console.log(
  'demo ready in',
  (Date.now() - t0) / 1000,
  's:',
  await p.getByTestId('dataset-summary').textContent(),
);
await p.waitForTimeout(1000);
await p.screenshot({ path: '/tmp/shots/demo.png', fullPage: true });
await p.reload();
await p.getByLabel('Size').selectOption(size);
const t1 = Date.now();
await p.getByRole('button', { name: 'Try the demo catalog' }).click();
await p.getByTestId('from-cache').waitFor();
console.log('second click from cache in', (Date.now() - t1) / 1000, 's');
await b.close();
