import type { Account, AccessKey } from '../identity/Account.js';
import type { Bucket, VersioningState } from '../buckets/Bucket.js';
import type { NewObjectVersion, ObjectVersion } from '../objects/ObjectVersion.js';
import type { MultipartUpload, UploadPart } from '../objects/MultipartUpload.js';
import type { Tag } from '../tags/Tag.js';
import type { AclGrant } from '../access/AccessControlList.js';

/**
 * Where Tessera keeps everything but object bytes. Each method is one atomic unit; a write's promise resolves
 * only once the write is durable (implementations may group several writes into one commit).
 *
 * Conventions:
 * - "absent" is `undefined` (or a status string); methods throw only on faults.
 * - The core decides S3 semantics (which version id to assign, whether the null version is replaced); the store
 *   carries them out atomically.
 * - Keys are compared as UTF-8 bytes (S3's listing order).
 * - Blob segments dropped by a write (overwritten null version, deleted version, replaced or unused part) are put
 *   into the released-blob outbox in the same transaction; a worker deletes the bytes and then forgets them.
 *
 * Every backend runs the contract suite in test/storage/metadataContract.ts.
 */
export interface MetadataStore {
  // ---- accounts and access keys ----
  createAccount(account: Account): Promise<'created' | 'exists'>;
  getAccount(accountId: string): Promise<Account | undefined>;
  listAccounts(): Promise<Account[]>;
  putAccessKey(key: AccessKey): Promise<void>;
  getAccessKey(accessKeyId: string): Promise<AccessKey | undefined>;

  // ---- buckets ----
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

  // ---- object versions ----
  /** A version by id, or the latest version (which may be a delete marker) when versionId is undefined. */
  getVersion(bucket: string, key: string, versionId?: string): Promise<ObjectVersion | undefined>;
  /**
   * Insert a new latest version with its tags. With replaceNull, the key's existing null version (wherever it is in
   * the version stack) is removed first, with its tags, and its segments released.
   */
  putVersion(version: NewObjectVersion, options: { replaceNull: boolean }): Promise<ObjectVersion>;
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

  // ---- object tags ----
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
  ): Promise<{ status: 'ok'; version: ObjectVersion } | { status: 'missing' } | { status: 'delete-marker'; version: ObjectVersion }>;

  // ---- multipart uploads ----
  createUpload(upload: MultipartUpload): Promise<void>;
  getUpload(bucket: string, key: string, uploadId: string): Promise<MultipartUpload | undefined>;
  /** Store a part, replacing (and releasing) an earlier part with the same number. */
  putPart(part: UploadPart): Promise<'ok' | 'no-upload'>;
  /** Parts with number > afterPartNumber, ascending. */
  listParts(uploadId: string, query: { afterPartNumber: number; limit: number }): Promise<UploadPart[]>;
  /** Uploads of a bucket ordered by key then initiation time, after the (keyMarker, uploadIdMarker) position. */
  listUploads(
    bucket: string,
    query: { prefix: string; keyMarker?: string; uploadIdMarker?: string; limit: number },
  ): Promise<MultipartUpload[]>;
  /**
   * Atomically turn an upload into a version: the upload and its parts are removed; parts whose segment is not in
   * version.segments are released. 'no-upload' when the upload is gone (completed or aborted concurrently).
   */
  completeUpload(
    uploadId: string,
    version: NewObjectVersion,
    options: { replaceNull: boolean },
  ): Promise<{ status: 'ok'; version: ObjectVersion } | { status: 'no-upload' }>;
  /**
   * The version a completed upload produced, if the completion was recent (a day) and the version still exists — so a
   * retried CompleteMultipartUpload can be answered as the first one was.
   */
  getCompletedUpload(bucket: string, key: string, uploadId: string): Promise<ObjectVersion | undefined>;
  /** Remove an upload and release its parts. */
  abortUpload(uploadId: string): Promise<boolean>;

  // ---- released blobs (outbox drained by the blob reaper) ----
  takeReleasedBlobs(limit: number): Promise<string[]>;
  forgetReleasedBlobs(blobIds: readonly string[]): Promise<void>;
  /** Whether any version or part references the blob (used by crash recovery of staged blobs). */
  isBlobReferenced(blobId: string): Promise<boolean>;

  // ---- inline blobs (small objects' bytes, written with their version; see docs/storage.md) ----
  /** The bytes of an inline segment (BlobSegment.inline), or undefined when no version holds it any more. */
  readInlineBlob(blobId: string): Promise<Buffer | undefined>;

  // ---- access control (bucket policies, ACLs) ----
  /** The bucket's policy (JSON text as stored) and ACL grants; each undefined when not set (default ACL). */
  getBucketAccess(name: string): Promise<{ policy: string | undefined; acl: AclGrant[] | undefined }>;
  /** Store (text) or remove (undefined) the bucket policy. */
  setBucketPolicy(name: string, policy: string | undefined): Promise<'ok' | 'missing'>;
  /** Store the bucket's ACL grants, or reset to the default ACL (undefined). */
  setBucketAcl(name: string, grants: readonly AclGrant[] | undefined): Promise<'ok' | 'missing'>;
  /**
   * The ACL grants of a version (latest when versionId is undefined); `acl` undefined means the default ACL.
   * An unversioned overwrite (the version rewritten in place) and a deletion drop the version's ACL.
   */
  getObjectAcl(
    bucket: string,
    key: string,
    versionId?: string,
  ): Promise<{ version: ObjectVersion; acl: AclGrant[] | undefined } | undefined>;
  /**
   * Replace (grants) or reset (undefined) the ACL of a version (latest when versionId is undefined). Writers that
   * create a version with an ACL call it right after putVersion/completeUpload, naming the version id they got.
   */
  setObjectAcl(
    bucket: string,
    key: string,
    versionId: string | undefined,
    grants: readonly AclGrant[] | undefined,
  ): Promise<{ status: 'ok'; version: ObjectVersion } | { status: 'missing' } | { status: 'delete-marker'; version: ObjectVersion }>;
  /** Remember the ACL a multipart upload will give its object ('no-upload' when the upload is gone). */
  setUploadAcl(uploadId: string, grants: readonly AclGrant[]): Promise<'ok' | 'no-upload'>;
  /** The ACL remembered for an upload; undefined when none was asked for (or the upload is gone). */
  getUploadAcl(uploadId: string): Promise<AclGrant[] | undefined>;

  close(): Promise<void>;
}
