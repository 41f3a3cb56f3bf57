import { Counter, Histogram, type Registry } from 'prom-client';
import type { Bucket } from '../../core/buckets/Bucket.js';
import type { Tag } from '../../core/tags/Tag.js';
import type { FinishedRequest, RequestObserver } from '../../http/RequestObserver.js';
import type { ObjectTagLookup } from '../objectTags.js';
import { needsTags, requestScope, requestTypeOf, scopeMatches, type ObjectFilter, type RequestType } from '../requestScope.js';
import { LATENCY_BUCKETS } from './latencyBuckets.js';

/** A bucket's metrics configurations as the exporter needs them (PutBucketMetricsConfiguration's Id and Filter). */
export interface MetricsConfigurationSource {
  forBucket(bucket: Bucket): Promise<readonly { readonly id: string; readonly filter?: ObjectFilter | undefined }[]>;
}

/** The bucket of a name as it is now (undefined: gone), to drop the series of a bucket deleted since. */
export type CurrentBucket = (name: string) => Promise<Bucket | undefined>;

type Labels = 'bucket' | 'filter_id';

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
  private readonly all: Counter<Labels>;
  private readonly byType: Readonly<Record<RequestType, Counter<Labels>>>;
  private readonly downloaded: Counter<Labels>;
  private readonly uploaded: Counter<Labels>;
  private readonly errors4xx: Counter<Labels>;
  private readonly errors5xx: Counter<Labels>;
  private readonly firstByte: Histogram<Labels>;
  private readonly total: Histogram<Labels>;
  /** Every (bucket, configuration id) with series, to drop those whose configuration (or bucket) is gone. */
  private readonly seen = new Map<string, { bucket: Bucket; ids: Set<string> }>();
  private pending = 0;

  constructor(
    registry: Registry,
    private readonly configurations: MetricsConfigurationSource,
    private readonly tags: ObjectTagLookup,
    private readonly currentBucket: CurrentBucket,
  ) {
    const registers = [registry];
    const labelNames = ['bucket', 'filter_id'] as const;
    const counter = (name: string, help: string): Counter<Labels> => new Counter({ name: `tessera_bucket_${name}`, help, labelNames, registers });
    this.all = counter('all_requests_total', 'AllRequests: every request of a metrics configuration\'s filter.');
    const typed = (type: RequestType): Counter<Labels> =>
      counter(`${TYPE_FAMILY[type]}_requests_total`, `${type}Requests: ${type} requests of a metrics configuration's filter.`);
    this.byType = { Get: typed('Get'), Put: typed('Put'), Delete: typed('Delete'), Head: typed('Head'), Post: typed('Post'), List: typed('List') };
    this.downloaded = counter('bytes_downloaded_total', 'BytesDownloaded: response body bytes of a metrics configuration\'s requests.');
    this.uploaded = counter('bytes_uploaded_total', 'BytesUploaded: request body bytes of a metrics configuration\'s requests.');
    this.errors4xx = counter('4xx_errors_total', '4xxErrors: requests of a metrics configuration answered with a 4xx status.');
    this.errors5xx = counter('5xx_errors_total', '5xxErrors: requests of a metrics configuration answered with a 5xx status.');
    const histogram = (name: string, help: string): Histogram<Labels> =>
      new Histogram({ name: `tessera_bucket_${name}`, help, labelNames, buckets: [...LATENCY_BUCKETS], registers });
    this.firstByte = histogram('first_byte_latency_seconds', 'FirstByteLatency: from a request\'s arrival to the start of its response.');
    this.total = histogram('total_request_latency_seconds', 'TotalRequestLatency: from a request\'s arrival to the last byte of its response.');
  }

  observe(done: FinishedRequest): void {
    const bucket = done.trace.bucket;
    if (bucket === undefined) return;
    this.pending += 1;
    this.record(bucket, done)
      .catch(() => undefined)
      .finally(() => (this.pending -= 1));
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
        const labels = { bucket: name, filter_id: id };
        for (const family of [this.all, ...Object.values(this.byType), this.downloaded, this.uploaded, this.errors4xx, this.errors5xx]) family.remove(labels);
        this.firstByte.remove(labels);
        this.total.remove(labels);
      }
      if (ids.size === 0) this.seen.delete(name);
    }
  }

  private async record(bucket: Bucket, done: FinishedRequest): Promise<void> {
    const configurations = await this.configurations.forBucket(bucket);
    if (configurations.length === 0) return;
    const req = done.request;
    const scope = requestScope(done.trace.operation, req?.key, req?.query);
    let tags: readonly Tag[] = [];
    if (configurations.some((c) => needsTags(c.filter, scope))) tags = await this.tags.tagsOf(done);
    const type = requestTypeOf(done.method, scope, done.trace.operation);
    for (const c of configurations) {
      if (!scopeMatches(c.filter, scope, tags)) continue;
      const labels = { bucket: bucket.name, filter_id: c.id };
      let seen = this.seen.get(bucket.name);
      if (seen === undefined || seen.bucket.createdAt.getTime() !== bucket.createdAt.getTime()) this.seen.set(bucket.name, (seen = { bucket, ids: seen?.ids ?? new Set() }));
      seen.ids.add(c.id);
      this.all.inc(labels);
      if (type !== undefined) this.byType[type].inc(labels);
      if (done.bytesOut > 0) this.downloaded.inc(labels, done.bytesOut);
      if (done.bytesIn > 0) this.uploaded.inc(labels, done.bytesIn);
      if (done.status >= 400 && done.status < 500) this.errors4xx.inc(labels);
      else if (done.status >= 500) this.errors5xx.inc(labels);
      this.firstByte.observe(labels, done.firstByteSeconds);
      this.total.observe(labels, done.totalSeconds);
    }
  }
}
