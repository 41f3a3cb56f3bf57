import type { NewObjectVersion, ObjectVersion } from '../objects/ObjectVersion.js';
import type { Tag } from '../tags/Tag.js';

/** How a new version is written (VersionStore.putVersion, UploadStore.completeUpload). */
export interface VersionWriteOptions {
  /** Remove the key's existing null version first (unversioned and suspended buckets). */
  readonly replaceNull: boolean;
  /**
   * A conditional write's precondition (If-Match, If-None-Match): called with the key's latest version (a delete
   * marker included; undefined when the key has none) while the write holds the key, in the write's own transaction,
   * so no other writer of the key — on any node — commits between the check and the write. When it throws, nothing
   * is written and the error is the answer.
   */
  readonly expect?: (latest: ObjectVersion | undefined) => void;
}

/**
 * What a tag write reports of the version it addressed: its id and its tag count after the write (0 for a delete
 * marker). A store may hand back the whole version; a writer need not read it.
 */
export type TaggedVersion = Pick<ObjectVersion, 'versionId' | 'tagCount'>;

/** Object versions, their tags and the ordered listings over them (conventions: see MetadataStore). */
export interface VersionStore {
  /** A version by id, or the latest version (which may be a delete marker) when versionId is undefined. */
  getVersion(bucket: string, key: string, versionId?: string): Promise<ObjectVersion | undefined>;
  /**
   * Insert a new latest version with its tags and its ACL (version.acl), in one transaction. With replaceNull, the
   * key's existing null version (wherever it is in the version stack) is removed first, with its tags and ACL, and its
   * segments released.
   */
  putVersion(version: NewObjectVersion, options: VersionWriteOptions): Promise<ObjectVersion>;
  /** Permanently remove one version (and its tags); the next newest becomes latest. Returns what was removed. */
  deleteVersion(bucket: string, key: string, versionId: string): Promise<ObjectVersion | undefined>;
  /**
   * Latest versions that are not delete markers, in key order, with key starting with prefix and key > after.
   * `limit` rows at most.
   */
  listLatest(bucket: string, query: { prefix: string; after?: string; limit: number }): Promise<ObjectVersion[]>;
  /**
   * All versions and delete markers with key starting with prefix, ordered by key, then newest first.
   * The position (after) excludes everything up to and including that key, or, with afterSeq, that key's
   * versions with seq >= afterSeq.
   */
  listVersions(
    bucket: string,
    query: { prefix: string; after?: { key: string; afterSeq?: number }; limit: number },
  ): Promise<ObjectVersion[]>;

  /** The version's tags sorted by key; undefined when the version does not exist. */
  getTags(bucket: string, key: string, versionId?: string): Promise<{ version: ObjectVersion; tags: Tag[] } | undefined>;
  /**
   * getTags' tags alone (for policy conditions on existing tags, read on every request), when the store can answer
   * them more cheaply than the whole version; callers fall back to getTags without it.
   */
  getTagsOnly?(bucket: string, key: string, versionId?: string): Promise<readonly Tag[] | undefined>;
  /**
   * Replace the tag set of a version (latest when versionId is undefined) atomically.
   * Refused with 'delete-marker' when the version is a delete marker; nothing changes then.
   */
  replaceTags(
    bucket: string,
    key: string,
    versionId: string | undefined,
    tags: readonly Tag[],
  ): Promise<{ status: 'ok'; version: TaggedVersion } | { status: 'missing' } | { status: 'delete-marker'; version: TaggedVersion }>;
}
