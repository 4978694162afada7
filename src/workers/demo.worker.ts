/** The demo worker: draws catalog photos on an OffscreenCanvas and encodes them as JPEG, like a camera would. */
import * as Comlink from 'comlink';
import type { DemoFile } from '../demo/catalog';
import { drawDemoItem } from '../demo/scene';
import { DEMO_HEIGHT, DEMO_WIDTH } from '../demo/taxonomy';

let ctx: OffscreenCanvasRenderingContext2D | null = null;
let canvas: OffscreenCanvas | null = null;

const api = {
  async renderBatch(files: DemoFile[], seed: number): Promise<Blob[]> {
    if (!ctx) {
      canvas = new OffscreenCanvas(DEMO_WIDTH, DEMO_HEIGHT);
      ctx = canvas.getContext('2d', { willReadFrequently: true });
      if (!ctx) throw new Error('This browser cannot draw on an OffscreenCanvas in a worker.');
    }
    const out: Blob[] = [];
    for (const f of files) {
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      const { quality } = drawDemoItem<ImageData>(ctx, f.classIndex, f.item, seed);
      out.push(await canvas!.convertToBlob({ type: 'image/jpeg', quality: quality / 100 }));
    }
    return out;
  },
};

export type DemoWorkerApi = typeof api;
Comlink.expose(api);
