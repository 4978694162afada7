/** Demo images as the lab stores them: drawn, saved as JPEG, decoded and resized to 120x90x3 uint8 (in Node). */
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { IMAGE_HEIGHT, IMAGE_WIDTH, rgbaToRgb } from '../../src/core/image';
import { renderJpeg } from './render';

const small = createCanvas(IMAGE_WIDTH, IMAGE_HEIGHT);
const ctx = small.getContext('2d');
ctx.imageSmoothingEnabled = true;
ctx.imageSmoothingQuality = 'high';

export async function demoPixels(classIndex: number, item: number, seed: number): Promise<Uint8Array> {
  const img = await loadImage(renderJpeg(classIndex, item, seed));
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, IMAGE_WIDTH, IMAGE_HEIGHT);
  ctx.drawImage(img, 0, 0, IMAGE_WIDTH, IMAGE_HEIGHT);
  return rgbaToRgb(ctx.getImageData(0, 0, IMAGE_WIDTH, IMAGE_HEIGHT).data);
}
