import type { Registry } from 'prom-client';
import type { Bucket } from '../../core/buckets/Bucket.js';
import type { Tag } from '../../core/tags/Tag.js';
import type { FinishedRequest, RequestObserver } from '../../http/RequestObserver.js';
import type { ObjectTagLookup } from '../objectTags.js';
import { needsTags, requestScope, requestTypeOf, scopeMatches, type ObjectFilter, type RequestScope, type RequestType } from '../requestScope.js';
import { resolvedValue } from '../settled.js';
import { LATENCY_BUCKETS } from './latencyBuckets.js';
import { CounterFamily, HistogramFamily } from './SeriesFamilies.js';

type Configuration = { readonly id: string; readonly filter?: ObjectFilter | undefined };

/** A bucket's metrics configurations as the exporter needs them (PutBucketMetricsConfiguration's Id and Filter). */
export interface MetricsConfigurationSource {
  /** The same promise while the bucket's configurations are unchanged (so it is known settled without waiting). */
  forBucket(bucket: Bucket): Promise<readonly Configuration[]>;
}

const NO_TAGS: readonly Tag[] = Object.freeze([]);

/** The bucket of a name as it is now (undefined: gone), to drop the series of a bucket deleted since. */
export type CurrentBucket = (name: string) => Promise<Bucket | undefined>;

const TYPE_FAMILY: Readonly<Record<RequestType, string>> = {
  Get: 'get',
  Put: 'put',
  Delete: 'delete',
  Head: 'head',
  Post: 'post',
  List: 'list',
};

/**
 * S3's CloudWatch request metrics, one series set per metrics configuration (labels `bucket` and `filter_id`, the
 * configuration's Id): a request counts under every configuration of its bucket whose filter it matches, by its key
 * and by the object's tags at the time of the request (docs/metrics.md). Nothing but a configuration's Id and its
 * bucket becomes a label. Series of configurations deleted since are dropped at the next scrape (`prune`).
 */
export class BucketRequestMetrics implements RequestObserver {
  private readonly all: CounterFamily;
  private readonly byType: Readonly<Record<RequestType, CounterFamily>>;
  private readonly downloaded: CounterFamily;
  private readonly uploaded: CounterFamily;
  private readonly errors4xx: CounterFamily;
  private readonly errors5xx: CounterFamily;
  private readonly firstByte: HistogramFamily;
  private readonly total: HistogramFamily;
  /** Every (bucket, configuration id) with series, to drop those whose configuration (or bucket) is gone. */
  private readonly seen = new Map<string, { bucket: Bucket; ids: Set<string> }>();
  private pending = 0;

  constructor(
    registry: Registry,
    private readonly configurations: MetricsConfigurationSource,
    private readonly tags: ObjectTagLookup,
    private readonly currentBucket: CurrentBucket,
  ) {
    const counter = (name: string, help: string): CounterFamily => new CounterFamily(registry, `tessera_bucket_${name}`, help);
    this.all = counter('all_requests_total', 'AllRequests: every request of a metrics configuration\'s filter.');
    const typed = (type: RequestType): CounterFamily =>
      counter(`${TYPE_FAMILY[type]}_requests_total`, `${type}Requests: ${type} requests of a metrics configuration's filter.`);
    this.byType = { Get: typed('Get'), Put: typed('Put'), Delete: typed('Delete'), Head: typed('Head'), Post: typed('Post'), List: typed('List') };
    this.downloaded = counter('bytes_downloaded_total', 'BytesDownloaded: response body bytes of a metrics configuration\'s requests.');
    this.uploaded = counter('bytes_uploaded_total', 'BytesUploaded: request body bytes of a metrics configuration\'s requests.');
    this.errors4xx = counter('4xx_errors_total', '4xxErrors: requests of a metrics configuration answered with a 4xx status.');
    this.errors5xx = counter('5xx_errors_total', '5xxErrors: requests of a metrics configuration answered with a 5xx status.');
    const histogram = (name: string, help: string): HistogramFamily => new HistogramFamily(registry, `tessera_bucket_${name}`, help, LATENCY_BUCKETS);
    this.firstByte = histogram('first_byte_latency_seconds', 'FirstByteLatency: from a request\'s arrival to the start of its response.');
    this.total = histogram('total_request_latency_seconds', 'TotalRequestLatency: from a request\'s arrival to the last byte of its response.');
  }

  observe(done: FinishedRequest): void {
    const bucket = done.trace.bucket;
    if (bucket === undefined) return;
    const configurations = this.configurations.forBucket(bucket);
    const known = resolvedValue(configurations);
    if (known !== undefined) {
      this.track(this.record(bucket, done, known.value));
      return;
    }
    this.track(configurations.then((c) => this.record(bucket, done, c)));
  }

  async wantsObjectTags(bucket: Bucket): Promise<boolean> {
    return (await this.configurations.forBucket(bucket)).some((c) => (c.filter?.tags.length ?? 0) > 0);
  }

  /** Whether requests already answered are still being counted (tests wait for none before scraping). */
  get busy(): boolean {
    return this.pending > 0;
  }

  /** Drop the series of configurations that no longer exist. */
  async prune(): Promise<void> {
    for (const [name, { bucket, ids }] of this.seen) {
      const now = await this.currentBucket(name);
      const same = now !== undefined && now.createdAt.getTime() === bucket.createdAt.getTime();
      const live = new Set(same ? (await this.configurations.forBucket(now)).map((c) => c.id) : []);
      for (const id of ids) {
        if (live.has(id)) continue;
        ids.delete(id);
        const key = seriesKey(name, id);
        for (const family of [this.all, ...Object.values(this.byType), this.downloaded, this.uploaded, this.errors4xx, this.errors5xx, this.firstByte, this.total]) {
          family.remove(key);
        }
      }
      if (ids.size === 0) this.seen.delete(name);
    }
  }

  private track(later: Promise<void> | undefined): void {
    if (later === undefined) return;
    this.pending += 1;
    later.catch(() => undefined).finally(() => (this.pending -= 1));
  }

  /** Count the request now when its tags are known or not needed; otherwise the promise of counting it. */
  private record(bucket: Bucket, done: FinishedRequest, configurations: readonly Configuration[]): Promise<void> | undefined {
    if (configurations.length === 0) return undefined;
    const req = done.request;
    const scope = requestScope(done.trace.operation, req?.key, req?.query);
    if (!configurations.some((c) => needsTags(c.filter, scope))) {
      this.count(bucket, done, scope, configurations, NO_TAGS);
      return undefined;
    }
    const tags = this.tags.known(done);
    if (tags !== undefined) {
      this.count(bucket, done, scope, configurations, tags);
      return undefined;
    }
    return this.tags.tagsOf(done).then((t) => this.count(bucket, done, scope, configurations, t));
  }

  private count(bucket: Bucket, done: FinishedRequest, scope: RequestScope, configurations: readonly Configuration[], tags: readonly Tag[]): void {
    const type = requestTypeOf(done.method, scope, done.trace.operation);
    for (const c of configurations) {
      if (!scopeMatches(c.filter, scope, tags)) continue;
      const key = seriesKey(bucket.name, c.id);
      const labels = (): Readonly<Record<string, string>> => ({ bucket: bucket.name, filter_id: c.id });
      let seen = this.seen.get(bucket.name);
      if (seen === undefined || seen.bucket.createdAt.getTime() !== bucket.createdAt.getTime()) this.seen.set(bucket.name, (seen = { bucket, ids: seen?.ids ?? new Set() }));
      seen.ids.add(c.id);
      this.all.add(key, labels);
      if (type !== undefined) this.byType[type].add(key, labels);
      if (done.bytesOut > 0) this.downloaded.add(key, labels, done.bytesOut);
      if (done.bytesIn > 0) this.uploaded.add(key, labels, done.bytesIn);
      if (done.status >= 400 && done.status < 500) this.errors4xx.add(key, labels);
      else if (done.status >= 500) this.errors5xx.add(key, labels);
      this.firstByte.observe(key, labels, done.firstByteSeconds);
      this.total.observe(key, labels, done.totalSeconds);
    }
  }
}

/** A configuration's series key: bucket names cannot hold a space. */
function seriesKey(bucket: string, id: string): string {
  return `${bucket} ${id}`;
}
