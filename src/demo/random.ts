/** Drawing parameters from a seeded generator. */
import type { Rng } from '../core/rng';

export class Dice {
  constructor(readonly rng: Rng) {}
  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.rng();
  }
  int(lo: number, hi: number): number {
    return Math.floor(this.range(lo, hi + 1));
  }
  chance(p: number): boolean {
    return this.rng() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.rng() * items.length)]!;
  }
  /** Picks by weight: [[item, weight], …]. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let r = this.rng() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return items[items.length - 1]![0];
  }
  /** Roughly normal (sum of uniforms), mean 0, sd 1. */
  normal(): number {
    return this.rng() + this.rng() + this.rng() + this.rng() - 2;
  }
}

export const hsl = (h: number, s: number, l: number, a = 1) =>
  a === 1
    ? `hsl(${h.toFixed(1)}, ${s.toFixed(1)}%, ${l.toFixed(1)}%)`
    : `hsla(${h.toFixed(1)}, ${s.toFixed(1)}%, ${l.toFixed(1)}%, ${a.toFixed(3)})`;

export interface Hsl {
  h: number;
  s: number;
  l: number;
}

export const css = (c: Hsl, dl = 0, a = 1) => hsl(c.h, c.s, Math.max(0, Math.min(100, c.l + dl)), a);
