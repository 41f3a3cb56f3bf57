import type { VersionWriteOptions } from './VersionStore.js';
import type { NewObjectVersion, ObjectVersion } from '../objects/ObjectVersion.js';
import type { MultipartUpload, UploadPart } from '../objects/MultipartUpload.js';
import type { AclGrant } from '../access/AccessControlList.js';

/** Multipart uploads, their parts and the ACL an upload will give its object (conventions: see MetadataStore). */
export interface UploadStore {
  /** Store a new upload and, in the same transaction, the ACL its object will get (none asked for when undefined). */
  createUpload(upload: MultipartUpload, acl?: readonly AclGrant[]): Promise<void>;
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
   * version.segments are released; the ACL stored with the upload becomes the version's (unless version.acl names
   * one), all in one transaction. 'no-upload' when the upload is gone (completed or aborted concurrently).
   * `options.expect`: as for VersionStore.putVersion, checked in the same transaction.
   */
  completeUpload(
    uploadId: string,
    version: NewObjectVersion,
    options: VersionWriteOptions,
  ): Promise<{ status: 'ok'; version: ObjectVersion } | { status: 'no-upload' }>;
  /**
   * The version a completed upload produced, if the completion was recent (a day) and the version still exists — so a
   * retried CompleteMultipartUpload can be answered as the first one was.
   */
  getCompletedUpload(bucket: string, key: string, uploadId: string): Promise<ObjectVersion | undefined>;
  /** Remove an upload and release its parts. */
  abortUpload(uploadId: string): Promise<boolean>;
  /** The ACL remembered for an upload; undefined when none was asked for (or the upload is gone). */
  getUploadAcl(uploadId: string): Promise<AclGrant[] | undefined>;
}
