/** Renders demo catalog images in Node with @napi-rs/canvas (Skia, like Chromium). */
import { createCanvas, type ImageData } from '@napi-rs/canvas';
import { drawDemoItem } from '../../src/demo/scene';
import { DEMO_HEIGHT, DEMO_WIDTH } from '../../src/demo/taxonomy';

const canvas = createCanvas(DEMO_WIDTH, DEMO_HEIGHT);
const ctx = canvas.getContext('2d');

export function renderCanvas(classIndex: number, item: number, seed: number) {
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  const { quality } = drawDemoItem<ImageData>(ctx, classIndex, item, seed);
  return { canvas, quality };
}

export function renderJpeg(classIndex: number, item: number, seed: number): Buffer {
  const { quality } = renderCanvas(classIndex, item, seed);
  return canvas.toBuffer('image/jpeg', quality);
}
