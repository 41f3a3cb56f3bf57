import type { Registry } from 'prom-client';

type Labels = Readonly<Record<string, string>>;

interface MetricValue {
  readonly metricName?: string;
  readonly labels: Labels;
  readonly value: number;
}

/** What prom-client's registry reads of a metric on a scrape (its public metric object). */
interface RegisteredMetric {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'histogram';
  readonly aggregator: 'sum';
  get(): Promise<{ name: string; help: string; type: 'counter' | 'histogram'; aggregator: 'sum'; values: MetricValue[] }>;
}

/**
 * Counters and histograms for the request path, kept per series in plain numbers and handed to prom-client's
 * registry (which renders the text format) only when scraped. prom-client's own Counter and Histogram hash and
 * validate the label object on every increment — several microseconds per request across the request families —
 * while here a request finds its series by a key the caller already has (a series is created once, with its labels)
 * and adds to numbers. The families are registered on, and rendered by, the same Registry as prom-client's own.
 */
abstract class Family<S> implements RegisteredMetric {
  protected readonly series = new Map<string, S & { readonly labels: Labels }>();
  abstract readonly type: 'counter' | 'histogram';
  readonly aggregator = 'sum' as const;

  constructor(
    registry: Registry,
    readonly name: string,
    readonly help: string,
  ) {
    registry.registerMetric(this as unknown as Parameters<Registry['registerMetric']>[0]);
  }

  /** Drop a series (its labels go from the next scrape). */
  remove(key: string): void {
    this.series.delete(key);
  }

  protected abstract values(): MetricValue[];

  get(): Promise<{ name: string; help: string; type: 'counter' | 'histogram'; aggregator: 'sum'; values: MetricValue[] }> {
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values: this.values() });
  }
}

/** A counter family: `add(key, labelsOf, n)`; `labelsOf` is called only when the series is new. */
export class CounterFamily extends Family<{ value: number }> {
  readonly type = 'counter' as const;

  add(key: string, labelsOf: () => Labels, n = 1): void {
    let s = this.series.get(key);
    if (s === undefined) this.series.set(key, (s = { labels: labelsOf(), value: 0 }));
    s.value += n;
  }

  protected values(): MetricValue[] {
    return [...this.series.values()].map((s) => ({ labels: s.labels, value: s.value }));
  }
}

/** A histogram family with fixed bucket bounds (upper bounds, ascending; `+Inf` is implied). */
export class HistogramFamily extends Family<{ counts: Float64Array; sum: number; count: number }> {
  readonly type = 'histogram' as const;

  constructor(
    registry: Registry,
    name: string,
    help: string,
    private readonly bounds: readonly number[],
  ) {
    super(registry, name, help);
  }

  observe(key: string, labelsOf: () => Labels, value: number): void {
    let s = this.series.get(key);
    if (s === undefined) this.series.set(key, (s = { labels: labelsOf(), counts: new Float64Array(this.bounds.length), sum: 0, count: 0 }));
    const bounds = this.bounds;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= (bounds[i] as number)) {
        s.counts[i] = (s.counts[i] as number) + 1;
        break;
      }
    }
    s.sum += value;
    s.count += 1;
  }

  protected values(): MetricValue[] {
    const out: MetricValue[] = [];
    for (const s of this.series.values()) {
      let cumulative = 0;
      this.bounds.forEach((bound, i) => {
        cumulative += s.counts[i] as number;
        out.push({ metricName: `${this.name}_bucket`, labels: { le: String(bound), ...s.labels }, value: cumulative });
      });
      out.push({ metricName: `${this.name}_bucket`, labels: { le: '+Inf', ...s.labels }, value: s.count });
      out.push({ metricName: `${this.name}_sum`, labels: s.labels, value: s.sum });
      out.push({ metricName: `${this.name}_count`, labels: s.labels, value: s.count });
    }
    return out;
  }
}
