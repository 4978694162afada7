// Screenshot of the start page once the backend badge has appeared.
import { chromium } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../chromium';
const b = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
const p = await b.newPage({ viewport: { width: 1280, height: 420 } });
await p.goto('http://127.0.0.1:4173/');
await p.getByTestId('backend-badge').waitFor();
await p.screenshot({ path: process.argv[2] ?? '/tmp/shots/badge.png' });
await b.close();
