/** Side-view shoe geometry: toe at -L/2, back at +L/2, ground at y = 0, up is negative y. */

export type ShoeType =
  | 'boot'
  | 'trainer'
  | 'sandal'
  | 'flipflop'
  | 'slide'
  | 'formal'
  | 'ballerina'
  | 'pump'
  | 'loafer'
  | 'slipper'
  | 'espadrille'
  | 'clog'
  | 'mule'
  | 'wedge';

export interface ShoeShape {
  type: ShoeType;
  L: number;
  /** Heel height: how far the back of the sole is raised. */
  H: number;
  heel: 'none' | 'block' | 'stiletto' | 'wedge';
  soleT: number;
  toeH: number;
  /** Toe roundness: 1 pointed … 2.5 round. */
  toeP: number;
  /** Where the opening starts, as a fraction of L from the toe. */
  vamp: number;
  vampH: number;
  collarH: number;
  /** How far the collar line dips between the throat and the back. */
  dip: number;
  /** Boots: shaft height; 0 for shoes. */
  shaftH: number;
  backless: boolean;
}

const smooth = (t: number) => t * t * (3 - 2 * t);

/** Height of the sole's underside above the ground at x. */
export function rise(s: ShoeShape, x: number): number {
  if (s.H <= 0) return 0;
  const ball = -s.L / 2 + 0.33 * s.L;
  const seat = s.L / 2 - 0.16 * s.L;
  if (x <= ball) return 0;
  if (x >= seat) return s.H;
  return s.H * smooth((x - ball) / (seat - ball));
}

/** The upper's top line as [x, height above the sole top] points, toe to back. */
export function upperProfile(s: ShoeShape): [number, number][] {
  const pts: [number, number][] = [];
  const x0 = -s.L / 2;
  const toeLen = s.L * 0.22;
  for (let i = 0; i <= 12; i++) {
    const t = i / 12;
    const h = s.toeH * Math.pow(1 - Math.pow(1 - t, s.toeP), 1 / s.toeP);
    pts.push([x0 + t * toeLen, h]);
  }
  const throatX = x0 + s.vamp * s.L;
  pts.push([throatX, s.vampH]);
  if (s.shaftH > 0) {
    const front = s.L / 2 - s.L * 0.36;
    pts.push([front, s.vampH + (s.shaftH - s.vampH) * 0.45]);
    pts.push([front - 4, s.shaftH]);
    pts.push([s.L / 2 + 6, s.shaftH + 2]);
    pts.push([s.L / 2 + 2, s.shaftH * 0.5]);
    pts.push([s.L / 2, 0]);
    return pts;
  }
  const backH = s.backless ? 0 : s.collarH;
  const steps = 8;
  for (let i = 1; i <= steps; i++) {
    const t = i / steps;
    const x = throatX + (s.L / 2 - throatX) * t;
    const h = s.vampH + (backH - s.vampH) * t - s.dip * Math.sin(Math.PI * t) * (s.backless ? 0.3 : 1);
    pts.push([x, Math.max(s.backless ? 0 : 6, h)]);
  }
  if (!s.backless) pts.push([s.L / 2 + 3, s.collarH * 0.5]);
  pts.push([s.L / 2, 0]);
  return pts;
}

/** Canvas y for a point `h` above the sole top at x. */
export const yAt = (s: ShoeShape, x: number, h: number) => -(rise(s, x) + s.soleT + h);
