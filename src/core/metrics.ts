/** Scores: confusion matrices (rows = true, columns = predicted), accuracy, per-class P/R/F1, mean/sd/interval. */

export function confusionMatrix(
  truth: ArrayLike<number>,
  predicted: ArrayLike<number>,
  classes: number,
): number[][] {
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < truth.length; i++) m[truth[i]!]![predicted[i]!]!++;
  return m;
}

export function accuracyOf(m: number[][]): number {
  let right = 0;
  let all = 0;
  m.forEach((row, i) => row.forEach((v, j) => ((all += v), i === j && (right += v))));
  return all ? right / all : 0;
}

/** Rows scaled to sum to 1, rounded to 2 decimals as the study logged them. */
export function rowNormalised(m: number[][]): number[][] {
  return m.map((row) => {
    const sum = row.reduce((a, b) => a + b, 0);
    return row.map((v) => (sum ? Math.round((v / sum) * 100) / 100 : 0));
  });
}

export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export function perClassScores(m: number[][]): ClassScores[] {
  return m.map((row, k) => {
    const tp = row[k]!;
    const support = row.reduce((a, b) => a + b, 0);
    const predicted = m.reduce((s, r) => s + r[k]!, 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { precision, recall, f1, support };
  });
}

// Two-sided 95% critical values of Student's t for 1..30 degrees of freedom.
const T95 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

export interface Summary {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1). */
  sd: number;
  /** 95% confidence interval of the mean (t distribution); equal to the mean when n = 1. */
  low: number;
  high: number;
}

export function summarise(values: readonly number[]): Summary {
  const n = values.length;
  if (n === 0) return { n, mean: NaN, sd: NaN, low: NaN, high: NaN };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : 0;
  const t = n > 1 ? (T95[Math.min(n - 1, 30) - 1] ?? 1.96) : 0;
  const half = n > 1 ? (t * sd) / Math.sqrt(n) : 0;
  return { n, mean, sd, low: mean - half, high: mean + half };
}
