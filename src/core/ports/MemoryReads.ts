import type { AclGrant } from '../access/AccessControlList.js';
import type { ObjectVersion } from '../objects/ObjectVersion.js';
import type { Tag } from '../tags/Tag.js';

/**
 * What a metadata store can answer from memory, synchronously: the reads its read caches hold (storage/cache). For
 * the callers on every request's path that would otherwise wait for a promise the cache has already settled (the
 * S3 authorizer). `null` means "not in memory": ask the store's asynchronous method instead. Nothing here reads a
 * database, and what is handed out is shared and frozen.
 */
export interface MemoryReads {
  /** The bucket's policy and ACL as getBucketAccess answers them, or null. */
  bucketAccess(name: string): { readonly policy: string | undefined; readonly acl: readonly AclGrant[] | undefined } | null;
  /** A version and its tags as getTags answers them (undefined: no such version), or null. */
  versionTags(
    bucket: string,
    key: string,
    versionId: string | undefined,
  ): { readonly version: ObjectVersion; readonly tags: readonly Tag[] } | undefined | null;
  /** A version as getVersion answers it (undefined: no such version), or null. */
  version(bucket: string, key: string, versionId: string | undefined): ObjectVersion | undefined | null;
  /** A version's tags as getTagsOnly answers them (undefined: no such version), or null. */
  tagsOnly(bucket: string, key: string, versionId: string | undefined): readonly Tag[] | undefined | null;
}
