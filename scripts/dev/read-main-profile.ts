// Does reading a chosen File's bytes (async) avoid the synchronous metadata snapshot that .size/.lastModified cost?
import { resolve } from 'node:path';
import { pageWithChosenFiles } from './probe';
const { browser: b, page: p } = await pageWithChosenFiles(
  'http://127.0.0.1:4173/',
  resolve('.bench-data/demo-118'),
);
console.log(
  await p.evaluate(async () => {
    const files = Array.from((document.getElementById('x') as HTMLInputElement).files!);
    const res: Record<string, number> = { n: files.length };
    let blocked = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      blocked = Math.max(blocked, now - last);
      last = now;
    }, 5);
    let t = performance.now();
    for (let i = 0; i < files.length; i += 32)
      await Promise.all(files.slice(i, i + 32).map((f) => f.arrayBuffer()));
    res.readAllMs = performance.now() - t;
    res.longestMainThreadStallMs = blocked;
    clearInterval(timer);
    t = performance.now();
    let sum = 0;
    for (const f of files) sum += f.lastModified;
    res.datesAfterReadMs = performance.now() - t;
    return { ...res, datesRead: sum > 0 ? 1 : 0 };
  }),
);
await b.close();
