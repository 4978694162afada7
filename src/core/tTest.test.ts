import { describe, expect, it } from 'vitest';
import { pairedPower, pairedTTest, pairsNeeded, tQuantile, tTestPower } from './tTest';
import { summarise } from './metrics';

// Published two-sided 95% critical values of Student's t (any statistics table), df 1 … 30.
const TABLE_T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

describe("Student's t quantile", () => {
  it('matches the published table', () => {
    TABLE_T975.forEach((t, i) => expect(tQuantile(0.975, i + 1)).toBeCloseTo(t, 3));
    expect(tQuantile(0.995, 10)).toBeCloseTo(3.169, 3);
    expect(tQuantile(0.95, 5)).toBeCloseTo(2.015, 3);
    expect(tQuantile(0.025, 9)).toBeCloseTo(-2.262, 3);
    expect(tQuantile(0.975, 1e6)).toBeCloseTo(1.96, 3);
  });

  it("agrees with the hand-written table behind the grid's 95% intervals", () => {
    for (let n = 2; n <= 31; n++) {
      const values = Array.from({ length: n }, (_, i) => (i % 3) / 10);
      const s = summarise(values);
      const half = (tQuantile(0.975, n - 1) * s.sd) / Math.sqrt(n);
      expect(s.high - s.mean).toBeCloseTo(half, 3);
    }
  });
});

describe('the paired t-test', () => {
  // R's `sleep` data (Student 1908): t.test(extra ~ group, paired = TRUE) gives t = -4.0621, df = 9, p = 0.002833.
  const drug1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
  const drug2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

  it("reproduces Student's sleep data", () => {
    const r = pairedTTest(drug1, drug2);
    expect(r.t).toBeCloseTo(-4.0621, 4);
    expect(r.df).toBe(9);
    expect(r.p).toBeCloseTo(0.002833, 6);
    expect(r.meanDifference).toBeCloseTo(-1.58, 10);
    expect(r).toMatchObject({ n: 10, wins: 0, losses: 9, ties: 1 });
    expect(pairedTTest(drug2, drug1).p).toBeCloseTo(r.p, 12);
  });

  it('has no p-value without spread or with a single pair', () => {
    expect(pairedTTest([0.8], [0.7]).p).toBeNaN();
    expect(pairedTTest([0.8, 0.9], [0.7, 0.8]).p).toBeNaN();
    expect(() => pairedTTest([1, 2], [1])).toThrow();
  });
});

describe("the t-test's power (noncentral t)", () => {
  it("matches R's power.t.test examples", () => {
    // power.t.test(n = 20, delta = 1): two samples of 20, df 38, ncp sqrt(10); power = 0.8689528.
    expect(tTestPower(38, Math.sqrt(10))).toBeCloseTo(0.8689528, 5);
    // power.t.test(power = .90, delta = 1): n = 22.02110 per group gives exactly 90%.
    const n = 22.0211;
    expect(tTestPower(2 * (n - 1), Math.sqrt(n / 2))).toBeCloseTo(0.9, 4);
  });

  it("matches Cohen's paired-sample sizes for 80% power at the 5% level", () => {
    // power.t.test(delta = d, power = .8, type = "paired") / pwr.t.test: n = 33.36713 (d 0.5), 14.30278 (d 0.8).
    expect(pairedPower(0.5, 33.36713)).toBeCloseTo(0.8, 4);
    expect(pairedPower(0.8, 14.30278)).toBeCloseTo(0.8, 4);
    expect(pairsNeeded(0.5)).toBe(34);
    expect(pairsNeeded(0.8)).toBe(15);
    expect(pairsNeeded(-0.8)).toBe(15);
    // scipy.stats.nct, searching n: 90 pairs for d = 0.3, 787 for d = 0.1.
    expect(pairsNeeded(0.3)).toBe(90);
    expect(pairsNeeded(0.1)).toBe(787);
    // Two-sample d = 0.5 needs 63.77 per group, so the famous 64.
    expect(tTestPower(2 * 63.76561 - 2, 0.5 * Math.sqrt(63.76561 / 2))).toBeCloseTo(0.8, 4);
  });

  it('needs no repeats for a huge effect, and gives up on none', () => {
    expect(pairsNeeded(20)).toBe(2);
    expect(pairsNeeded(0)).toBeNull();
    expect(pairsNeeded(0.001, 0.8, 0.05, 1000)).toBeNull();
    expect(pairedPower(0.5, 10)).toBeLessThan(pairedPower(0.5, 20));
    // With no effect the test rejects at its level.
    expect(tTestPower(9, 0)).toBeCloseTo(0.05, 6);
  });
});
