// Times the app's own walkFileList on a chosen folder (through the Vite dev server, so modules can be imported).
import { resolve } from 'node:path';
import { createServer } from 'vite';
import { pageWithChosenFiles } from './probe';
const server = await createServer({ server: { port: 5199, strictPort: true }, logLevel: 'warn' });
await server.listen();
const { browser: b, page: p } = await pageWithChosenFiles(
  'http://127.0.0.1:5199/',
  resolve(process.argv[2] ?? '.bench-data/demo-118'),
);
console.log(
  await p.evaluate(async () => {
    const walk = await import('/src/data/walk.ts' as string);
    const fp = await import('/src/core/fingerprint.ts' as string);
    const files = Array.from((document.getElementById('x') as HTMLInputElement).files!);
    const res: Record<string, number> = {};
    const key = new URLSearchParams(location.search).get('first');
    for (const k of ['lastModified', 'size', 'webkitRelativePath', 'name']) {
      const t = performance.now();
      let x = 0;
      for (const f of files) x += String((f as unknown as Record<string, unknown>)[k]).length;
      res['first touch ' + k] = performance.now() - t;
      void x;
      void key;
    }
    for (let round = 0; round < 2; round++) {
      let t = performance.now();
      const w = walk.walkFileList(files);
      res['walk' + round] = performance.now() - t;
      t = performance.now();
      fp.datasetFingerprint(w.files, 'letterbox');
      res['fingerprint' + round] = performance.now() - t;
    }
    return res;
  }),
);
await b.close();
await server.close();
