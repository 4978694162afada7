/** Outlines of a shoe's parts: the upper, the sole and the heel. */
import type { Ctx2D } from './canvas';
import { rise, upperProfile, yAt, type ShoeShape } from './shoeShape';

function tracePoints(ctx: Ctx2D, pts: [number, number][]) {
  ctx.moveTo(pts[0]![0], pts[0]![1]);
  for (let i = 1; i < pts.length - 1; i++) {
    const [x, y] = pts[i]!;
    const [nx, ny] = pts[i + 1]!;
    ctx.quadraticCurveTo(x, y, (x + nx) / 2, (y + ny) / 2);
  }
  const last = pts[pts.length - 1]!;
  ctx.lineTo(last[0], last[1]);
}

export function upperPath(ctx: Ctx2D, s: ShoeShape) {
  const top = upperProfile(s).map(([x, h]) => [x, yAt(s, x, h)] as [number, number]);
  ctx.beginPath();
  tracePoints(ctx, top);
  for (let i = 20; i >= 0; i--) {
    const x = -s.L / 2 + (s.L * i) / 20;
    ctx.lineTo(x, yAt(s, x, 0) + 2);
  }
  ctx.closePath();
}

export function solePath(ctx: Ctx2D, s: ShoeShape) {
  ctx.beginPath();
  const n = 24;
  for (let i = 0; i <= n; i++) {
    const x = -s.L / 2 - 3 + ((s.L + 6) * i) / n;
    const y = -rise(s, x) - s.soleT;
    if (i === 0) ctx.moveTo(x, y + s.soleT * 0.3);
    else ctx.lineTo(x, y);
  }
  for (let i = n; i >= 0; i--) {
    const x = -s.L / 2 - 3 + ((s.L + 6) * i) / n;
    ctx.lineTo(x, -rise(s, x));
  }
  ctx.closePath();
}

export function drawHeel(ctx: Ctx2D, s: ShoeShape, colour: string) {
  if (s.H <= 2) return;
  ctx.fillStyle = colour;
  ctx.beginPath();
  if (s.heel === 'wedge') {
    const n = 16;
    ctx.moveTo(-s.L / 2 + 0.3 * s.L, 0);
    for (let i = 0; i <= n; i++) {
      const x = -s.L / 2 + 0.3 * s.L + (0.7 * s.L * i) / n;
      ctx.lineTo(x, -rise(s, x));
    }
    ctx.lineTo(s.L / 2, 0);
  } else {
    const back = s.L / 2 - 0.02 * s.L;
    const topW = s.heel === 'stiletto' ? 20 : 30;
    const botW = s.heel === 'stiletto' ? 6 : 24;
    ctx.moveTo(back - topW, -s.H);
    ctx.lineTo(back, -s.H);
    ctx.lineTo(back - (s.heel === 'stiletto' ? 6 : 2), 0);
    ctx.lineTo(back - botW - (s.heel === 'stiletto' ? 6 : 2), 0);
  }
  ctx.closePath();
  ctx.fill();
}
