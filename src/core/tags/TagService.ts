import type { CoreDeps } from '../CoreDeps.js';
import type { ObjectVersion } from '../objects/ObjectVersion.js';
import type { TaggedVersion } from '../ports/VersionStore.js';
import { emptyObjectTagSet, storedTagSet, type BucketTagSet, type ObjectTagSet } from './TagSet.js';

/**
 * The outcome of reading or replacing a version's tags. The operation decides what each means on the wire. A read
 * names the whole version (`V` = ObjectVersion); a write only its id and tag count (TaggedVersion).
 */
export type VersionTagsOutcome<T, V extends TaggedVersion = ObjectVersion> =
  | ({ readonly status: 'ok'; readonly version: V } & T)
  /** No such key, or no such version of it. */
  | { readonly status: 'missing' }
  /** The addressed version (the latest, when no versionId was given) is a delete marker, which has no tags. */
  | { readonly status: 'delete-marker'; readonly version: V };

/**
 * Object and bucket tags. Every version has its own tag set, stored as rows (version, key, value) indexed by
 * (key, value); a write replaces a set whole, in one transaction, so readers see the old set or the new one, never a
 * mix. Sets come in validated (`TagSet`, see TagSet.ts) and go out sorted by key.
 */
export class TagService {
  constructor(private readonly deps: Pick<CoreDeps, 'versions' | 'buckets'>) {}

  /** The tags of a version (the latest when versionId is undefined). */
  async getVersionTags(bucket: string, key: string, versionId?: string): Promise<VersionTagsOutcome<{ readonly tags: ObjectTagSet }>> {
    const found = await this.deps.versions.getTags(bucket, key, versionId);
    if (found === undefined) return { status: 'missing' };
    if (found.version.isDeleteMarker) return { status: 'delete-marker', version: found.version };
    return { status: 'ok', version: found.version, tags: storedTagSet<'object'>(found.tags) };
  }

  /** Replace a version's tag set whole (the empty set removes every tag). Other versions are untouched. */
  async replaceVersionTags(
    bucket: string,
    key: string,
    versionId: string | undefined,
    tags: ObjectTagSet,
  ): Promise<VersionTagsOutcome<object, TaggedVersion>> {
    const result = await this.deps.versions.replaceTags(bucket, key, versionId, tags);
    if (result.status === 'missing') return { status: 'missing' };
    return result.status === 'ok' ? { status: 'ok', version: result.version } : { status: 'delete-marker', version: result.version };
  }

  /** Remove every tag of a version. */
  deleteVersionTags(bucket: string, key: string, versionId: string | undefined): Promise<VersionTagsOutcome<object, TaggedVersion>> {
    return this.replaceVersionTags(bucket, key, versionId, emptyObjectTagSet());
  }

  /** The bucket's tag set; undefined when it has none (S3: NoSuchTagSet) or the bucket is gone. */
  async getBucketTags(bucket: string): Promise<BucketTagSet | undefined> {
    const tags = await this.deps.buckets.getBucketTags(bucket);
    return tags === undefined || tags.length === 0 ? undefined : storedTagSet<'bucket'>(tags);
  }

  /** Replace the bucket's tag set; an empty set removes it, as in AWS. */
  replaceBucketTags(bucket: string, tags: BucketTagSet): Promise<'ok' | 'missing'> {
    return this.deps.buckets.setBucketTags(bucket, tags.length === 0 ? undefined : tags);
  }

  deleteBucketTags(bucket: string): Promise<'ok' | 'missing'> {
    return this.deps.buckets.setBucketTags(bucket, undefined);
  }
}
