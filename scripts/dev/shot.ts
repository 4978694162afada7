import { chromium } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../chromium';
const url = process.argv[2] ?? 'http://127.0.0.1:4173/';
const dir = process.argv[3];
const out = process.argv[4] ?? '/tmp/shots/page.png';
const b = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
const p = await b.newPage({ viewport: { width: 1280, height: 800 } });
p.on('console', (m) => console.log('console:', m.type(), m.text().slice(0, 300)));
p.on('pageerror', (e) => console.log('pageerror:', e.message));
await p.goto(url);
if (dir) {
  await p.getByTestId('folder-input').setInputFiles(dir);
  await p.getByTestId('dataset-summary').waitFor({ timeout: 60000 });
  await p.waitForTimeout(1500);
}
await p.screenshot({ path: out, fullPage: true });
console.log('crossOriginIsolated', await p.evaluate(() => crossOriginIsolated));
await b.close();
