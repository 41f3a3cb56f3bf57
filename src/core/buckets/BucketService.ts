import { S3Error } from '../../errors/S3Error.js';
import { compareUtf8 } from '../keys/keyOrder.js';
import type { CoreDeps } from '../CoreDeps.js';
import type { Tag } from '../tags/Tag.js';
import { MAX_BUCKET_TAGS, validateTagSet } from '../tags/TagSet.js';
import type { Bucket } from './Bucket.js';
import { validateBucketName } from './bucketName.js';
import { US_EAST_1, bucketRegionFor } from './locationConstraint.js';

export interface CreateBucketInput {
  readonly name: string;
  readonly ownerAccountId: string;
  /** CreateBucketConfiguration/LocationConstraint; undefined when the request carries none. */
  readonly locationConstraint: string | undefined;
  /** CreateBucketConfiguration/Tags: the bucket's initial tag set. */
  readonly tags?: readonly Tag[];
}

export interface CreateBucketResult {
  readonly bucket: Bucket;
  /** False when the caller already owned the bucket and AWS's us-east-1 legacy rule answers 200 anyway. */
  readonly created: boolean;
}

export interface BucketListQuery {
  /** Only names starting with this. */
  readonly prefix?: string;
  /** Only names after this one (a continuation position). */
  readonly after?: string;
  /** Only buckets in this region. */
  readonly region?: string;
  readonly limit: number;
}

export interface BucketPage {
  readonly buckets: readonly Bucket[];
  readonly isTruncated: boolean;
}

/** Buckets: creation under AWS's naming and location rules, deletion, listing per account, versioning state. */
export class BucketService {
  constructor(private readonly deps: Pick<CoreDeps, 'buckets' | 'settings' | 'clock'>) {}

  /**
   * Create a bucket. Errors, as AWS answers them: InvalidBucketName, InvalidLocationConstraint /
   * IllegalLocationConstraintException, InvalidTag, BucketAlreadyExists (another account owns the name) and
   * BucketAlreadyOwnedByYou (the caller does). AWS's documented legacy exception is kept: re-creating a bucket you
   * already own in us-east-1 answers 200 OK (with nothing changed), every other region 409 BucketAlreadyOwnedByYou.
   */
  async create(input: CreateBucketInput): Promise<CreateBucketResult> {
    validateBucketName(input.name);
    const region = bucketRegionFor(input.locationConstraint, this.deps.settings.region);
    const tags = input.tags === undefined ? undefined : validateTagSet(input.tags, { maxTags: MAX_BUCKET_TAGS });
    const bucket: Bucket = {
      name: input.name,
      ownerAccountId: input.ownerAccountId,
      region,
      createdAt: this.deps.clock(),
      versioning: 'Unversioned',
    };
    const buckets = this.deps.buckets;
    for (let attempt = 0; ; attempt++) {
      if ((await buckets.createBucket(bucket)) === 'created') break;
      const existing = await buckets.getBucket(input.name);
      // deleted between the two calls: try once more
      if (existing === undefined && attempt === 0) continue;
      if (existing !== undefined && existing.ownerAccountId === input.ownerAccountId) {
        if (existing.region === US_EAST_1) return { bucket: existing, created: false };
        throw new S3Error('BucketAlreadyOwnedByYou', { details: { BucketName: input.name } });
      }
      throw new S3Error('BucketAlreadyExists', { details: { BucketName: input.name } });
    }
    if (tags !== undefined && tags.length > 0) await buckets.setBucketTags(input.name, tags);
    return { bucket, created: true };
  }

  /** The region this server answers as (a bucket's region when the request names none). */
  get region(): string {
    return this.deps.settings.region;
  }

  get(name: string): Promise<Bucket | undefined> {
    return this.deps.buckets.getBucket(name);
  }

  /** Delete an empty bucket: NoSuchBucket when it is gone, BucketNotEmpty while versions or uploads remain. */
  async delete(name: string): Promise<void> {
    const result = await this.deps.buckets.deleteBucket(name);
    if (result === 'missing') throw new S3Error('NoSuchBucket', { details: { BucketName: name } });
    if (result === 'not-empty') throw new S3Error('BucketNotEmpty', { details: { BucketName: name } });
  }

  /** One page of an account's buckets in name order. */
  async listOwned(ownerAccountId: string, query: BucketListQuery): Promise<BucketPage> {
    const { prefix, after, region } = query;
    const all = await this.deps.buckets.listBuckets(ownerAccountId);
    const matching = all.filter(
      (b) =>
        (prefix === undefined || b.name.startsWith(prefix)) &&
        (after === undefined || compareUtf8(b.name, after) > 0) &&
        (region === undefined || b.region === region),
    );
    return { buckets: matching.slice(0, query.limit), isTruncated: matching.length > query.limit };
  }

  /**
   * Turn versioning on (Enabled) or off (Suspended). A bucket never goes back to Unversioned: once versioning has
   * been set, it can only be suspended. Suspending a never-versioned bucket is allowed, as in AWS.
   */
  async setVersioning(name: string, state: 'Enabled' | 'Suspended'): Promise<void> {
    const result = await this.deps.buckets.setBucketVersioning(name, state);
    if (result === 'missing') throw new S3Error('NoSuchBucket', { details: { BucketName: name } });
  }
}
