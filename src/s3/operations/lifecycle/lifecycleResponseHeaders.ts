import type { Bucket } from '../../../core/buckets/Bucket.js';
import { ARCHIVE_CLASSES } from '../../../core/lifecycle/LifecycleService.js';
import type { ObjectVersion } from '../../../core/objects/ObjectVersion.js';
import type { Services } from '../../../core/Services.js';
import type { Tag } from '../../../core/tags/Tag.js';
import { S3Error } from '../../../errors/S3Error.js';

/**
 * `x-amz-expiration` for a response about the current version of an object (PutObject, CopyObject,
 * CompleteMultipartUpload, GetObject, HeadObject): S3 sends it only when the request did not name a version.
 */
export async function expirationHeaders(
  services: Services,
  bucket: Bucket,
  version: ObjectVersion,
  namedVersion: boolean,
  knownTags?: readonly Tag[],
): Promise<Record<string, string>> {
  if (namedVersion) return {};
  const value = await services.lifecycle.expirationHeader(bucket, version, knownTags);
  return value === undefined ? {} : { 'x-amz-expiration': value };
}

/**
 * What GetObject and HeadObject say about an archived version (GLACIER, DEEP_ARCHIVE): HEAD shows `x-amz-restore`
 * (ongoing-request, expiry-date) once a restore was requested; GET answers 403 InvalidObjectState unless a restore is
 * active.
 */
export async function archiveHeaders(services: Services, bucket: Bucket, version: ObjectVersion, isHead: boolean): Promise<Record<string, string>> {
  if (!ARCHIVE_CLASSES.has(version.storageClass)) return {};
  const restore = await services.lifecycle.activeRestore(bucket.name, version);
  if (restore === undefined) {
    if (isHead) return {};
    throw new S3Error('InvalidObjectState', {
      message: "The operation is not valid for the object's storage class",
      details: { StorageClass: version.storageClass },
    });
  }
  return { 'x-amz-restore': `ongoing-request="false", expiry-date="${restore.expiry.toUTCString()}"` };
}
