/** Latency samples in ms, kept in a growable typed array (no per-sample allocation). */
export class LatencyRecorder {
  private data = new Float64Array(1 << 14);
  private length = 0;

  add(ms: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = ms;
  }

  addAll(other: LatencyRecorder): void {
    for (let i = 0; i < other.length; i++) this.add(other.data[i] as number);
  }

  get count(): number {
    return this.length;
  }

  /** The samples, sorted ascending. */
  sorted(): Float64Array {
    return this.data.slice(0, this.length).sort();
  }
}

/** Nearest-rank percentile (p in 0..100) of sorted samples; NaN when there are none. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

export function mean(sorted: Float64Array): number {
  if (sorted.length === 0) return Number.NaN;
  let sum = 0;
  for (const v of sorted) sum += v;
  return sum / sorted.length;
}
