/** Shoes, side view, for the study's 11 shoe classes. Gender leans on size, heel and palette, with overlap. */
import type { Ctx2D } from './canvas';
import { css, Dice, hsl, type Hsl } from './random';
import { rise, upperProfile, yAt, type ShoeShape, type ShoeType } from './shoeShape';

export type ShoeClass = 'boots' | 'trainers' | 'sandals' | 'formal' | 'others' | 'ballerina' | 'heels';

function palette(d: Dice, female: boolean, type: ShoeType): Hsl {
  const neutral = d.weighted([
    [{ h: 0, s: 0, l: d.range(6, 14) }, 4],
    [{ h: d.range(18, 30), s: d.range(40, 55), l: d.range(16, 28) }, 3],
    [{ h: d.range(26, 34), s: d.range(45, 60), l: d.range(38, 50) }, 2],
    [{ h: 220, s: 35, l: d.range(18, 28) }, 1],
    [{ h: 0, s: 0, l: d.range(40, 60) }, 1],
    [{ h: 0, s: 0, l: d.range(90, 97) }, type === 'trainer' ? 4 : 0.4],
  ] as const);
  if (!female || d.chance(0.45)) return { ...neutral };
  return d.weighted([
    [{ h: d.range(25, 35), s: d.range(25, 40), l: d.range(68, 80) }, 3], // nude
    [{ h: d.range(350, 360), s: d.range(60, 75), l: d.range(38, 50) }, 2],
    [{ h: d.range(330, 345), s: d.range(50, 70), l: d.range(62, 78) }, 2],
    [{ h: 45, s: 65, l: 58 }, 0.8], // gold
    [{ h: 0, s: 0, l: 80 }, 0.8], // silver
    [{ h: d.range(190, 210), s: 45, l: 72 }, 1],
    [{ h: 0, s: 0, l: 95 }, 1.5],
  ] as const);
}

function shapeFor(d: Dice, cls: ShoeClass, female: boolean): ShoeShape {
  const L = female ? d.range(205, 238) : d.range(222, 252);
  const base: ShoeShape = {
    type: 'formal',
    L,
    H: 0,
    heel: 'none',
    soleT: 8,
    toeH: 28,
    toeP: 2,
    vamp: 0.5,
    vampH: 45,
    collarH: 48,
    dip: 6,
    shaftH: 0,
    backless: false,
  };
  const slim = female ? 0.88 : 1;
  switch (cls) {
    case 'boots': {
      const tall = female ? d.chance(0.45) : d.chance(0.12);
      const H = female
        ? d.weighted([
            [d.range(4, 14), 2],
            [d.range(30, 70), 1.3],
          ] as const)
        : d.range(6, 14);
      return {
        ...base,
        type: 'boot',
        H,
        heel: H > 25 ? d.pick(['block', 'stiletto'] as const) : 'block',
        soleT: female ? d.range(6, 12) : d.range(11, 18),
        toeH: d.range(30, 40) * slim,
        toeP: d.range(1.7, 2.3),
        vamp: 0.42,
        vampH: d.range(55, 70) * slim,
        shaftH: tall ? d.range(170, 225) : d.range(95, 135),
      };
    }
    case 'trainers':
      return {
        ...base,
        type: 'trainer',
        soleT: d.range(15, 27) * (female ? d.range(0.8, 1.1) : 1),
        toeH: d.range(28, 37) * slim,
        toeP: d.range(2, 2.6),
        vamp: d.range(0.42, 0.5),
        vampH: d.range(52, 64) * slim,
        collarH: d.range(54, 72) * slim,
        dip: d.range(6, 12),
        shaftH: d.chance(0.12) ? d.range(90, 110) : 0,
      };
    case 'sandals': {
      const type = d.weighted<ShoeType>(
        female
          ? [
              ['sandal', 5],
              ['flipflop', 1.5],
              ['slide', 1.5],
              ['slipper', 0.6],
            ]
          : [
              ['sandal', 3],
              ['flipflop', 2],
              ['slide', 2],
              ['slipper', 1.5],
            ],
      );
      const H = female && type === 'sandal' && d.chance(0.35) ? d.range(25, 70) : 0;
      return {
        ...base,
        type,
        H,
        heel: H > 0 ? d.pick(['block', 'stiletto', 'wedge'] as const) : 'none',
        soleT: type === 'slipper' ? d.range(8, 12) : d.range(9, 18),
        toeH: d.range(24, 32) * slim,
        toeP: 2.4,
        vamp: 0.5,
        vampH: d.range(36, 46),
        collarH: 30,
        dip: 4,
        backless: type !== 'sandal',
      };
    }
    case 'formal':
      return {
        ...base,
        type: 'formal',
        H: d.range(9, 14),
        heel: 'block',
        soleT: d.range(6, 9),
        toeH: d.range(24, 30),
        toeP: d.range(1.4, 1.9),
        vamp: d.range(0.48, 0.55),
        vampH: d.range(40, 48),
        collarH: d.range(42, 50),
        dip: d.range(4, 8),
      };
    case 'ballerina':
      return {
        ...base,
        type: 'ballerina',
        H: d.range(0, 6),
        heel: 'block',
        soleT: d.range(3, 5),
        toeH: d.range(19, 25),
        toeP: d.range(2.1, 2.6),
        vamp: d.range(0.28, 0.34),
        vampH: d.range(22, 29),
        collarH: d.range(30, 38),
        dip: d.range(8, 12),
      };
    case 'heels': {
      const H = d.range(45, 95);
      return {
        ...base,
        type: 'pump',
        H,
        heel: d.chance(0.7) ? 'stiletto' : 'block',
        soleT: d.range(3, 4.5),
        toeH: d.range(17, 23),
        toeP: d.range(1.1, 1.6),
        vamp: d.range(0.32, 0.38),
        vampH: d.range(24, 32),
        collarH: d.range(38, 50),
        dip: d.range(10, 16),
        backless: d.chance(0.12),
      };
    }
    case 'others': {
      const type = d.weighted<ShoeType>(
        female
          ? [
              ['mule', 2],
              ['wedge', 2],
              ['loafer', 2],
              ['espadrille', 1.5],
              ['clog', 0.5],
            ]
          : [
              ['loafer', 3],
              ['slipper', 1.5],
              ['espadrille', 2],
              ['clog', 1.5],
            ],
      );
      const shape: ShoeShape = {
        ...base,
        type,
        soleT: d.range(7, 12),
        toeH: d.range(26, 34) * slim,
        toeP: d.range(1.8, 2.4),
        vamp: d.range(0.55, 0.62),
        vampH: d.range(36, 44) * slim,
        collarH: d.range(36, 46) * slim,
        dip: 5,
      };
      if (type === 'clog')
        Object.assign(shape, { soleT: d.range(20, 28), toeH: d.range(36, 44), backless: true, vamp: 0.6 });
      if (type === 'espadrille') Object.assign(shape, { soleT: d.range(12, 18) });
      if (type === 'slipper')
        Object.assign(shape, { toeH: d.range(30, 38), backless: d.chance(0.5), soleT: d.range(8, 12) });
      if (type === 'mule')
        Object.assign(shape, {
          backless: true,
          H: d.chance(0.6) ? d.range(20, 65) : 0,
          heel: 'block',
          toeP: d.range(1.2, 2.2),
        });
      if (type === 'wedge')
        Object.assign(shape, {
          H: d.range(30, 60),
          heel: 'wedge',
          vamp: d.range(0.35, 0.45),
          vampH: d.range(28, 36),
        });
      return shape;
    }
  }
}

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

function upperPath(ctx: Ctx2D, s: ShoeShape) {
  const top = upperProfile(s).map(([x, h]) => [x, yAt(s, x, h)] as [number, number]);
  ctx.beginPath();
  tracePoints(ctx, top);
  for (let i = 20; i >= 0; i--) {
    const x = -s.L / 2 + (s.L * i) / 20;
    ctx.lineTo(x, yAt(s, x, 0) + 2);
  }
  ctx.closePath();
}

function solePath(ctx: Ctx2D, s: ShoeShape) {
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

function drawHeel(ctx: Ctx2D, s: ShoeShape, colour: string) {
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

function drawStraps(ctx: Ctx2D, d: Dice, s: ShoeShape, colour: Hsl) {
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

function drawDetails(ctx: Ctx2D, d: Dice, s: ShoeShape, colour: Hsl, female: boolean) {
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
