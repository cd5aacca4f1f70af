// Medians and percentiles for the benchmark tables: every figure we print is a median of runs, never one sample.

/** The p-th percentile (0–100) of values by nearest rank; NaN for no values. */
export function percentile(values: ArrayLike<number>, p: number): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1));
  return sorted[rank] ?? Number.NaN;
}

/** Median of runs: the middle value (mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const n = finite.length;
  if (n === 0) return Number.NaN;
  const mid = Math.floor(n / 2);
  return n % 2 === 1 ? (finite[mid] ?? Number.NaN) : ((finite[mid - 1] ?? 0) + (finite[mid] ?? 0)) / 2;
}

export interface LatencySummary {
  readonly count: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** Latencies in ms (floats, sub-ms resolution) → p50 / p99 / max. */
export function summariseLatencies(ms: ArrayLike<number>): LatencySummary {
  let max = 0;
  for (let i = 0; i < ms.length; i++) max = Math.max(max, ms[i] ?? 0);
  return { count: ms.length, p50Ms: percentile(ms, 50), p99Ms: percentile(ms, 99), maxMs: max };
}

/** Median of each numeric field over runs (runs must share a shape). */
export function medianOf<T extends Record<string, number>>(runs: readonly T[]): T {
  const first = runs[0];
  if (first === undefined) throw new Error('medianOf: no runs');
  const out: Record<string, number> = {};
  for (const key of Object.keys(first)) out[key] = median(runs.map((r) => r[key] ?? Number.NaN));
  return out as T;
}
