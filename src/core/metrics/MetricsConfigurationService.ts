import { S3Error } from '../../errors/S3Error.js';
import { bucketGeneration, type Bucket } from '../buckets/Bucket.js';
import { decodeContinuationToken, encodeContinuationToken } from '../objects/listing/continuationToken.js';
import type { MetricsConfigurationStore } from '../ports/MetricsConfigurationStore.js';
import { MAX_METRICS_CONFIGURATIONS, METRICS_PAGE_SIZE, type MetricsConfiguration } from './MetricsConfiguration.js';
import type { MetricsConfigurationDraft } from './MetricsConfigurationDraft.js';
import { metricsErrors } from './metricsErrors.js';
import { checkMetricsId, isMetricsId, validateMetricsConfiguration } from './validateMetricsConfiguration.js';

export interface MetricsConfigurationServiceDeps {
  readonly store: MetricsConfigurationStore;
}

/** One page of ListBucketMetricsConfigurations. */
export interface MetricsConfigurationPage {
  readonly configurations: readonly MetricsConfiguration[];
  readonly isTruncated: boolean;
  /** The token the request sent, echoed. */
  readonly continuationToken?: string;
  /** Where the next page starts; only when truncated. */
  readonly nextContinuationToken?: string;
}

interface Cached {
  /** bucketGeneration: the bucket's creation and configuration revision. */
  readonly generation: string;
  readonly configurations: Promise<readonly MetricsConfiguration[]>;
}

/**
 * Bucket metrics configurations (PutBucketMetricsConfiguration and its siblings; docs/metrics.md), and the list the
 * request-metrics exporter reads on every request, `forBucket`.
 *
 * `forBucket` answers from an in-memory cache per bucket, filled on first use and dropped by every write through this
 * service (before and after the store's write, so a read racing the write cannot keep the old list). A warm call does
 * not touch the store. A write on another node (several nodes on one PostgreSQL database) moves the bucket's
 * configuration revision, which the next request reads with the bucket, so the cached list is keyed on
 * `bucketGeneration`.
 */
export class MetricsConfigurationService {
  private readonly cache = new Map<string, Cached>();

  constructor(private readonly deps: MetricsConfigurationServiceDeps) {}

  /**
   * Validate (S3's codes and messages; validateMetricsConfiguration) and store under `id`, replacing a configuration
   * of the same id; a new id on a bucket that has 1,000 is TooManyConfigurations.
   */
  async put(bucket: Bucket, id: string | undefined, draft: MetricsConfigurationDraft): Promise<MetricsConfiguration> {
    const configuration = validateMetricsConfiguration(draft, id);
    this.cache.delete(bucket.name);
    const outcome = await this.deps.store.putMetricsConfiguration(bucket.name, configuration, MAX_METRICS_CONFIGURATIONS);
    this.cache.delete(bucket.name);
    if (outcome === 'missing') throw noSuchBucket(bucket.name);
    if (outcome === 'too-many') throw metricsErrors.tooMany();
    return configuration;
  }

  /** The configuration of `id`; NoSuchConfiguration when the bucket has none. */
  async get(bucket: Bucket, id: string | undefined): Promise<MetricsConfiguration> {
    const checked = checkMetricsId(id);
    const configuration = await this.deps.store.getMetricsConfiguration(bucket.name, checked);
    if (configuration === undefined) throw metricsErrors.noSuchConfiguration();
    return configuration;
  }

  /** Remove the configuration of `id`; NoSuchConfiguration when the bucket has none. */
  async delete(bucket: Bucket, id: string | undefined): Promise<void> {
    const checked = checkMetricsId(id);
    this.cache.delete(bucket.name);
    const existed = await this.deps.store.deleteMetricsConfiguration(bucket.name, checked);
    this.cache.delete(bucket.name);
    if (!existed) throw metricsErrors.noSuchConfiguration();
  }

  /**
   * A page of the bucket's configurations in id order: up to 100, after the position of `continuationToken` (opaque;
   * one this service did not make is InvalidArgument, ArgumentName continuation-token).
   */
  async list(bucket: Bucket, continuationToken: string | undefined): Promise<MetricsConfigurationPage> {
    let after: string | undefined;
    if (continuationToken !== undefined) {
      after = decodeContinuationToken('metrics', continuationToken);
      if (after === undefined || !isMetricsId(after)) throw metricsErrors.badContinuationToken(continuationToken);
    }
    const found = await this.deps.store.listMetricsConfigurations(bucket.name, after, METRICS_PAGE_SIZE + 1);
    const configurations = found.slice(0, METRICS_PAGE_SIZE);
    const isTruncated = found.length > METRICS_PAGE_SIZE;
    const last = configurations[configurations.length - 1];
    return {
      configurations,
      isTruncated,
      ...(continuationToken === undefined ? {} : { continuationToken }),
      ...(isTruncated && last !== undefined ? { nextContinuationToken: encodeContinuationToken('metrics', last.id) } : {}),
    };
  }

  /**
   * Every configuration of the bucket, in id order — what the request-metrics exporter matches each request against
   * (observability/requestScope.ts). Cached: a warm call does not touch the store (see the class comment).
   */
  forBucket(bucket: Bucket): Promise<readonly MetricsConfiguration[]> {
    const generation = bucketGeneration(bucket);
    const cached = this.cache.get(bucket.name);
    if (cached !== undefined && cached.generation === generation) return cached.configurations;
    const configurations = this.deps.store.listMetricsConfigurations(bucket.name, undefined, MAX_METRICS_CONFIGURATIONS);
    const entry: Cached = { generation, configurations };
    this.cache.set(bucket.name, entry);
    // a failed read is not kept: the next request tries again
    configurations.catch(() => {
      if (this.cache.get(bucket.name) === entry) this.cache.delete(bucket.name);
    });
    return configurations;
  }
}

function noSuchBucket(bucket: string): S3Error {
  return new S3Error('NoSuchBucket', { details: { BucketName: bucket } });
}
