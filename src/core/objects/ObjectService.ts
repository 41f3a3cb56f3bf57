import type { Readable } from 'node:stream';
import { S3Error } from '../../errors/S3Error.js';
import type { AclGrant } from '../access/AccessControlList.js';
import type { Bucket } from '../buckets/Bucket.js';
import type { CoreDeps } from '../CoreDeps.js';
import type { Tag } from '../tags/Tag.js';
import { preconditionCheck, type WritePrecondition } from './writePrecondition.js';
import type { VersionWriteOptions } from '../ports/VersionStore.js';
import { KeyedMutex } from './KeyedMutex.js';
import { listObjectsPage, type ObjectListingPage, type ObjectListingQuery } from './listing/listObjectsPage.js';
import { listVersionsPage, type VersionListingPage, type VersionListingQuery, type VersionPosition } from './listing/listVersionsPage.js';
import { versionMarkerPosition } from './listing/versionMarker.js';
import type { BlobSegment, ChecksumAlgorithm, ContentHeaders, NewObjectVersion, ObjectVersion } from './ObjectVersion.js';
import { NULL_VERSION_ID } from './ObjectVersion.js';
import { INLINE_OBJECT_MAX, newInlineBlobId, readSmall } from './inlineObjects.js';
import { segmentReads } from './segments.js';
import { concatSegments, readInlineRange } from './segmentStream.js';
import { limitBytes } from './sizeLimit.js';
import { placeWrite, type WritePlacement } from './versioning.js';
import { newDeleteMarker } from './deleteMarker.js';

/** Largest object a single PUT (or a copy) may create: 5 GiB. */
export const MAX_PUT_SIZE = 5 * 1024 * 1024 * 1024;

/** A verified payload: bytes, then digests once the bytes ended cleanly (src/s3/auth/RequestBody.ts fits). */
export interface VerifiedPayload {
  readonly stream: Readable;
  /** The payload's length when the request declared it (lets a large payload skip the inline attempt). */
  readonly declaredLength?: number | undefined;
  digests(): {
    readonly size: number;
    readonly md5Hex: string;
    readonly checksum?: { readonly algorithm: ChecksumAlgorithm; readonly value: string };
  };
}

/** What a write stores besides the bytes. */
export interface ObjectAttributes {
  readonly storageClass: string;
  readonly contentHeaders: ContentHeaders;
  readonly userMetadata: Readonly<Record<string, string>>;
  readonly tags: readonly Tag[];
  /** The ACL the write asked for (x-amz-acl, x-amz-grant-*); undefined: the default ACL. Commits with the version. */
  readonly acl?: readonly AclGrant[] | undefined;
}


export interface PutObjectInput {
  readonly bucket: Bucket;
  readonly key: string;
  readonly ownerAccountId: string;
  readonly attributes: ObjectAttributes;
  readonly payload: VerifiedPayload;
  readonly precondition?: WritePrecondition;
  /** Defaults to MAX_PUT_SIZE. */
  readonly maxSize?: number;
  /**
   * Bucket replication writing a replica: the version gets the source's version id (the destination must be
   * versioning-enabled) and is marked REPLICA. Idempotent: when the version exists already, nothing is written.
   */
  readonly replicaVersionId?: string;
  /** With replicaVersionId: the source version's creation time and ETag, which a replica keeps (as S3's replicas do). */
  readonly replicaOf?: { readonly lastModified?: Date; readonly etag?: string };
  /** The S3 event type of the write (default `s3:ObjectCreated:Put`; a browser upload is `…:Post`). */
  readonly event?: string;
}

export interface CopyObjectInput {
  readonly source: ObjectVersion;
  readonly bucket: Bucket;
  readonly key: string;
  readonly ownerAccountId: string;
  readonly attributes: ObjectAttributes;
  readonly precondition?: WritePrecondition;
}

export interface DeleteOutcome {
  /** The version removed or the delete marker created; undefined for a plain delete in an unversioned bucket. */
  readonly versionId?: string;
  /** A delete marker was created, or the version removed was one. */
  readonly deleteMarker: boolean;
}

/**
 * Object writes, deletes and reads. Writes follow the one ordering that survives a crash at any point: stage the
 * bytes (fsync'd by the blob store) → commit the version → publish the blob. A failure before the commit deletes the
 * staged blob; a crash before it leaves an unreferenced staged blob that recovery discards; a crash after it leaves
 * a referenced staged blob that recovery publishes (reads find staged blobs meanwhile).
 *
 * Commits of one key are serialized (KeyedMutex) so conditional writes check and commit atomically.
 */

export class ObjectService {
  /** Writes of one key in this process, one at a time. */
  private readonly keyLocks = new KeyedMutex();

  constructor(private readonly deps: Pick<CoreDeps, 'versions' | 'ledger' | 'blobs' | 'clock' | 'buckets'>) {}

  /**
   * Store a new version; when the store refuses it because the bucket was deleted meanwhile (a write racing the
   * DeleteBucket it loses: the store's foreign key), 404 NoSuchBucket, as for a write that came after the delete.
   */
  private async putVersion(version: NewObjectVersion, options: VersionWriteOptions): Promise<ObjectVersion> {
    try {
      return await this.deps.versions.putVersion(version, options);
    } catch (error) {
      if ((await this.deps.buckets.getBucket(version.bucket).catch(() => undefined)) === undefined) {
        throw new S3Error('NoSuchBucket', { details: { BucketName: version.bucket } });
      }
      throw error;
    }
  }

  /** A version by id, or the latest version (possibly a delete marker); undefined when there is none. */
  getVersion(bucket: string, key: string, versionId?: string): Promise<ObjectVersion | undefined> {
    return this.deps.versions.getVersion(bucket, key, versionId);
  }

  /** One page of the bucket's current objects (ListObjects, ListObjectsV2). */
  listObjects(bucket: string, query: ObjectListingQuery): Promise<ObjectListingPage> {
    return listObjectsPage(this.deps.versions, bucket, query);
  }

  /** One page of the bucket's versions and delete markers (ListObjectVersions). */
  listVersions(bucket: string, query: VersionListingQuery): Promise<VersionListingPage> {
    return listVersionsPage(this.deps.versions, bucket, query);
  }

  /** ListObjectVersions' key-marker / version-id-marker as a listing position (see listing/versionMarker.ts). */
  versionMarkerPosition(bucket: string, keyMarker: string | undefined, versionIdMarker: string | undefined): Promise<VersionPosition | undefined> {
    return versionMarkerPosition(this.deps.versions, bucket, keyMarker, versionIdMarker);
  }

  /**
   * Run `section` while no other write of bucket/key in this process commits. Across nodes the store serializes the
   * writers of a key, and checks a conditional write's precondition while the write holds the key
   * (VersionWriteOptions.expect), so no lock of this process is needed for correctness there.
   */
  withKeyLock<T>(bucket: string, key: string, section: () => Promise<T>): Promise<T> {
    return this.keyLocks.run(`key/${bucket}/${key}`, section);
  }

  /**
   * Check If-Match / If-None-Match: * of a write against the key's current version: 412 PreconditionFailed when it
   * does not hold, 404 NoSuchKey for If-Match on a key without a current object (AWS's answers).
   */
  async checkWritePrecondition(bucket: string, key: string, precondition: WritePrecondition | undefined): Promise<void> {
    const check = preconditionCheck(key, precondition);
    if (check === undefined) return;
    check(await this.deps.versions.getVersion(bucket, key));
  }

  /**
   * Stream a payload into a new version. A payload of at most INLINE_OBJECT_MAX bytes is held in memory and stored
   * inline with the version (one transaction, no file); a larger one streams into a staged blob, never buffered whole.
   */
  async putObject(input: PutObjectInput): Promise<ObjectVersion> {
    const { bucket, key } = input;
    const maxSize = input.maxSize ?? MAX_PUT_SIZE;
    if (input.replicaVersionId !== undefined) {
      requireReplicaTarget(bucket);
      const existing = await this.deps.versions.getVersion(bucket.name, key, input.replicaVersionId);
      if (existing !== undefined) {
        // delivered before (a retry after a crash or a lost answer): the replica stands, once — with the tags this
        // delivery carries, which are the source's latest
        input.payload.stream.resume();
        if (!existing.isDeleteMarker) await this.deps.versions.replaceTags(bucket.name, key, input.replicaVersionId, input.attributes.tags);
        return existing;
      }
    }
    // fail fast before reading a body that could not be stored anyway
    await this.checkWritePrecondition(bucket.name, key, input.precondition);
    const tooLarge = (): S3Error => new S3Error('EntityTooLarge', { details: { MaxSizeAllowed: String(maxSize) } });
    const declared = input.payload.declaredLength;
    const small =
      declared === undefined || declared <= INLINE_OBJECT_MAX ? await readSmall(input.payload.stream, INLINE_OBJECT_MAX) : undefined;
    let segment: BlobSegment;
    let inlineData: ReadonlyMap<string, Buffer> | undefined;
    if (small?.kind === 'whole') {
      if (small.data.length > maxSize) throw tooLarge();
      segment = { blobId: newInlineBlobId(), size: small.data.length, inline: true };
      inlineData = new Map([[segment.blobId, small.data]]);
    } else {
      const source = small?.kind === 'spill' ? small.stream : input.payload.stream;
      // a declared length is enforced below us (HTTP Content-Length, the aws-chunked decoder): count only when unknown
      let limited = source;
      if (declared === undefined || declared > maxSize) {
        limited = source.pipe(limitBytes(maxSize, tooLarge));
        source.once('error', (err) => limited.destroy(err));
      }
      const staged = await this.deps.blobs.write(limited);
      segment = { blobId: staged.blobId, size: staged.size };
    }
    let version: ObjectVersion;
    try {
      const digests = input.payload.digests();
      version = await this.commitVersion(bucket, key, input.precondition, (placement, now) => ({
        bucket: bucket.name,
        key,
        versionId: input.replicaVersionId ?? placement.versionId,
        ...(input.replicaVersionId === undefined ? {} : { replica: true as const }),
        ...(input.event === undefined ? {} : { event: input.event }),
        isDeleteMarker: false,
        lastModified: input.replicaVersionId === undefined ? now : (input.replicaOf?.lastModified ?? now),
        ownerAccountId: input.ownerAccountId,
        size: segment.size,
        etag: input.replicaVersionId === undefined ? digests.md5Hex : (input.replicaOf?.etag ?? digests.md5Hex),
        storageClass: input.attributes.storageClass,
        contentHeaders: input.attributes.contentHeaders,
        userMetadata: input.attributes.userMetadata,
        ...(digests.checksum === undefined
          ? {}
          : { checksum: { algorithm: digests.checksum.algorithm, value: digests.checksum.value, type: 'FULL_OBJECT' as const } }),
        segments: [segment],
        tags: input.attributes.tags,
        ...(input.attributes.acl === undefined ? {} : { acl: input.attributes.acl }),
        ...(inlineData === undefined ? {} : { inlineData }),
      }));
    } catch (error) {
      if (inlineData === undefined) await this.deps.blobs.delete([segment.blobId]).catch(() => undefined);
      throw error;
    }
    if (inlineData === undefined) await this.publish([segment.blobId]);
    return version;
  }

  /**
   * Copy a version's bytes (every segment, so a multipart source keeps its parts and `-N` ETag) into a new version
   * with the given attributes. The checksum travels with the bytes.
   */
  async copyObject(input: CopyObjectInput): Promise<ObjectVersion> {
    const { source, bucket, key } = input;
    await this.checkWritePrecondition(bucket.name, key, input.precondition);
    const copied: BlobSegment[] = [];
    let inlineData: ReadonlyMap<string, Buffer> | undefined;
    let version: ObjectVersion;
    try {
      if (source.partSizes === undefined && source.size <= INLINE_OBJECT_MAX) {
        // a small simple object (inline or an older file) is copied inline
        const data = await this.readWhole(source);
        const segment: BlobSegment = { blobId: newInlineBlobId(), size: data.length, inline: true };
        copied.push(segment);
        inlineData = new Map([[segment.blobId, data]]);
      } else {
        for (const segment of source.segments) {
          const copy = await this.deps.blobs.copy(segment.blobId);
          copied.push({ blobId: copy.blobId, size: copy.size });
        }
      }
      version = await this.commitVersion(bucket, key, input.precondition, (placement, now) => ({
        bucket: bucket.name,
        key,
        versionId: placement.versionId,
        event: 's3:ObjectCreated:Copy',
        isDeleteMarker: false,
        lastModified: now,
        ownerAccountId: input.ownerAccountId,
        size: source.size,
        etag: source.etag,
        storageClass: input.attributes.storageClass,
        contentHeaders: input.attributes.contentHeaders,
        userMetadata: input.attributes.userMetadata,
        ...(source.checksum === undefined ? {} : { checksum: source.checksum }),
        segments: copied,
        ...(source.partSizes === undefined ? {} : { partSizes: source.partSizes }),
        tags: input.attributes.tags,
        ...(input.attributes.acl === undefined ? {} : { acl: input.attributes.acl }),
        ...(inlineData === undefined ? {} : { inlineData }),
      }));
    } catch (error) {
      const files = copied.filter((s) => s.inline !== true).map((s) => s.blobId);
      if (files.length > 0) await this.deps.blobs.delete(files).catch(() => undefined);
      throw error;
    }
    await this.publish(copied.filter((s) => s.inline !== true).map((s) => s.blobId));
    return version;
  }

  /**
   * DeleteObject's rules. With a version id: remove that version for good (204 also when it does not exist).
   * Without: unversioned → remove the null version; Enabled → add a delete marker with a fresh id; Suspended → a
   * delete marker with id "null" that replaces the null version.
   */
  async deleteObject(
    bucket: Bucket,
    key: string,
    versionId: string | undefined,
    ownerAccountId: string,
    replicaVersionId?: string,
  ): Promise<DeleteOutcome> {
    const versions = this.deps.versions;
    if (replicaVersionId !== undefined && versionId === undefined) {
      // bucket replication writing a delete marker: with the source's id, once
      requireReplicaTarget(bucket);
      return this.withKeyLock(bucket.name, key, async () => {
        const existing = await versions.getVersion(bucket.name, key, replicaVersionId);
        if (existing === undefined) {
          await this.putVersion(
            { ...newDeleteMarker({ bucket: bucket.name, key, versionId: replicaVersionId, ownerAccountId, lastModified: this.deps.clock() }), replica: true },
            { replaceNull: false },
          );
        }
        return { versionId: replicaVersionId, deleteMarker: true };
      });
    }
    return this.withKeyLock(bucket.name, key, async () => {
      if (versionId !== undefined) {
        const removed = await versions.deleteVersion(bucket.name, key, versionId);
        return { versionId, deleteMarker: removed?.isDeleteMarker ?? false };
      }
      if (bucket.versioning === 'Unversioned') {
        await versions.deleteVersion(bucket.name, key, NULL_VERSION_ID);
        return { deleteMarker: false };
      }
      const placement = placeWrite(bucket.versioning);
      const marker = await this.putVersion(
        newDeleteMarker({ bucket: bucket.name, key, versionId: placement.versionId, ownerAccountId, lastModified: this.deps.clock() }),
        { replaceNull: placement.replaceNull },
      );
      return { versionId: marker.versionId, deleteMarker: true };
    });
  }

  /** The bytes of a version, whole or the inclusive range [start, end] (across part boundaries). */
  openContent(version: ObjectVersion, range?: { start: number; end: number }): Readable {
    const start = range?.start ?? 0;
    const end = range?.end ?? version.size - 1;
    if (version.size === 0 || end < start) return concatSegments(this.deps, []);
    return concatSegments(this.deps, segmentReads(version.segments, start, end));
  }

  /**
   * The bytes (whole, or the inclusive range) of a version stored inline, straight from the metadata store, for the
   * GET fast path; undefined when the version is not a single inline segment (then use openContent).
   */
  async inlineContent(version: ObjectVersion, range?: { start: number; end: number }): Promise<Buffer | undefined> {
    const only = version.segments.length === 1 ? version.segments[0] : undefined;
    if (only === undefined || only.inline !== true) return undefined;
    return readInlineRange(this.deps.ledger, {
      blobId: only.blobId,
      start: range?.start ?? 0,
      end: range?.end ?? only.size - 1,
      inline: true,
    });
  }

  /** All bytes of a (small) version in memory. */
  private async readWhole(version: ObjectVersion): Promise<Buffer> {
    const inline = await this.inlineContent(version);
    if (inline !== undefined) return inline;
    const chunks: Buffer[] = [];
    for await (const chunk of this.openContent(version)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  private commitVersion(
    bucket: Bucket,
    key: string,
    precondition: WritePrecondition | undefined,
    build: (placement: WritePlacement, now: Date) => NewObjectVersion,
  ): Promise<ObjectVersion> {
    return this.withKeyLock(
      bucket.name,
      key,
      async () => {
        await this.checkWritePrecondition(bucket.name, key, precondition);
        const placement = placeWrite(bucket.versioning);
        // checked again by the store while the write holds the key: atomic with writers of the key on every node
        const expect = preconditionCheck(key, precondition);
        return this.putVersion(build(placement, this.deps.clock()), { replaceNull: placement.replaceNull, ...(expect !== undefined ? { expect } : {}) });
      },
    );
  }

  /**
   * Publishing after the commit may fail without harm: reads fall back to staged blobs and crash recovery publishes
   * every staged blob that is referenced, so the acknowledged write is never lost.
   */
  private async publish(blobIds: readonly string[]): Promise<void> {
    if (blobIds.length === 0) return;
    await this.deps.blobs.publish(blobIds).catch(() => undefined);
  }
}

/** A replica keeps its source's version id: only a versioning-enabled bucket can hold it (as AWS requires). */
function requireReplicaTarget(bucket: Bucket): void {
  if (bucket.versioning !== 'Enabled') {
    throw new S3Error('InvalidRequest', { message: 'The destination bucket of a replication must have versioning enabled.' });
  }
}
