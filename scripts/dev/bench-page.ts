// Opens the training benchmark page once and prints its JSON (e.g. ?backend=wasm&threads=2&model=small).
import { chromium } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../chromium';
const b = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
const p = await b.newPage();
p.on('console', (m) => console.log('console:', m.type(), m.text().slice(0, 200)));
p.on('pageerror', (e) => console.log('pageerror:', e.message));
await p.goto(`http://127.0.0.1:4173/bench.html${process.argv[2] ?? ''}`);
await p.waitForFunction(() => (window as unknown as { __bench?: unknown }).__bench, null, {
  timeout: 600_000,
});
console.log(JSON.stringify(await p.evaluate(() => (window as unknown as { __bench: unknown }).__bench)));
await b.close();
