import type { Bucket } from '../../../core/buckets/Bucket.js';
import { NULL_VERSION_ID } from '../../../core/objects/ObjectVersion.js';
import { isWellFormedVersionId } from '../../../core/objects/versionIdFormat.js';
import { header, type S3Request } from '../../../http/S3Request.js';
import { S3Error } from '../../../errors/S3Error.js';
import type { OperationContext } from '../Operation.js';

/** Request parameters the object operations share, each checked with AWS's error. */

/** AWS: "The name for a key is a sequence of Unicode characters whose UTF-8 encoding is at most 1,024 bytes long." */
export const MAX_KEY_BYTES = 1024;

/** The addressed key; KeyTooLongError when its UTF-8 form is longer than 1024 bytes. */
export function objectKey(request: S3Request): string {
  const key = request.key;
  if (key === undefined) throw new S3Error('InvalidRequest', { message: 'A key must be specified' });
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) {
    throw new S3Error('KeyTooLongError', { details: { MaxSizeAllowed: String(MAX_KEY_BYTES), Size: String(Buffer.byteLength(key, 'utf8')) } });
  }
  return key;
}

/**
 * The `versionId` query parameter: undefined when absent; 400 InvalidArgument for the empty string or an id that
 * cannot exist (AWS distinguishes these from a well-formed unknown id, which is 404 NoSuchVersion). A bucket that was
 * never versioned only has null versions, so any other id is InvalidArgument there too, as AWS answers.
 */
export function versionIdParam(request: S3Request, bucket: Pick<Bucket, 'versioning'>): string | undefined {
  const versionId = request.query.get('versionId');
  if (versionId === undefined) return undefined;
  if (versionId === '') {
    throw new S3Error('InvalidArgument', { message: 'Version id cannot be the empty string', details: { ArgumentName: 'versionId', ArgumentValue: '' } });
  }
  if (!isWellFormedVersionId(versionId) || (bucket.versioning === 'Unversioned' && versionId !== NULL_VERSION_ID)) {
    throw new S3Error('InvalidArgument', { message: 'Invalid version id specified', details: { ArgumentName: 'versionId', ArgumentValue: versionId } });
  }
  return versionId;
}

/** The `partNumber` query parameter of GetObject/HeadObject: an integer 1–10000 (InvalidArgument otherwise). */
export function partNumberParam(request: S3Request): number | undefined {
  const raw = request.query.get('partNumber');
  if (raw === undefined) return undefined;
  const n = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 10000) {
    throw new S3Error('InvalidArgument', { message: 'Part number must be an integer between 1 and 10000, inclusive', details: {
      ArgumentName: 'partNumber',
      ArgumentValue: raw,
    } });
  }
  return n;
}

/** Whether the payload is sent with aws-chunked framing (its length is then in x-amz-decoded-content-length). */
export function isAwsChunked(request: S3Request): boolean {
  const sha = header(request, 'x-amz-content-sha256') ?? '';
  const encoding = (header(request, 'content-encoding') ?? '').toLowerCase();
  return sha.startsWith('STREAMING-') || encoding.split(',').some((c) => c.trim() === 'aws-chunked');
}

/** The account a new version belongs to: the writer's, or the bucket owner's for an anonymous writer. */
export function writerAccountId(ctx: OperationContext): string {
  if (ctx.principal.kind === 'user') return ctx.principal.accountId;
  return ctx.bucket.ownerAccountId;
}
