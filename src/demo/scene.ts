/** One catalogue photo: a light studio background, lighting, the item placed and turned a little, sensor noise. */
import { createRng } from '../core/rng';
import type { PixelCtx2D, PixelData } from './canvas';
import { drawGlasses } from './glasses';
import { Dice, hsl } from './random';
import { drawShoe, type ShoeClass } from './shoes';
import { DEMO_CLASSES, DEMO_HEIGHT, DEMO_WIDTH } from './taxonomy';
import { drawTrousers } from './trousers';

/** Mixes seed, class and item into one 32-bit seed, so each image is independent of every other. */
export function itemSeed(seed: number, classIndex: number, item: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const v of [classIndex, item]) {
    h = Math.imul(h ^ v, 0x85ebca6b) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
  }
  return h;
}

const SHOE_CLASSES: Record<string, ShoeClass> = {
  Boots: 'boots',
  'Trainers & Sneakers': 'trainers',
  'Sandals & Flip flops & Slippers': 'sandals',
  'Formal shoes': 'formal',
  Others: 'others',
  'Ballerina shoes': 'ballerina',
  'High heels': 'heels',
};

/** Draws demo item `item` of class `classIndex` on a 300x400 canvas. Returns the JPEG quality to save it with. */
export function drawDemoItem<Img extends PixelData>(
  ctx: PixelCtx2D<Img>,
  classIndex: number,
  item: number,
  seed: number,
): { quality: number } {
  const cls = DEMO_CLASSES[classIndex];
  if (!cls) throw new RangeError(`no demo class ${classIndex}`);
  const d = new Dice(createRng(itemSeed(seed, classIndex, item)));
  const W = DEMO_WIDTH;
  const H = DEMO_HEIGHT;

  // Background: near-white, slightly warm or cool, lit from above.
  const bgH = d.range(20, 220);
  const bgS = d.range(0, 12);
  const bgL = d.range(92, 98);
  const bg = ctx.createLinearGradient(0, 0, d.range(-40, 40), H);
  bg.addColorStop(0, hsl(bgH, bgS, Math.min(100, bgL + 2)));
  bg.addColorStop(1, hsl(bgH, bgS, bgL - d.range(2, 7)));
  ctx.fillStyle = bg;
  ctx.fillRect(0, 0, W, H);

  ctx.save();
  ctx.translate(W / 2 + d.normal() * 9, H / 2 + d.normal() * 12);
  ctx.rotate(d.normal() * 0.035);
  const scale = d.range(0.82, 1.08);
  ctx.scale(scale, scale);
  const [category, ...rest] = cls.path;
  void category;
  ctx.shadowColor = hsl(0, 0, 0, d.range(0.12, 0.28));
  ctx.shadowBlur = d.range(6, 16);
  ctx.shadowOffsetY = d.range(3, 9);
  ctx.shadowOffsetX = d.range(-3, 3);
  if (cls.kind === 'glasses') {
    ctx.scale(0.98, 0.98);
    drawGlasses(ctx, d, rest[0] === 'Sunglasses');
  } else if (cls.kind === 'trousers') {
    drawTrousers(ctx, d, rest[0] === 'Female', rest[1] === 'Jeans');
  } else {
    // Shoes face left in most shots; some face right (what flip augmentation is for).
    if (d.chance(0.3)) ctx.scale(-1, 1);
    ctx.translate(0, 60);
    drawShoe(ctx, d, SHOE_CLASSES[rest[1]!]!, rest[0] === 'Female');
  }
  ctx.restore();
  ctx.shadowColor = 'rgba(0,0,0,0)';
  ctx.shadowBlur = 0;
  ctx.shadowOffsetX = 0;
  ctx.shadowOffsetY = 0;

  // Soft light from one side.
  const light = ctx.createRadialGradient(d.range(0, W), d.range(0, H / 2), 10, W / 2, H / 2, W);
  light.addColorStop(0, hsl(50, 30, 100, d.range(0.03, 0.12)));
  light.addColorStop(1, hsl(0, 0, 0, d.range(0, 0.06)));
  ctx.fillStyle = light;
  ctx.fillRect(0, 0, W, H);

  addNoise(ctx, W, H, d.range(1.5, 4.5), d);
  return { quality: Math.round(d.range(82, 95)) };
}

/** Gaussian-ish luminance noise plus a little colour noise, as a camera sensor adds. */
function addNoise<Img extends PixelData>(ctx: PixelCtx2D<Img>, w: number, h: number, sigma: number, d: Dice) {
  const img = ctx.getImageData(0, 0, w, h);
  const px = img.data;
  const rng = d.rng;
  for (let i = 0; i < px.length; i += 4) {
    const n = (rng() + rng() + rng() - 1.5) * 2 * sigma;
    const c = (rng() - 0.5) * sigma;
    px[i] = px[i]! + n + c;
    px[i + 1] = px[i + 1]! + n;
    px[i + 2] = px[i + 2]! + n - c;
  }
  ctx.putImageData(img, 0, 0);
}
