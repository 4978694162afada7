/** What tells shoe types apart: straps, laces, stripes, toe caps, bows, plush, studs. */
import type { Ctx2D } from './canvas';
import { css, Dice, hsl, type Hsl } from './random';
import { upperPath } from './shoePaths';
import { yAt, type ShoeShape } from './shoeShape';

export function drawStraps(ctx: Ctx2D, d: Dice, s: ShoeShape, colour: Hsl) {
  ctx.strokeStyle = css(colour);
  const strap = (x1: number, x2: number, h: number, w: number) => {
    ctx.lineWidth = w;
    ctx.beginPath();
    ctx.moveTo(x1, yAt(s, x1, 0));
    ctx.quadraticCurveTo((x1 + x2) / 2, yAt(s, (x1 + x2) / 2, h * 1.6), x2, yAt(s, x2, 0));
    ctx.stroke();
  };
  const x0 = -s.L / 2;
  if (s.type === 'flipflop') strap(x0 + 0.22 * s.L, x0 + 0.55 * s.L, 26, 5);
  else if (s.type === 'slide') strap(x0 + 0.2 * s.L, x0 + 0.5 * s.L, 30, d.range(18, 26));
  else {
    const n = d.int(2, 4);
    for (let i = 0; i < n; i++)
      strap(x0 + (0.12 + i * 0.14) * s.L, x0 + (0.28 + i * 0.14) * s.L, d.range(22, 34), d.range(5, 10));
    if (d.chance(0.8)) {
      const bx = s.L / 2 - 0.1 * s.L;
      ctx.lineWidth = d.range(4, 7);
      ctx.beginPath();
      ctx.moveTo(bx - 50, yAt(s, bx - 50, 40));
      ctx.quadraticCurveTo(bx + 10, yAt(s, bx, 55), bx + 6, yAt(s, bx, 0));
      ctx.stroke();
      ctx.fillStyle = hsl(45, 50, 60);
      ctx.fillRect(bx - 30, yAt(s, bx - 30, 46) - 4, 8, 8); // buckle
    }
  }
}

export function drawDetails(ctx: Ctx2D, d: Dice, s: ShoeShape, colour: Hsl, female: boolean) {
  const x0 = -s.L / 2;
  const throat = x0 + s.vamp * s.L;
  const lace = (from: number, to: number, count: number, hOffset: number) => {
    ctx.strokeStyle = d.chance(0.5) ? hsl(0, 0, 96) : css(colour, -25);
    ctx.lineWidth = 2.5;
    for (let i = 0; i < count; i++) {
      const x = from + ((to - from) * i) / Math.max(1, count - 1);
      const h = s.vampH - hOffset - (throat - x) * 0.25;
      ctx.beginPath();
      ctx.moveTo(x - 5, yAt(s, x, h + 4));
      ctx.lineTo(x + 5, yAt(s, x, h - 6));
      ctx.stroke();
    }
  };
  switch (s.type) {
    case 'trainer': {
      lace(throat - 0.26 * s.L, throat - 0.02 * s.L, 5, 2);
      ctx.strokeStyle = d.chance(0.5) ? hsl(d.range(0, 360), 70, 50) : css(colour, colour.l > 50 ? -40 : 40);
      ctx.lineWidth = d.range(5, 9);
      const stripes = d.int(1, 3);
      for (let i = 0; i < stripes; i++) {
        const x = throat - 0.1 * s.L + i * 12;
        ctx.beginPath();
        ctx.moveTo(x, yAt(s, x, s.vampH - 12));
        ctx.lineTo(x + 35, yAt(s, x + 35, 6));
        ctx.stroke();
      }
      break;
    }
    case 'formal': {
      if (d.chance(0.7)) lace(throat - 0.16 * s.L, throat - 0.02 * s.L, 3, 4);
      // Toe cap, welt stitching and shine.
      ctx.strokeStyle = css(colour, -20, 0.8);
      ctx.lineWidth = 1.2;
      ctx.beginPath();
      ctx.moveTo(x0 + 0.2 * s.L, yAt(s, x0 + 0.2 * s.L, s.toeH));
      ctx.quadraticCurveTo(x0 + 0.24 * s.L, yAt(s, 0, s.toeH * 0.5), x0 + 0.2 * s.L, yAt(s, 0, 2));
      ctx.stroke();
      ctx.setLineDash([3, 3]);
      ctx.beginPath();
      ctx.moveTo(x0 + 4, yAt(s, x0, 3));
      ctx.lineTo(s.L / 2 - 4, yAt(s, s.L / 2, 3));
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.strokeStyle = hsl(0, 0, 100, d.range(0.25, 0.5));
      ctx.lineWidth = 5;
      ctx.beginPath();
      ctx.moveTo(x0 + 0.08 * s.L, yAt(s, x0, s.toeH * 0.7));
      ctx.lineTo(x0 + 0.22 * s.L, yAt(s, x0, s.toeH * 0.95));
      ctx.stroke();
      break;
    }
    case 'boot': {
      const kind = d.weighted([
        ['laces', female ? 1 : 2],
        ['chelsea', 1],
        ['zip', female ? 2 : 0.5],
      ] as const);
      const front = s.L / 2 - s.L * 0.36;
      if (kind === 'laces') lace(throat - 10, front - 6, 6, -10);
      else if (kind === 'chelsea') {
        ctx.fillStyle = css(colour, -12);
        const cx = s.L / 2 - s.L * 0.2;
        ctx.beginPath();
        ctx.moveTo(cx - 14, yAt(s, cx, Math.min(s.shaftH, 130)));
        ctx.lineTo(cx + 14, yAt(s, cx, Math.min(s.shaftH, 130)));
        ctx.lineTo(cx, yAt(s, cx, 40));
        ctx.closePath();
        ctx.fill();
      } else {
        ctx.strokeStyle = hsl(0, 0, 70);
        ctx.lineWidth = 2;
        ctx.beginPath();
        ctx.moveTo(s.L / 2 - 20, yAt(s, s.L / 2, s.shaftH - 6));
        ctx.lineTo(s.L / 2 - 24, yAt(s, s.L / 2, 30));
        ctx.stroke();
      }
      ctx.fillStyle = css(colour, -15);
      ctx.fillRect(s.L / 2 - 4, yAt(s, s.L / 2, s.shaftH + 14), 8, 22); // pull tab
      break;
    }
    case 'ballerina': {
      const bx = throat + 2;
      const by = yAt(s, bx, s.vampH + 2);
      ctx.fillStyle = d.chance(0.5) ? css(colour, -20) : hsl(0, 0, 10);
      for (const side of [-1, 1]) {
        ctx.beginPath();
        ctx.ellipse(bx + side * 8, by, 8, 5, side * 0.4, 0, Math.PI * 2);
        ctx.fill();
      }
      break;
    }
    case 'pump':
      if (d.chance(0.25)) {
        ctx.strokeStyle = css(colour, -10);
        ctx.lineWidth = 4;
        ctx.beginPath();
        ctx.ellipse(s.L / 2 - 0.15 * s.L, yAt(s, s.L / 2, s.collarH + 8), 26, 6, -0.15, 0, Math.PI * 2);
        ctx.stroke();
      }
      break;
    case 'loafer':
      ctx.strokeStyle = css(colour, -20);
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      ctx.moveTo(x0 + 0.18 * s.L, yAt(s, x0, s.toeH * 0.9));
      ctx.quadraticCurveTo(x0 + 0.35 * s.L, yAt(s, x0, s.toeH * 1.25), throat, yAt(s, throat, s.vampH - 4));
      ctx.stroke();
      ctx.fillStyle = css(colour, -12);
      ctx.fillRect(throat - 30, yAt(s, throat, s.vampH - 2), 26, 7); // penny strap
      break;
    case 'slipper':
      ctx.save();
      upperPath(ctx, s);
      ctx.clip();
      ctx.strokeStyle = css(colour, 15, 0.4);
      ctx.lineWidth = 1;
      for (let k = 0; k < 140; k++) {
        const x = x0 + d.range(0.05, 0.95) * s.L;
        const h = d.range(2, s.vampH * 0.8);
        ctx.beginPath();
        ctx.moveTo(x, yAt(s, x, h));
        ctx.lineTo(x + d.range(-3, 3), yAt(s, x, h + 4));
        ctx.stroke();
      }
      ctx.restore();
      break;
    case 'clog':
      ctx.fillStyle = hsl(45, 40, 65);
      for (let x = x0 + 20; x < s.L / 2 - 20; x += 14) {
        ctx.beginPath();
        ctx.arc(x, yAt(s, x, 4), 2.2, 0, Math.PI * 2);
        ctx.fill();
      }
      break;
    case 'espadrille':
      if (d.chance(0.5)) {
        ctx.save();
        upperPath(ctx, s);
        ctx.clip();
        ctx.strokeStyle = hsl(d.pick([0, 215, 200]), 50, 40, 0.6);
        ctx.lineWidth = 3;
        for (let h = 8; h < s.toeH; h += 9) {
          ctx.beginPath();
          ctx.moveTo(x0 + 5, yAt(s, x0, h));
          ctx.lineTo(s.L / 2 - 5, yAt(s, s.L / 2, h));
          ctx.stroke();
        }
        ctx.restore();
      }
      break;
    default:
      break;
  }
}
