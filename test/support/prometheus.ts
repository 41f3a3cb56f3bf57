import { createRequire } from 'node:module';

/** A parsed family, as parse-prometheus-text-format (prom2json's shape) gives it. */
export interface MetricFamily {
  readonly name: string;
  readonly help: string;
  readonly type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED';
  readonly metrics: readonly {
    readonly labels?: Readonly<Record<string, string>>;
    readonly value?: string;
    readonly count?: string;
    readonly sum?: string;
    readonly buckets?: Readonly<Record<string, string>>;
  }[];
}

const parse = createRequire(import.meta.url)('parse-prometheus-text-format') as (text: string) => MetricFamily[];

/** A scrape, parsed by a real Prometheus text-format parser, with lookups by family and labels. */
export class Scrape {
  readonly families: ReadonlyMap<string, MetricFamily>;

  constructor(readonly text: string) {
    this.families = new Map(parse(text).map((f) => [f.name, f]));
  }

  /** The value of the sample whose labels include `labels` (0 when there is none). */
  value(name: string, labels: Readonly<Record<string, string>> = {}): number {
    const family = this.families.get(name);
    if (family === undefined) return 0;
    const sample = family.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
    return sample === undefined ? 0 : Number(sample.value ?? sample.count);
  }

  /**
   * The observations of a histogram's series (its `+Inf` bucket). The parser keeps a histogram's buckets apart only
   * for one label set, so it is given that series' lines alone.
   */
  histogramCount(name: string, labels: Readonly<Record<string, string>>): number {
    const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
    const lines = this.text.split('\n').filter((l) => l.startsWith(`${name}_`) && wanted.every((w) => l.includes(w)));
    const [family] = parse(`# TYPE ${name} histogram\n${lines.join('\n')}\n`);
    const inf = family?.metrics[0]?.buckets?.['+Inf'];
    return inf === undefined ? 0 : Number(inf);
  }

  /** Every sample of a family whose labels include `labels`. */
  samples(name: string, labels: Readonly<Record<string, string>> = {}): MetricFamily['metrics'] {
    return (this.families.get(name)?.metrics ?? []).filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  }
}

export async function scrape(url: string, init: RequestInit = {}): Promise<Scrape> {
  const res = await fetch(url, init);
  if (res.status !== 200) throw new Error(`scrape of ${url} answered ${res.status}`);
  return new Scrape(await res.text());
}
