import type { Bucket, VersioningState } from '../buckets/Bucket.js';
import type { Tag } from '../tags/Tag.js';

/** Buckets, their versioning state and their tag sets (conventions: see MetadataStore). */
export interface BucketStore {
  createBucket(bucket: Bucket): Promise<'created' | 'exists'>;
  getBucket(name: string): Promise<Bucket | undefined>;
  /** Buckets sorted by name; only the given owner's when ownerAccountId is set. */
  listBuckets(ownerAccountId?: string): Promise<Bucket[]>;
  setBucketVersioning(name: string, state: VersioningState): Promise<'ok' | 'missing'>;
  /**
   * 'not-empty' when any object version (delete markers included) remains. Multipart uploads in progress are
   * aborted with the bucket (their parts released), as AWS does.
   */
  deleteBucket(name: string): Promise<'deleted' | 'missing' | 'not-empty'>;
  /** Bucket tags; undefined when the bucket has no tag set. */
  getBucketTags(name: string): Promise<Tag[] | undefined>;
  /** Replace (tags) or remove (undefined) the bucket's tag set. */
  setBucketTags(name: string, tags: readonly Tag[] | undefined): Promise<'ok' | 'missing'>;
}
