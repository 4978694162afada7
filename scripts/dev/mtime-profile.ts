// Cost of File.lastModified on the main thread vs in a worker, and of posting Files to a worker.
import { resolve } from 'node:path';
import { pageWithChosenFiles } from './probe';
const { browser: b, page: p } = await pageWithChosenFiles(
  'http://127.0.0.1:4173/',
  resolve('.bench-data/demo-118'),
);
console.log(
  await p.evaluate(async () => {
    const files = Array.from((document.getElementById('x') as HTMLInputElement).files!);
    const src = `onmessage = (e) => { const t = performance.now(); let x = 0; for (const f of e.data) x += f.lastModified; postMessage(performance.now() - t); }`;
    const w = new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })));
    const t0 = performance.now();
    const inWorker = await new Promise<number>((ok) => {
      w.onmessage = (e) => ok(e.data);
      w.postMessage(files);
    });
    const total = performance.now() - t0;
    const t1 = performance.now();
    let x = 0;
    for (const f of files) x += f.lastModified;
    const mainAfter = performance.now() - t1;
    return {
      n: files.length,
      postAndReadInWorkerMs: total,
      readInWorkerMs: inWorker,
      mainThreadAfterMs: mainAfter,
      x: x > 0,
    };
  }),
);
await b.close();
