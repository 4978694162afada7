/** Numbers for people: counts, sizes, rates and durations. */
export const formatCount = (n: number) => n.toLocaleString('en-US');

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = bytes / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  if (seconds < 1) return '<1 s';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  if (m < 60) return `${m} min ${s} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** A name as a file name: letters and digits kept, every other run of characters one dash ("Shoes-all-11"). */
export const fileSlug = (s: string) => s.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '');

export const formatPercent = (fraction: number, digits = 1) => `${(fraction * 100).toFixed(digits)}%`;

export interface Progress {
  done: number;
  total: number;
  /** Items per second since the start. */
  rate: number;
  /** Seconds left at that rate; NaN until known. */
  remaining: number;
}

export function progressAt(done: number, total: number, startedMs: number, nowMs: number): Progress {
  const elapsed = (nowMs - startedMs) / 1000;
  const rate = elapsed > 0 ? done / elapsed : 0;
  const remaining = rate > 0 ? (total - done) / rate : Number.NaN;
  return { done, total, rate, remaining };
}
