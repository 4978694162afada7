// Does Storage.overrideQuotaForOrigin make IndexedDB writes fail? (Only in a persistent context, it turns out.)
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../chromium';
const ctx = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'quota-')), {
  executablePath: chromiumPath,
  args: chromiumArgs,
});
const p = await ctx.newPage();
const cdp = await ctx.newCDPSession(p);
await p.goto('http://127.0.0.1:4173/');
await cdp.send('Storage.overrideQuotaForOrigin', { origin: 'http://127.0.0.1:4173/', quotaSize: 3_000_000 });
await p.reload();
console.log(
  'storage key',
  await cdp
    .send('Storage.getStorageKeyForFrame', {
      frameId: (await cdp.send('Page.getFrameTree')).frameTree.frame.id,
    })
    .catch((e) => String(e)),
);
console.log(
  await p.evaluate(async () => {
    const est = await navigator.storage.estimate();
    const db = await new Promise<IDBDatabase>((ok, fail) => {
      const r = indexedDB.open('probe', 1);
      r.onupgradeneeded = () => r.result.createObjectStore('s');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    const results: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await new Promise<string>((ok) => {
        const tx = db.transaction('s', 'readwrite');
        tx.objectStore('s').put(new Uint8Array(2_000_000).fill(i), i);
        tx.oncomplete = () => ok('ok');
        tx.onabort = () => ok('abort ' + tx.error?.name);
        tx.onerror = () => ok('error ' + tx.error?.name);
      });
      results.push(res);
    }
    return { quota: est.quota, usage: est.usage, results };
  }),
);
await ctx.close();
