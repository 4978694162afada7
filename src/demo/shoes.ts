/** Shoes, side view, for the study's 11 shoe classes. Gender leans on size, heel and palette, with overlap. */
import type { Ctx2D } from './canvas';
import { css, Dice, hsl } from './random';
import { drawDetails, drawStraps } from './shoeDetails';
import { palette, shapeFor, type ShoeClass } from './shoeParams';
import { drawHeel, solePath, upperPath } from './shoePaths';
import { rise } from './shoeShape';

export type { ShoeClass } from './shoeParams';

export function drawShoe(ctx: Ctx2D, d: Dice, cls: ShoeClass, female: boolean) {
  const s = shapeFor(d, cls, female);
  const colour = palette(d, female, s.type);
  const soleColour =
    s.type === 'trainer'
      ? d.chance(0.75)
        ? hsl(0, 0, 96)
        : css(colour, -8)
      : s.type === 'espadrille' || s.type === 'wedge'
        ? hsl(38, 40, d.range(62, 72))
        : s.type === 'clog'
          ? hsl(28, 45, d.range(35, 50))
          : hsl(d.range(20, 30), d.range(10, 40), d.range(8, 30));
  const open = s.type === 'sandal' || s.type === 'flipflop' || s.type === 'slide';

  ctx.lineJoin = 'round';
  ctx.lineCap = 'round';
  drawHeel(ctx, s, s.heel === 'wedge' ? soleColour : css(colour, -8));
  solePath(ctx, s);
  ctx.fillStyle = soleColour;
  ctx.fill();
  if (s.type === 'espadrille' || s.type === 'wedge') {
    ctx.strokeStyle = hsl(35, 35, 50, 0.5);
    ctx.lineWidth = 1;
    for (let x = -s.L / 2; x < s.L / 2; x += 4) {
      ctx.beginPath();
      ctx.moveTo(x, -rise(s, x) - s.soleT);
      ctx.lineTo(x + 2, -rise(s, x));
      ctx.stroke();
    }
  }
  if (s.type === 'trainer') {
    ctx.strokeStyle = hsl(0, 0, 40, 0.6);
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(-s.L / 2, -4);
    ctx.lineTo(s.L / 2, -4);
    ctx.stroke();
  }
  if (s.type === 'boot' && !female) {
    ctx.fillStyle = hsl(0, 0, 10);
    for (let x = -s.L / 2 + 6; x < s.L / 2 - 6; x += 12) ctx.fillRect(x, -4, 6, 4); // lugs
  }

  if (open) drawStraps(ctx, d, s, colour);
  else {
    upperPath(ctx, s);
    const g = ctx.createLinearGradient(0, -s.H - s.shaftH - 70, 0, 0);
    g.addColorStop(0, css(colour, 10));
    g.addColorStop(1, css(colour, -10));
    ctx.fillStyle = g;
    ctx.fill();
    ctx.strokeStyle = css(colour, -18, 0.8);
    ctx.lineWidth = 1.5;
    ctx.stroke();
    drawDetails(ctx, d, s, colour, female);
  }
  const height = s.soleT + Math.max(s.H + s.collarH, s.toeH, s.shaftH + s.H);
  return { width: s.L + 10, height };
}
