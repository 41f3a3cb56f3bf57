import { preconditionCheck, type WritePrecondition } from './writePrecondition.js';
import type { Readable } from 'node:stream';
import { S3Error } from '../../errors/S3Error.js';
import { combineCrc, isCombinable } from '../checksums/combineCrc.js';
import { compositeChecksum } from '../checksums/compositeChecksum.js';
import type { AclGrant } from '../access/AccessControlList.js';
import type { Bucket } from '../buckets/Bucket.js';
import type { CoreDeps } from '../CoreDeps.js';
import type { Tag } from '../tags/Tag.js';
import { KeyedMutex } from './KeyedMutex.js';
import type { ChecksumMode, ChecksumType } from './multipart/checksumMode.js';
import { planCompletion, type CompletionPlan, type RequestedPart } from './multipart/completionPlan.js';
import { hashingStream, type StreamDigests } from './multipart/hashingStream.js';
import { MAX_LIST_PARTS, MAX_PART_NUMBER, MAX_PART_SIZE, MIN_PART_SIZE } from './multipart/limits.js';
import { listUploads, type UploadListing, type UploadListingQuery } from './multipart/uploadListing.js';
import { newUploadId } from './multipart/uploadId.js';
import type { MultipartUpload, UploadPart } from './MultipartUpload.js';
import type { ChecksumAlgorithm, ContentHeaders, NewObjectVersion, ObjectChecksum, ObjectVersion } from './ObjectVersion.js';
import { limitBytes } from './sizeLimit.js';
import { placeWrite } from './versioning.js';

export interface CreateUploadInput {
  readonly bucket: string;
  readonly key: string;
  /** The account that will own the object (the bucket owner: S3's default BucketOwnerEnforced ownership). */
  readonly ownerAccountId: string;
  readonly initiatorArn: string;
  readonly storageClass: string;
  readonly contentHeaders: ContentHeaders;
  readonly userMetadata: Readonly<Record<string, string>>;
  /** Validated tags from x-amz-tagging; applied to the object when the upload completes. */
  readonly tags: readonly Tag[];
  readonly checksum?: ChecksumMode;
  /** The ACL the object will get (x-amz-acl, x-amz-grant-*): stored with the upload, committed with the version. */
  readonly acl?: readonly AclGrant[] | undefined;
}

/** A part's bytes as the request delivers them: a verifying body (see s3/auth/RequestBody) or anything shaped like one. */
export interface PartBody {
  readonly stream: Readable;
  /** Valid once `stream` has ended cleanly. */
  digests(): StreamDigests;
}

export interface StoredPartResult {
  readonly part: UploadPart;
  /** The checksum computed or verified for the part's bytes (echoed as x-amz-checksum-<alg>), if any. */
  readonly checksum?: { readonly algorithm: ChecksumAlgorithm; readonly value: string };
}

/** What a client asserted about the whole object on CompleteMultipartUpload (headers). */
export interface CompletionExpectations {
  /** x-amz-checksum-<alg>: the object checksum the client expects. */
  readonly checksum?: { readonly algorithm: ChecksumAlgorithm; readonly value: string };
  /** x-amz-checksum-type. */
  readonly checksumType?: ChecksumType;
  /** x-amz-mp-object-size. */
  readonly objectSize?: number;
}

export interface CompletedUpload {
  readonly version: ObjectVersion;
  readonly checksum?: ObjectChecksum;
}

export interface PartListing {
  readonly parts: readonly UploadPart[];
  readonly isTruncated: boolean;
  /** The last part number listed (the part-number-marker for the next page). */
  readonly nextPartNumberMarker?: number;
}

/**
 * Multipart uploads: create, stage parts, complete into an object version, abort, list. Parts are blobs of their own;
 * completing an upload commits one version whose segments are the listed parts' blobs (no bytes are copied) and the
 * store releases the parts that were not listed.
 */
export class MultipartService {
  /** Every part but the last must be at least this big (AWS: 5 MiB; not configurable, see docs/multipart.md). */
  readonly minPartSize = MIN_PART_SIZE;

  /**
   * Per upload: recording a part and completing the upload never interleave, so a completion never commits a part
   * blob that a concurrent UploadPart of the same number has just replaced (and released).
   */
  /** Part writes and the completion of one upload in this process (across nodes the store's row locks order them). */
  private readonly uploadLocks = new KeyedMutex();

  constructor(private readonly deps: Pick<CoreDeps, 'uploads' | 'blobs' | 'clock'>) {}

  async create(input: CreateUploadInput): Promise<MultipartUpload> {
    const upload: MultipartUpload = {
      uploadId: newUploadId(),
      bucket: input.bucket,
      key: input.key,
      initiated: this.deps.clock(),
      ownerAccountId: input.ownerAccountId,
      initiatorArn: input.initiatorArn,
      storageClass: input.storageClass,
      contentHeaders: input.contentHeaders,
      userMetadata: input.userMetadata,
      tags: input.tags,
      ...(input.checksum !== undefined ? { checksumAlgorithm: input.checksum.algorithm, checksumType: input.checksum.type } : {}),
    };
    await this.deps.uploads.createUpload(upload, input.acl);
    return upload;
  }

  /** The in-progress upload `uploadId` of bucket/key; NoSuchUpload when it is unknown, completed or aborted. */
  async get(bucket: string, key: string, uploadId: string | undefined): Promise<MultipartUpload> {
    const upload = uploadId === undefined || uploadId === '' ? undefined : await this.deps.uploads.getUpload(bucket, key, uploadId);
    if (upload === undefined) throw new S3Error('NoSuchUpload', { details: { UploadId: uploadId ?? '' } });
    return upload;
  }

  /**
   * Stream a part into a staged blob and record it, replacing an earlier part with the same number.
   * The body must already compute the upload's checksum (RequestBody.computeChecksum) when the upload has one.
   */
  async uploadPart(upload: MultipartUpload, partNumber: number, body: PartBody): Promise<StoredPartResult> {
    const limited = body.stream.pipe(limitBytes(MAX_PART_SIZE, () => tooLarge()));
    body.stream.once('error', (err) => limited.destroy(err));
    const staged = await this.deps.blobs.write(limited);
    let digests: StreamDigests;
    try {
      digests = body.digests();
    } catch (err) {
      await this.deps.blobs.delete([staged.blobId]);
      throw err;
    }
    return this.commitPart(upload, partNumber, staged, digests);
  }

  /** Record a part whose bytes come from an existing object (UploadPartCopy); `source` yields exactly those bytes. */
  async copyPart(upload: MultipartUpload, partNumber: number, source: Readable): Promise<StoredPartResult> {
    const hashing = hashingStream(upload.checksumAlgorithm);
    source.once('error', (err) => hashing.stream.destroy(err));
    const staged = await this.deps.blobs.write(source.pipe(hashing.stream));
    let digests: StreamDigests;
    try {
      digests = await hashing.digests();
    } catch (err) {
      await this.deps.blobs.delete([staged.blobId]);
      throw err;
    }
    return this.commitPart(upload, partNumber, staged, digests);
  }

  private async commitPart(
    upload: MultipartUpload,
    partNumber: number,
    staged: { blobId: string; size: number },
    digests: StreamDigests,
  ): Promise<StoredPartResult> {
    const checksum = digests.checksum;
    const part: UploadPart = {
      uploadId: upload.uploadId,
      partNumber,
      size: digests.size,
      etag: digests.md5Hex,
      lastModified: this.deps.clock(),
      segment: { blobId: staged.blobId, size: staged.size },
      ...(checksum !== undefined && checksum.algorithm === upload.checksumAlgorithm ? { checksum: checksum.value } : {}),
    };
    let status: 'ok' | 'no-upload';
    try {
      status = await this.uploadLocks.run(upload.uploadId, () => this.deps.uploads.putPart(part));
    } catch (err) {
      await this.deps.blobs.delete([staged.blobId]);
      throw err;
    }
    if (status === 'no-upload') {
      await this.deps.blobs.delete([staged.blobId]);
      throw new S3Error('NoSuchUpload', { details: { UploadId: upload.uploadId } });
    }
    await this.deps.blobs.publish([staged.blobId]);
    return { part, ...(checksum !== undefined ? { checksum } : {}) };
  }

  /**
   * Turn the upload into an object version made of the listed parts (see planCompletion for the checks), with the
   * upload's metadata and tags, placed according to the bucket's versioning state.
   */
  async complete(
    bucket: Bucket,
    upload: MultipartUpload,
    requested: readonly RequestedPart[],
    expect: CompletionExpectations = {},
    precondition?: WritePrecondition,
  ): Promise<CompletedUpload> {
    return this.uploadLocks.run(upload.uploadId, () => this.completeLocked(bucket, upload, requested, expect, precondition));
  }

  private async completeLocked(
    bucket: Bucket,
    upload: MultipartUpload,
    requested: readonly RequestedPart[],
    expect: CompletionExpectations,
    precondition: WritePrecondition | undefined,
  ): Promise<CompletedUpload> {
    // completed or aborted since the caller looked it up: its parts are gone, so say so rather than InvalidPart
    await this.get(upload.bucket, upload.key, upload.uploadId);
    const stored = await this.deps.uploads.listParts(upload.uploadId, { afterPartNumber: 0, limit: MAX_PART_NUMBER });
    const plan = planCompletion(upload, requested, new Map(stored.map((p) => [p.partNumber, p])), this.minPartSize);
    checkExpectedType(upload, expect);
    if (expect.objectSize !== undefined && expect.objectSize !== plan.size) {
      throw new S3Error(
        'InvalidRequest', { message: `The provided 'x-amz-mp-object-size' header value ${expect.objectSize} does not match what was computed: ${plan.size}` }
      );
    }
    const checksum = await objectChecksum(upload, plan);
    checkExpectedChecksum(upload, checksum, expect);

    const placement = placeWrite(bucket.versioning);
    const version: NewObjectVersion = {
      bucket: upload.bucket,
      key: upload.key,
      versionId: placement.versionId,
      event: 's3:ObjectCreated:CompleteMultipartUpload',
      isDeleteMarker: false,
      lastModified: this.deps.clock(),
      ownerAccountId: upload.ownerAccountId,
      size: plan.size,
      etag: plan.etag,
      storageClass: upload.storageClass,
      contentHeaders: upload.contentHeaders,
      userMetadata: upload.userMetadata,
      ...(checksum !== undefined ? { checksum } : {}),
      segments: plan.parts.map((p) => p.segment),
      partSizes: plan.partSizes,
      tags: upload.tags,
    };
    // If-Match / If-None-Match checked by the store while the completion holds the key (atomic on every node)
    const check = preconditionCheck(upload.key, precondition);
    const result = await this.deps.uploads.completeUpload(upload.uploadId, version, {
      replaceNull: placement.replaceNull,
      ...(check !== undefined ? { expect: check } : {}),
    });
    if (result.status === 'no-upload') throw new S3Error('NoSuchUpload', { details: { UploadId: upload.uploadId } });
    return { version: result.version, ...(checksum !== undefined ? { checksum } : {}) };
  }

  /**
   * The object a recent completion of this upload produced, for a retried CompleteMultipartUpload whose first answer
   * the client did not see (AWS answers such a retry with 200 and the same result).
   */
  completedEarlier(bucket: string, key: string, uploadId: string | undefined): Promise<ObjectVersion | undefined> {
    if (uploadId === undefined || uploadId === '') return Promise.resolve(undefined);
    return this.deps.uploads.getCompletedUpload(bucket, key, uploadId);
  }

  /** Abort an upload and release its parts; NoSuchUpload when it is not in progress. */
  async abort(upload: MultipartUpload): Promise<void> {
    const removed = await this.deps.uploads.abortUpload(upload.uploadId);
    if (!removed) throw new S3Error('NoSuchUpload', { details: { UploadId: upload.uploadId } });
  }

  async listParts(upload: MultipartUpload, query: { partNumberMarker: number; maxParts: number }): Promise<PartListing> {
    const maxParts = Math.min(Math.max(query.maxParts, 0), MAX_LIST_PARTS);
    const rows = await this.deps.uploads.listParts(upload.uploadId, {
      afterPartNumber: query.partNumberMarker,
      limit: maxParts + 1,
    });
    const parts = rows.slice(0, maxParts);
    const last = parts[parts.length - 1];
    return {
      parts,
      isTruncated: rows.length > maxParts,
      ...(last !== undefined ? { nextPartNumberMarker: last.partNumber } : {}),
    };
  }

  listUploads(bucket: string, query: UploadListingQuery): Promise<UploadListing> {
    return listUploads((q) => this.deps.uploads.listUploads(bucket, q), query);
  }
}

function tooLarge(): S3Error {
  return new S3Error('EntityTooLarge', { message: 'Your proposed upload exceeds the maximum allowed size', details: { MaxSizeAllowed: String(MAX_PART_SIZE) } });
}

/** The object checksum derived from the listed parts: COMPOSITE (checksum of checksums, `-N`) or FULL_OBJECT (CRC combine). */
async function objectChecksum(upload: MultipartUpload, plan: CompletionPlan): Promise<ObjectChecksum | undefined> {
  const algorithm = upload.checksumAlgorithm;
  if (algorithm === undefined) return undefined;
  const partChecksums = plan.parts.map((p) => {
    if (p.checksum === undefined) throw new S3Error('InvalidPart', { details: { UploadId: upload.uploadId, PartNumber: String(p.partNumber), ETag: p.etag } });
    return p.checksum;
  });
  if (upload.checksumType === 'FULL_OBJECT' && isCombinable(algorithm)) {
    const value = combineCrc(algorithm, plan.parts.map((p, i) => ({ checksum: partChecksums[i] as string, size: p.size })));
    return { algorithm, value, type: 'FULL_OBJECT' };
  }
  return { algorithm, value: await compositeChecksum(algorithm, partChecksums), type: 'COMPOSITE' };
}

function checkExpectedType(upload: MultipartUpload, expect: CompletionExpectations): void {
  if (expect.checksumType === undefined) return;
  const actual = upload.checksumAlgorithm === undefined ? undefined : upload.checksumType;
  if (expect.checksumType !== actual) {
    throw new S3Error(
      'InvalidRequest', { message: `The upload was created using the ${actual ?? 'null'} checksum mode. The complete request must use the same checksum mode.` }
    );
  }
}

function checkExpectedChecksum(upload: MultipartUpload, actual: ObjectChecksum | undefined, expect: CompletionExpectations): void {
  const expected = expect.checksum;
  if (expected === undefined) return;
  if (actual === undefined || expected.algorithm !== actual.algorithm) {
    throw new S3Error(
      'InvalidRequest', { message: `The upload was created using ${upload.checksumAlgorithm === undefined ? 'no' : `a ${upload.checksumAlgorithm.toLowerCase()}`} checksum. The complete request included a ${expected.algorithm.toLowerCase()} checksum.` }
    );
  }
  // a COMPOSITE value may be given with or without its `-N` suffix
  const bare = (v: string): string => (actual.type === 'COMPOSITE' ? v.replace(/-\d+$/, '') : v);
  if (bare(expected.value) !== bare(actual.value)) {
    throw new S3Error('BadDigest', { message: `The ${expected.algorithm} you specified did not match the calculated checksum.` });
  }
}
