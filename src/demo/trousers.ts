/**
 * Trousers and jeans, front view. Jeans: denim blues, twill, fades, contrast stitching and rivets; trousers:
 * plain cloth, creases, tonal seams. Cut and palette lean by gender, with wide overlap (the study's hard task).
 */
import type { Ctx2D } from './canvas';
import { css, Dice, hsl, type Hsl } from './random';

type Cut = 'straight' | 'slim' | 'relaxed' | 'skinny' | 'flare' | 'wide';
const CUTS: Record<Cut, [knee: number, hem: number]> = {
  straight: [0.42, 0.4],
  slim: [0.37, 0.31],
  relaxed: [0.47, 0.45],
  skinny: [0.33, 0.25],
  flare: [0.35, 0.56],
  wide: [0.5, 0.62],
};

function jeansColour(d: Dice, female: boolean): Hsl {
  const kind = d.weighted([
    ['indigo', 8],
    ['black', 1.3],
    ['pale', female ? 1 : 0.1],
  ] as const);
  if (kind === 'black') return { h: 220, s: d.range(3, 10), l: d.range(12, 30) };
  if (kind === 'pale') return { h: d.pick([0, 40, 200, 340]), s: d.range(10, 35), l: d.range(80, 90) };
  return { h: d.range(212, 228), s: d.range(30, 60), l: d.range(18, 58) };
}

function trousersColour(d: Dice, female: boolean): Hsl {
  const kind = d.weighted([
    ['khaki', 3],
    ['navy', 1.3],
    ['black', 2],
    ['grey', 1.5],
    ['olive', 1],
    ['brown', 1],
    ['bright', female ? 3 : 0.3],
    ['cream', female ? 1.2 : 0.4],
  ] as const);
  switch (kind) {
    case 'khaki':
      return { h: d.range(32, 45), s: d.range(25, 45), l: d.range(52, 72) };
    case 'navy':
      return { h: d.range(215, 228), s: d.range(28, 45), l: d.range(16, 30) };
    case 'black':
      return { h: 0, s: 0, l: d.range(8, 16) };
    case 'grey':
      return { h: 210, s: d.range(0, 8), l: d.range(30, 60) };
    case 'olive':
      return { h: d.range(65, 85), s: d.range(20, 35), l: d.range(25, 40) };
    case 'brown':
      return { h: d.range(20, 32), s: d.range(30, 45), l: d.range(20, 35) };
    case 'bright':
      return { h: d.pick([355, 340, 45, 150, 280, 15]), s: d.range(45, 70), l: d.range(40, 60) };
    case 'cream':
      return { h: d.range(35, 50), s: d.range(20, 40), l: d.range(82, 90) };
  }
}

export function drawTrousers(ctx: Ctx2D, d: Dice, female: boolean, jeans: boolean) {
  const cut: Cut = female
    ? d.weighted<Cut>([
        ['skinny', 3],
        ['straight', 2],
        ['flare', 1.5],
        ['wide', 1.5],
        ['slim', 1],
      ])
    : d.weighted<Cut>([
        ['straight', 4],
        ['slim', 2.5],
        ['relaxed', 2],
        ['skinny', 0.4],
        ['wide', 0.3],
      ]);
  const W = female ? d.range(108, 132) : d.range(122, 148);
  const hipW = W * (female ? d.range(1.08, 1.2) : d.range(1.02, 1.1));
  const top = -170;
  const hem = d.chance(female ? 0.12 : 0.03) ? d.range(110, 135) : d.range(158, 172);
  const rise = female ? d.range(85, 125) : d.range(92, 112);
  const crotch = top + rise;
  const [kneeF, hemF] = CUTS[cut];
  const kneeW = W * kneeF * d.range(0.93, 1.07);
  const hemW = W * hemF * d.range(0.93, 1.07);
  const splay = d.range(2, 14);
  const kneeY = crotch + (hem - crotch) * 0.45;
  const colour = jeans ? jeansColour(d, female) : trousersColour(d, female);
  // Dress jeans with tonal stitching, and blue chinos with a twill weave, blur the jeans/trousers line.
  const contrastStitch = jeans ? d.chance(0.85) : d.chance(0.06);
  const twill = jeans ? d.chance(0.92) : d.chance(0.15);

  /** One leg's outline from the hip, down the outseam, across the hem and up the inseam to the crotch. */
  const legPoints = (side: 1 | -1): [number, number][] => {
    const kc = side * (hipW / 4 + splay * 0.4);
    const hc = side * (hipW / 4 + splay);
    return [
      [side * (hipW / 2), top + 40],
      [side * (hipW / 2 + 2), (top + 40 + kneeY) / 2],
      [kc + (side * kneeW) / 2, kneeY],
      [hc + (side * hemW) / 2, hem],
      [hc - (side * hemW) / 2, hem],
      [kc - (side * kneeW) / 2, kneeY],
      [side * 3, crotch + 12],
      [0, crotch],
    ];
  };
  const silhouette = () => {
    ctx.beginPath();
    ctx.moveTo(-W / 2, top);
    ctx.lineTo(W / 2, top);
    for (const [x, y] of legPoints(1)) ctx.lineTo(x, y);
    for (const [x, y] of legPoints(-1).reverse()) ctx.lineTo(x, y);
    ctx.closePath();
  };

  silhouette();
  ctx.fillStyle = css(colour);
  ctx.fill();
  ctx.save();
  silhouette();
  ctx.clip();
  // Shading: darker at the outer edges and down the inseam.
  const shade = ctx.createLinearGradient(-hipW / 2 - 20, 0, hipW / 2 + 20, 0);
  shade.addColorStop(0, hsl(0, 0, 0, 0.28));
  shade.addColorStop(0.25, hsl(0, 0, 0, 0));
  shade.addColorStop(0.5, hsl(0, 0, 0, 0.18));
  shade.addColorStop(0.75, hsl(0, 0, 0, 0));
  shade.addColorStop(1, hsl(0, 0, 0, 0.28));
  ctx.fillStyle = shade;
  ctx.fillRect(-200, top, 400, 400);
  if (twill) {
    ctx.strokeStyle = hsl(0, 0, 100, jeans ? d.range(0.06, 0.13) : 0.05);
    ctx.lineWidth = 1;
    for (let x = -300; x < 300; x += 3) {
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x + 340, hem);
      ctx.stroke();
    }
  }
  if (jeans && colour.l < 70) {
    // Fades on the thighs and knees, whiskers at the hips.
    for (const side of [-1, 1]) {
      for (const [y, r, a] of [
        [crotch - 10, 38, d.range(0.1, 0.35)],
        [kneeY, 26, d.range(0.05, 0.25)],
      ] as const) {
        const g = ctx.createRadialGradient(side * hipW * 0.27, y, 2, side * hipW * 0.27, y, r);
        g.addColorStop(0, hsl(colour.h, colour.s * 0.6, Math.min(92, colour.l + 35), a));
        g.addColorStop(1, hsl(colour.h, colour.s, colour.l, 0));
        ctx.fillStyle = g;
        ctx.fillRect(-200, top, 400, 400);
      }
      ctx.strokeStyle = hsl(0, 0, 100, 0.18);
      ctx.lineWidth = 1.5;
      for (let k = 0; k < 4; k++) {
        ctx.beginPath();
        ctx.moveTo(side * (W * 0.1 + k * 5), top + 50 + k * 7);
        ctx.lineTo(side * (W * 0.35 + k * 3), top + 60 + k * 9);
        ctx.stroke();
      }
    }
  } else if (!jeans && d.chance(0.65)) {
    // Pressed crease down each leg.
    ctx.strokeStyle = css(colour, -12, 0.7);
    ctx.lineWidth = 1.5;
    for (const side of [-1, 1]) {
      ctx.beginPath();
      ctx.moveTo(side * hipW * 0.26, top + 45);
      ctx.lineTo(side * (hipW / 4 + splay), hem);
      ctx.stroke();
    }
  }
  // Folds near the hem.
  ctx.strokeStyle = css(colour, -14, 0.5);
  ctx.lineWidth = 2;
  for (let k = 0; k < d.int(1, 4); k++) {
    const side = d.chance(0.5) ? 1 : -1;
    const y = hem - d.range(10, 60);
    ctx.beginPath();
    ctx.moveTo(side * (hipW / 4 + splay - hemW / 2), y);
    ctx.quadraticCurveTo(side * (hipW / 4 + splay), y + 6, side * (hipW / 4 + splay + hemW / 2), y - 3);
    ctx.stroke();
  }
  ctx.restore();

  // Waistband, fly, pockets, loops.
  const stitch = contrastStitch ? hsl(d.range(35, 45), 70, 55) : css(colour, -10);
  const elastic = female && !jeans && d.chance(0.35);
  ctx.fillStyle = css(colour, elastic ? 4 : -5);
  ctx.fillRect(-W / 2, top, W, elastic ? 22 : 16);
  if (elastic) {
    ctx.strokeStyle = css(colour, -15, 0.6);
    ctx.lineWidth = 1;
    for (let x = -W / 2 + 4; x < W / 2; x += 6) {
      ctx.beginPath();
      ctx.moveTo(x, top + 2);
      ctx.lineTo(x + 1, top + 20);
      ctx.stroke();
    }
  }
  ctx.strokeStyle = stitch;
  ctx.lineWidth = contrastStitch ? 1.6 : 1.2;
  ctx.setLineDash([4, 3]);
  ctx.beginPath();
  ctx.moveTo(-W / 2 + 3, top + 13);
  ctx.lineTo(W / 2 - 3, top + 13);
  ctx.stroke();
  if (!elastic) {
    // J-stitched fly.
    ctx.beginPath();
    ctx.moveTo(8, top + 17);
    ctx.lineTo(8, crotch - 22);
    ctx.quadraticCurveTo(8, crotch - 8, -2, crotch - 6);
    ctx.stroke();
    // Front pockets.
    for (const side of [-1, 1]) {
      ctx.beginPath();
      if (jeans) {
        ctx.moveTo(side * (W / 2 - 34), top + 17);
        ctx.quadraticCurveTo(side * (W / 2 - 30), top + 48, side * (hipW / 2 - 2), top + 52);
      } else {
        ctx.moveTo(side * (W / 2 - 22), top + 17);
        ctx.lineTo(side * (hipW / 2 - 2), top + 62);
      }
      ctx.stroke();
    }
    if (jeans) {
      // Coin pocket and rivets.
      ctx.beginPath();
      ctx.rect(W / 2 - 48, top + 20, 14, 14);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = contrastStitch ? hsl(28, 60, 45) : css(colour, -15);
      for (const [x, y] of [
        [-(W / 2 - 34), top + 19],
        [W / 2 - 34, top + 19],
        [-(hipW / 2 - 3), top + 51],
        [hipW / 2 - 3, top + 51],
      ] as const) {
        ctx.beginPath();
        ctx.arc(x, y, 2.6, 0, Math.PI * 2);
        ctx.fill();
      }
    }
    // Belt loops.
    ctx.setLineDash([]);
    ctx.fillStyle = css(colour, -8);
    for (const x of [-W / 2 + 8, -W / 4, W / 4, W / 2 - 12]) ctx.fillRect(x, top - 2, 5, 18);
  }
  ctx.setLineDash([]);
  if (contrastStitch) {
    // Outseams.
    ctx.strokeStyle = stitch;
    ctx.lineWidth = 1.2;
    ctx.setLineDash([4, 3]);
    for (const side of [-1, 1] as const) {
      ctx.beginPath();
      ctx.moveTo(side * (hipW / 2 - 4), top + 62);
      ctx.lineTo(side * (hipW / 4 + splay * 0.4 + kneeW / 2 - 4), kneeY);
      ctx.lineTo(side * (hipW / 4 + splay + hemW / 2 - 4), hem - 2);
      ctx.stroke();
    }
    ctx.setLineDash([]);
  }
  return { width: hipW + 2 * splay + hemW, height: hem - top };
}
