import type { IncomingHttpHeaders } from 'node:http';
import type { Bucket } from '../../../core/buckets/Bucket.js';
import { evaluateConditions } from '../../../core/objects/conditions.js';
import type { ObjectVersion } from '../../../core/objects/ObjectVersion.js';
import { isWellFormedVersionId } from '../../../core/objects/versionIdFormat.js';
import { S3Error } from '../../../errors/S3Error.js';
import type { OperationContext } from '../Operation.js';
import { ARCHIVE_CLASSES } from '../../../core/lifecycle/LifecycleService.js';

/**
 * The `x-amz-copy-source` header shared by CopyObject and UploadPartCopy: parsing, the source conditions
 * (`x-amz-copy-source-if-*`) and loading the source version with AWS's errors.
 */

export interface CopySource {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
}

const SOURCE_MESSAGE = 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey';

function invalidSource(value: string, message = SOURCE_MESSAGE): S3Error {
  return new S3Error('InvalidArgument', { message: message, details: { ArgumentName: 'x-amz-copy-source', ArgumentValue: value } });
}

function decode(component: string, value: string): string {
  try {
    return decodeURIComponent(component);
  } catch {
    throw invalidSource(value);
  }
}

/**
 * Parse `x-amz-copy-source`: `bucket/key` or `/bucket/key`, URL-encoded, optionally followed by `?versionId=…`.
 * The query is split off before decoding, so an encoded `%3F` stays part of the key. The key is kept exactly
 * (`a//b`, `../x`). Throws InvalidArgument when bucket or key is missing or the encoding is broken, and
 * InvalidArgument "Invalid version id specified" for a version id that cannot exist.
 */
export function parseCopySource(value: string): { bucket: string; key: string; versionId?: string } {
  const q = value.indexOf('?');
  const path = q < 0 ? value : value.slice(0, q);
  const query = q < 0 ? '' : value.slice(q + 1);
  const rest = path.startsWith('/') ? path.slice(1) : path;
  const slash = rest.indexOf('/');
  if (slash <= 0) throw invalidSource(value);
  const bucket = decode(rest.slice(0, slash), value);
  const key = decode(rest.slice(slash + 1), value);
  if (bucket === '' || key === '') throw invalidSource(value);
  let versionId: string | undefined;
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    if (name !== 'versionId') continue;
    versionId = decode(eq < 0 ? '' : part.slice(eq + 1), value);
    break;
  }
  if (versionId === undefined) return { bucket, key };
  if (versionId === '') throw invalidSource(value, 'Version id cannot be the empty string');
  if (!isWellFormedVersionId(versionId)) throw invalidSource(value, 'Invalid version id specified');
  return { bucket, key, versionId };
}

function single(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Evaluate `x-amz-copy-source-if-match`, `-if-none-match`, `-if-unmodified-since` and `-if-modified-since` against
 * the source version. Any failure is 412 PreconditionFailed (a copy never answers 304), with the failing header
 * named in `<Condition>`.
 */
export function checkCopySourceConditions(source: ObjectVersion, headers: IncomingHttpHeaders, now: Date): void {
  const outcome = evaluateConditions(
    {
      ifMatch: single(headers, 'x-amz-copy-source-if-match'),
      ifNoneMatch: single(headers, 'x-amz-copy-source-if-none-match'),
      ifModifiedSince: single(headers, 'x-amz-copy-source-if-modified-since'),
      ifUnmodifiedSince: single(headers, 'x-amz-copy-source-if-unmodified-since'),
    },
    source,
    now,
  );
  if (outcome.kind === 'pass') return;
  throw new S3Error('PreconditionFailed', { details: { Condition: `x-amz-copy-source-${outcome.condition}` } });
}

/**
 * Load the source bucket and version of a copy (the authorizer has checked the read on the source, with the source
 * bucket's policy and the source object's ACL). Errors as AWS gives them: NoSuchBucket; NoSuchKey when the
 * source is missing or its latest version is a delete marker; NoSuchVersion for an unknown version id;
 * InvalidRequest when the version id names a delete marker.
 */
export async function resolveCopySource(
  ctx: OperationContext,
  source: CopySource,
): Promise<{ bucket: Bucket; version: ObjectVersion }> {
  const bucket = await ctx.services.buckets.get(source.bucket);
  if (bucket === undefined) throw new S3Error('NoSuchBucket', { details: { BucketName: source.bucket } });
  const version = await ctx.services.objects.getVersion(source.bucket, source.key, source.versionId);
  if (source.versionId === undefined) {
    if (version === undefined) throw new S3Error('NoSuchKey', { details: { Key: source.key } });
    if (version.isDeleteMarker) throw new S3Error('NoSuchKey', { details: { Key: source.key }, headers: { 'x-amz-delete-marker': 'true' } });
    await requireActiveTier(ctx, bucket, version);
    return { bucket, version };
  }
  if (version === undefined) {
    throw new S3Error('NoSuchVersion', { details: { Key: source.key, VersionId: source.versionId } });
  }
  if (version.isDeleteMarker) {
    throw new S3Error('InvalidRequest', { message: 'The source of a copy request may not specifically refer to a delete marker by version id.' });
  }
  await requireActiveTier(ctx, bucket, version);
  return { bucket, version };
}

/** A GLACIER or DEEP_ARCHIVE source is copied only while a restore is active (403 InvalidObjectState otherwise, as AWS). */
async function requireActiveTier(ctx: OperationContext, bucket: Bucket, version: ObjectVersion): Promise<void> {
  if (!ARCHIVE_CLASSES.has(version.storageClass)) return;
  if ((await ctx.services.lifecycle.activeRestore(bucket.name, version)) !== undefined) return;
  throw new S3Error('InvalidObjectState', {
    message: 'The source object of the COPY action is not in the active tier and is only stored in Amazon S3 Glacier.',
    details: { StorageClass: version.storageClass },
  });
}
