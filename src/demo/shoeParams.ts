/** Shoe parameters per class: the shape and palette, leaning by gender with overlap. */
import { Dice, type Hsl } from './random';
import type { ShoeShape, ShoeType } from './shoeShape';

export type ShoeClass = 'boots' | 'trainers' | 'sandals' | 'formal' | 'others' | 'ballerina' | 'heels';

export function palette(d: Dice, female: boolean, type: ShoeType): Hsl {
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

export function shapeFor(d: Dice, cls: ShoeClass, female: boolean): ShoeShape {
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
