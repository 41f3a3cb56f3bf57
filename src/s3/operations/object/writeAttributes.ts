import {
  DEFAULT_STORAGE_CLASS,
  MAX_USER_METADATA_BYTES,
  contentHeadersFromRequest,
  isStorageClass,
  userMetadataFromHeaders,
  userMetadataSize,
} from '../../../core/objects/metadata.js';
import type { ContentHeaders } from '../../../core/objects/ObjectVersion.js';
import type { ObjectAttributes } from '../../../core/objects/ObjectService.js';
import type { WritePrecondition } from '../../../core/objects/writePrecondition.js';
import type { Tag } from '../../../core/tags/Tag.js';
import { parseTaggingHeader } from '../../../core/tags/TagSet.js';
import { header, type S3Request } from '../../../http/S3Request.js';
import { S3Error } from '../../../errors/S3Error.js';

/** Reading what a write stores from its request headers, with AWS's errors. */

/** `x-amz-storage-class`, or undefined when absent; InvalidStorageClass for a value S3 does not know. */
export function storageClassHeader(request: S3Request): string | undefined {
  const value = header(request, 'x-amz-storage-class');
  if (value === undefined) return undefined;
  if (!isStorageClass(value)) {
    throw new S3Error('InvalidStorageClass', { details: { StorageClassRequested: value } });
  }
  return value;
}

/** x-amz-meta-* headers; MetadataTooLarge above 2 KB. */
export function userMetadataHeaders(request: S3Request): Record<string, string> {
  const metadata = userMetadataFromHeaders(request.headers);
  const size = userMetadataSize(metadata);
  if (size > MAX_USER_METADATA_BYTES) {
    throw new S3Error('MetadataTooLarge', { details: { Size: String(size), MaxSizeAllowed: String(MAX_USER_METADATA_BYTES) } });
  }
  return metadata;
}

export function contentHeaders(request: S3Request): ContentHeaders {
  return contentHeadersFromRequest((name) => header(request, name));
}

/** `x-amz-tagging` parsed and validated (InvalidArgument / InvalidTag); [] when absent. */
export function taggingHeader(request: S3Request): readonly Tag[] {
  const value = header(request, 'x-amz-tagging');
  return value === undefined ? [] : parseTaggingHeader(value);
}

/** Everything a PutObject stores besides the bytes, checked before any byte is read. */
export function writeAttributes(request: S3Request): ObjectAttributes {
  return {
    storageClass: storageClassHeader(request) ?? DEFAULT_STORAGE_CLASS,
    contentHeaders: contentHeaders(request),
    userMetadata: userMetadataHeaders(request),
    tags: taggingHeader(request),
  };
}

/**
 * Conditional write headers: `If-None-Match` only with `*` (anything else is 501 NotImplemented, as AWS answers),
 * `If-Match` with entity tags.
 */
export function writePrecondition(request: S3Request): WritePrecondition | undefined {
  const ifMatch = header(request, 'if-match');
  const ifNoneMatch = header(request, 'if-none-match');
  if (ifMatch === undefined && ifNoneMatch === undefined) return undefined;
  if (ifNoneMatch !== undefined && ifNoneMatch.trim() !== '*') {
    throw new S3Error('NotImplemented', { details: { Header: 'If-None-Match', additionalMessage: 'We don\'t accept the provided value of If-None-Match header for this API' } });
  }
  return { ifMatch, ifNoneMatch };
}
