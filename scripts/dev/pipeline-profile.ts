// Compares whole per-image pipelines (read, hash, decode, resize, read back) on disk-backed Files in a worker.
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pageWithChosenFiles } from './probe';

const root = resolve('.bench-data/demo-118/Shoes/Female');
const paths = readdirSync(root).flatMap((d) => readdirSync(join(root, d)).map((f) => join(root, d, f)));
const { browser: b, page: p } = await pageWithChosenFiles('http://127.0.0.1:4173/', paths);
const out = await p.evaluate(async () => {
  const files = Array.from((document.getElementById('x') as HTMLInputElement).files!);
  const src = `onmessage = async (e) => { const files = e.data; const res = {};
    const canvas = new OffscreenCanvas(90, 120);
    const ctx = canvas.getContext('2d', { willReadFrequently: true, alpha: false });
    const finish = (src, q, w, h) => { ctx.imageSmoothingQuality = q; ctx.drawImage(src, 0, 0, w, h, 0, 0, 90, 120); return ctx.getImageData(0, 0, 90, 120); };
    { const ab = await files[0].arrayBuffer();
      for (const [w, h] of [[90, 120], [150, 200], [180, 240]]) { const dec = new ImageDecoder({ data: ab, type: 'image/jpeg', desiredWidth: w, desiredHeight: h }); const { image } = await dec.decode(); res['size@' + w] = image.displayWidth + 'x' + image.displayHeight + ' coded ' + image.codedWidth + 'x' + image.codedHeight; image.close(); dec.close(); } }
    const variants = {
      decoderAt90: async (ab, f) => { const dec = new ImageDecoder({ data: ab, type: 'image/jpeg', desiredWidth: 90, desiredHeight: 120, colorSpaceConversion: 'none' }); const { image } = await dec.decode(); finish(image, 'high', image.displayWidth, image.displayHeight); image.close(); dec.close(); },
      decoderAt150: async (ab, f) => { const dec = new ImageDecoder({ data: ab, type: 'image/jpeg', desiredWidth: 150, desiredHeight: 200, colorSpaceConversion: 'none' }); const { image } = await dec.decode(); finish(image, 'high', image.displayWidth, image.displayHeight); image.close(); dec.close(); },
      bitmapResizeOpt: async (ab, f) => { const bm = await createImageBitmap(new Blob([ab]), { resizeWidth: 90, resizeHeight: 120, resizeQuality: 'high', colorSpaceConversion: 'none' }); finish(bm, 'high', 90, 120); bm.close(); },
      blobCopy: async (ab, f) => { const bm = await createImageBitmap(new Blob([ab]), { colorSpaceConversion: 'none' }); finish(bm, 'high', bm.width, bm.height); bm.close(); },
      fileAgain: async (ab, f) => { const bm = await createImageBitmap(f, { colorSpaceConversion: 'none' }); finish(bm, 'high', bm.width, bm.height); bm.close(); },
      imageDecoder: async (ab, f) => { const dec = new ImageDecoder({ data: ab, type: 'image/jpeg', colorSpaceConversion: 'none' }); const { image } = await dec.decode(); finish(image, 'high', image.displayWidth, image.displayHeight); image.close(); dec.close(); },
      imageDecoderLow: async (ab, f) => { const dec = new ImageDecoder({ data: ab, type: 'image/jpeg', colorSpaceConversion: 'none' }); const { image } = await dec.decode(); finish(image, 'low', image.displayWidth, image.displayHeight); image.close(); dec.close(); },
      blobCopyLow: async (ab, f) => { const bm = await createImageBitmap(new Blob([ab]), { colorSpaceConversion: 'none' }); finish(bm, 'low', bm.width, bm.height); bm.close(); },
    };
    for (const [name, fn] of Object.entries(variants)) {
      for (const f of files.slice(0, 20)) await fn(await f.arrayBuffer(), f);
      const t = performance.now();
      for (let i = 0; i < files.length; i += 8) {
        const batch = files.slice(i, i + 8); const reads = batch.map((f) => f.arrayBuffer());
        for (let k = 0; k < batch.length; k++) { const ab = await reads[k]; await crypto.subtle.digest('SHA-256', ab); await fn(ab, batch[k]); }
      }
      res[name] = Math.round(files.length / ((performance.now() - t) / 1000));
    }
    postMessage(res); }`;
  const w = new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })));
  return await new Promise((ok) => {
    w.onmessage = (e) => ok(e.data);
    w.postMessage(files);
  });
});
console.log(paths.length, 'files, images/s in one worker:', out);
await b.close();
