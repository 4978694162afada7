/** Glasses and sunglasses, front view. Tint separates them, except for light-tinted glasses and pale sunglasses. */
import type { Ctx2D } from './canvas';
import { Dice, hsl } from './random';

type Style = 'round' | 'rect' | 'wayfarer' | 'cat' | 'aviator';

function lensPath(ctx: Ctx2D, cx: number, cy: number, w: number, h: number, style: Style, side: 1 | -1) {
  const x0 = cx - w / 2;
  const x1 = cx + w / 2;
  const y0 = cy - h / 2;
  const y1 = cy + h / 2;
  ctx.beginPath();
  switch (style) {
    case 'round':
      ctx.ellipse(cx, cy, w / 2, h / 2, 0, 0, Math.PI * 2);
      break;
    case 'rect': {
      const r = Math.min(w, h) * 0.22;
      ctx.moveTo(x0 + r, y0);
      ctx.lineTo(x1 - r, y0);
      ctx.quadraticCurveTo(x1, y0, x1, y0 + r);
      ctx.lineTo(x1, y1 - r);
      ctx.quadraticCurveTo(x1, y1, x1 - r, y1);
      ctx.lineTo(x0 + r, y1);
      ctx.quadraticCurveTo(x0, y1, x0, y1 - r);
      ctx.lineTo(x0, y0 + r);
      ctx.quadraticCurveTo(x0, y0, x0 + r, y0);
      break;
    }
    case 'wayfarer': {
      // Wider at the top, outer top corner raised.
      const inner = side === 1 ? x0 : x1;
      const outer = side === 1 ? x1 : x0;
      ctx.moveTo(inner, y0 + h * 0.08);
      ctx.lineTo(outer, y0 - h * 0.05);
      ctx.quadraticCurveTo(outer + side * w * 0.02, y1 - h * 0.2, outer - side * w * 0.15, y1);
      ctx.lineTo(inner + side * w * 0.12, y1);
      ctx.quadraticCurveTo(inner, y1 - h * 0.1, inner, y0 + h * 0.08);
      break;
    }
    case 'cat': {
      const inner = side === 1 ? x0 : x1;
      const outer = side === 1 ? x1 : x0;
      ctx.moveTo(inner, cy - h * 0.2);
      ctx.quadraticCurveTo(cx, y0 - h * 0.05, outer + side * w * 0.08, y0 - h * 0.25);
      ctx.quadraticCurveTo(outer, y1, cx, y1);
      ctx.quadraticCurveTo(inner, y1, inner, cy - h * 0.2);
      break;
    }
    case 'aviator': {
      // Teardrop: flat top, deep at the outer bottom... mirrored by side.
      const inner = side === 1 ? x0 : x1;
      const outer = side === 1 ? x1 : x0;
      ctx.moveTo(inner, y0);
      ctx.lineTo(outer, y0);
      ctx.bezierCurveTo(outer + side * w * 0.08, cy, outer, y1 + h * 0.1, cx + side * w * 0.05, y1);
      ctx.bezierCurveTo(inner - side * w * 0.05, y1 - h * 0.05, inner, cy, inner, y0);
      break;
    }
  }
  ctx.closePath();
}

export function drawGlasses(ctx: Ctx2D, d: Dice, sun: boolean) {
  const style: Style = sun
    ? d.weighted<Style>([
        ['aviator', 3],
        ['wayfarer', 3],
        ['round', 1.5],
        ['cat', 1.5],
        ['rect', 1],
      ])
    : d.weighted<Style>([
        ['rect', 3],
        ['round', 3],
        ['wayfarer', 1.5],
        ['cat', 1],
        ['aviator', 0.6],
      ]);
  const metal = d.chance(style === 'aviator' ? 0.85 : sun ? 0.25 : 0.45);
  const frame = metal
    ? d.pick([hsl(45, 60, 55), hsl(0, 0, 70), hsl(0, 0, 35), hsl(30, 40, 45)])
    : d.weighted([
        [hsl(0, 0, d.range(5, 15)), 4],
        [hsl(d.range(20, 32), 55, d.range(18, 30)), 2], // tortoise brown
        [hsl(215, 45, 22), 1],
        [hsl(d.range(0, 360), 55, 45), 1],
        [hsl(0, 0, 80, 0.7), 0.6], // clear acetate
      ]);
  const thick = metal ? d.range(2, 3.5) : d.range(sun ? 5 : 4, sun ? 10 : 8);
  const lw = d.range(72, 96);
  const ratio = {
    round: d.range(0.85, 1),
    rect: d.range(0.5, 0.7),
    wayfarer: d.range(0.65, 0.8),
    cat: d.range(0.6, 0.75),
    aviator: d.range(0.8, 0.95),
  }[style];
  const lh = lw * ratio;
  const bridge = d.range(14, 26);
  const cx = lw / 2 + bridge / 2;

  // Lens tint: the main cue, with a deliberate overlap between the classes.
  let tint: string;
  let gradientTint = false;
  if (sun) {
    const kind = d.weighted([
      ['dark', 7],
      ['gradient', 2],
      ['pale', 1.2],
    ] as const);
    if (kind === 'pale') tint = hsl(d.pick([50, 340, 200, 20]), 45, 50, d.range(0.22, 0.45));
    else {
      const [h, s] = d.pick([
        [0, 0],
        [30, 35],
        [120, 18],
        [210, 35],
        [0, 0],
      ] as const);
      tint = hsl(h, s, d.range(8, 22), d.range(0.68, 0.93));
      gradientTint = kind === 'gradient';
    }
  } else {
    tint = d.chance(0.13)
      ? hsl(d.pick([30, 0, 210]), 20, d.range(25, 45), d.range(0.2, 0.42)) // photochromic / tinted
      : hsl(200, 30, 70, d.range(0.02, 0.12));
  }

  ctx.lineJoin = 'round';
  ctx.lineCap = 'round';
  for (const side of [-1, 1] as const) {
    const x = side * cx;
    lensPath(ctx, x, 0, lw, lh, style, side);
    if (gradientTint) {
      const g = ctx.createLinearGradient(0, -lh / 2, 0, lh / 2);
      g.addColorStop(0, tint);
      g.addColorStop(1, hsl(0, 0, 40, 0.15));
      ctx.fillStyle = g;
    } else ctx.fillStyle = tint;
    ctx.fill();
    // Reflection.
    ctx.save();
    lensPath(ctx, x, 0, lw, lh, style, side);
    ctx.clip();
    ctx.strokeStyle = hsl(0, 0, 100, sun ? d.range(0.15, 0.4) : d.range(0.25, 0.6));
    ctx.lineWidth = d.range(4, 10);
    ctx.beginPath();
    ctx.moveTo(x - lw * 0.4, lh * 0.1);
    ctx.lineTo(x - lw * 0.05, -lh * 0.5);
    ctx.stroke();
    ctx.restore();
    lensPath(ctx, x, 0, lw, lh, style, side);
    ctx.strokeStyle = frame;
    ctx.lineWidth = thick;
    ctx.stroke();
    // Temple stub going back from the outer hinge.
    ctx.beginPath();
    ctx.moveTo(side * (cx + lw / 2), -lh * 0.3);
    ctx.lineTo(side * (cx + lw / 2 + d.range(10, 22)), -lh * 0.38 + d.range(-4, 4));
    ctx.lineWidth = thick * 1.1;
    ctx.stroke();
    if (metal) {
      ctx.fillStyle = hsl(0, 0, 85, 0.8);
      ctx.beginPath();
      ctx.ellipse(side * (bridge / 2 + 4), lh * 0.12, 3, 5, 0, 0, Math.PI * 2);
      ctx.fill();
    }
  }
  // Bridge (double bridge on aviators).
  ctx.strokeStyle = frame;
  ctx.lineWidth = thick;
  ctx.beginPath();
  ctx.moveTo(-bridge / 2 - 2, -lh * 0.15);
  ctx.quadraticCurveTo(0, -lh * 0.32, bridge / 2 + 2, -lh * 0.15);
  ctx.stroke();
  if (style === 'aviator') {
    ctx.beginPath();
    ctx.moveTo(-cx, -lh / 2);
    ctx.lineTo(cx, -lh / 2);
    ctx.lineWidth = thick * 0.8;
    ctx.stroke();
  }
  return { width: 2 * cx + lw + 40, height: lh + 20 };
}
