/**
 * Student's t for paired samples: the paired t-test, the t quantile, and the test's power (noncentral t), so
 * that two grid cells run on the same seeds can be compared seed by seed and the repeats a difference needs
 * can be estimated. The distributions come from @stdlib; only the noncentral t's power is integrated here.
 */
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import chisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';

/** The q-quantile of Student's t with df degrees of freedom, by bisection on @stdlib's CDF. */
export function tQuantile(q: number, df: number): number {
  if (!(q > 0 && q < 1) || !(df > 0)) return Number.NaN;
  if (q === 0.5) return 0;
  if (q < 0.5) return -tQuantile(1 - q, df);
  let hi = 1;
  while (tCdf(hi, df) < q) hi *= 2;
  let lo = 0;
  // 200 halvings reach the spacing of doubles near hi, whatever hi is.
  for (let i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (tCdf(mid, df) < q) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export interface PairedTTest {
  /** Pairs with both values. */
  n: number;
  /** Mean of a − b. */
  meanDifference: number;
  /** Sample standard deviation of a − b (n − 1). */
  sdDifference: number;
  t: number;
  df: number;
  /** Two-sided p-value; NaN with fewer than two pairs, or when every pair differs by exactly the same amount. */
  p: number;
  /** Pairs where a is higher, lower, equal. */
  wins: number;
  losses: number;
  ties: number;
}

/** The paired t-test of a against b (a[i] and b[i] measured on the same seed). */
export function pairedTTest(a: readonly number[], b: readonly number[]): PairedTTest {
  if (a.length !== b.length) throw new Error('paired samples must have the same length');
  const d = a.map((x, i) => x - b[i]!);
  const n = d.length;
  const wins = d.filter((x) => x > 0).length;
  const losses = d.filter((x) => x < 0).length;
  const mean = n ? d.reduce((s, x) => s + x, 0) / n : Number.NaN;
  const raw = n > 1 ? Math.sqrt(d.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1)) : Number.NaN;
  // Accuracies are ratios of counts: differences equal on paper can differ in the last bits.
  const sd = raw < 1e-12 * Math.max(1, Math.abs(mean)) ? 0 : raw;
  const df = n - 1;
  const t = n > 1 && sd > 0 ? mean / (sd / Math.sqrt(n)) : Number.NaN;
  const p = Number.isFinite(t) ? Math.min(1, 2 * tCdf(-Math.abs(t), df)) : Number.NaN;
  return { n, meanDifference: mean, sdDifference: sd, t, df, p, wins, losses, ties: n - wins - losses };
}

const SQRT_2PI = Math.sqrt(2 * Math.PI);

/**
 * Power of a two-sided t-test at level alpha when the statistic follows the noncentral t with df degrees of
 * freedom and noncentrality ncp: P(|T| > c) with c the t critical value. With T = (Z + ncp) / sqrt(V / df),
 * Z normal and V chi-square(df), |T| > c exactly when V < df (Z + ncp)² / c², so the power is the mean over Z
 * of that chi-square probability: a smooth one-dimensional integral (Simpson's rule over ±9 sd).
 */
export function tTestPower(df: number, ncp: number, alpha = 0.05): number {
  if (!(df > 0) || !(alpha > 0 && alpha < 1)) return Number.NaN;
  const c = tQuantile(1 - alpha / 2, df);
  const steps = 2400;
  const lo = ncp - 9;
  const h = 18 / steps;
  let sum = 0;
  for (let i = 0; i <= steps; i++) {
    // w = Z + ncp, normal with mean ncp.
    const w = lo + i * h;
    const f = (Math.exp(-((w - ncp) ** 2) / 2) / SQRT_2PI) * chisquareCdf((df * w * w) / (c * c), df);
    sum += f * (i === 0 || i === steps ? 1 : i % 2 ? 4 : 2);
  }
  return Math.min(1, (sum * h) / 3);
}

/** Power of the paired t-test with n pairs when the true mean difference is `effect` standard deviations. */
export const pairedPower = (effect: number, n: number, alpha = 0.05) =>
  tTestPower(n - 1, Math.abs(effect) * Math.sqrt(n), alpha);

/**
 * The fewest pairs (at least 2) at which the paired t-test reaches `power` for a true difference of `effect`
 * standard deviations; null when even `max` pairs do not (or there is no difference to find).
 */
export function pairsNeeded(effect: number, power = 0.8, alpha = 0.05, max = 10_000): number | null {
  if (!Number.isFinite(effect) || effect === 0) return null;
  const enough = (n: number) => pairedPower(effect, n, alpha) >= power;
  if (enough(2)) return 2;
  let lo = 2;
  let hi = 4;
  while (!enough(hi)) {
    if (hi >= max) return null;
    lo = hi;
    hi = Math.min(max, hi * 2);
  }
  // Power grows with n: the answer lies in (lo, hi].
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (enough(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}
