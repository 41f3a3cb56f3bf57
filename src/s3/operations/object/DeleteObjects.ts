import { isWellFormedVersionId } from '../../../core/objects/versionIdFormat.js';
import { S3Error, isS3Error } from '../../../errors/S3Error.js';
import {
  parseDeleteRequest,
  renderDeleteResult,
  type DeleteErrorEntry,
  type DeleteRequestObject,
  type DeletedEntry,
} from '../../xml/shapes/DeleteObjects.js';
import { s3Arn, type Operation, type OperationContext } from '../Operation.js';
import { writerAccountId } from './requestParams.js';

/** Largest `<Delete>` document accepted (1000 keys of 1024 bytes each, escaped, with room for markup). */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** Keys deleted at the same time (the metadata store groups concurrent commits). */
const CONCURRENCY = 16;

/**
 * Whether the request carries the integrity header S3 requires for DeleteObjects: Content-MD5, or a flexible
 * checksum (`x-amz-checksum-<alg>` header, or one announced as a trailer). The RequestBody verifies its value.
 */
function hasIntegrityHeader(headers: OperationContext['request']['headers']): boolean {
  if (headers['content-md5'] !== undefined) return true;
  for (const name of Object.keys(headers)) {
    if (name.startsWith('x-amz-checksum-') && name !== 'x-amz-checksum-type' && name !== 'x-amz-checksum-algorithm') return true;
  }
  const trailer = headers['x-amz-trailer'];
  const trailerValue = Array.isArray(trailer) ? trailer.join(',') : trailer ?? '';
  return trailerValue.toLowerCase().includes('x-amz-checksum-');
}

type Result = { kind: 'deleted'; entry: DeletedEntry } | { kind: 'error'; entry: DeleteErrorEntry };

async function deleteOne(ctx: OperationContext, object: DeleteRequestObject): Promise<Result> {
  const bucket = ctx.bucket;
  const { key, versionId } = object;
  const withVersion = versionId === undefined ? {} : { versionId };
  // AWS answers a version id that cannot exist with a per-key NoSuchVersion here (DeleteObject says InvalidArgument)
  if (versionId !== undefined && !isWellFormedVersionId(versionId)) {
    return { kind: 'error', entry: { key, ...withVersion, code: 'NoSuchVersion', message: 'The specified version does not exist.' } };
  }
  try {
    const outcome = await ctx.services.objects.deleteObject(bucket, key, versionId, writerAccountId(ctx));
    if (versionId !== undefined) {
      return {
        kind: 'deleted',
        entry: outcome.deleteMarker ? { key, versionId, deleteMarker: true, deleteMarkerVersionId: versionId } : { key, versionId },
      };
    }
    if (outcome.deleteMarker && outcome.versionId !== undefined) {
      return { kind: 'deleted', entry: { key, deleteMarker: true, deleteMarkerVersionId: outcome.versionId } };
    }
    return { kind: 'deleted', entry: { key } };
  } catch (error) {
    if (!isS3Error(error)) ctx.log.error({ err: error, key }, 'DeleteObjects: delete failed');
    const e = isS3Error(error) ? error : new S3Error('InternalError');
    return { kind: 'error', entry: { key, ...withVersion, code: e.code, message: e.message } };
  }
}

/**
 * POST /{Bucket}?delete: delete up to 1000 keys, each with DeleteObject's rules; a `<Deleted>` per success (omitted
 * in quiet mode) and an `<Error>` per failure, in request order. Content-MD5 or a flexible checksum is required.
 */
export const DeleteObjects: Operation<'bucket'> = {
  name: 'DeleteObjects',
  route: { method: 'POST', target: 'bucket', query: ['delete'] },
  actions(request) {
    return [{ action: 's3:DeleteObject', resource: s3Arn(request.bucket ?? '') }];
  },
  async handle(ctx) {
    if (!hasIntegrityHeader(ctx.request.headers)) {
      throw new S3Error('InvalidRequest', { message: 'Missing required header for this request: Content-MD5 OR x-amz-checksum-*' });
    }
    const request = parseDeleteRequest(await ctx.body.readAll(MAX_BODY_BYTES));
    const results: Result[] = new Array<Result>(request.objects.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < request.objects.length) {
        const index = next++;
        results[index] = await deleteOne(ctx, request.objects[index] as DeleteRequestObject);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, request.objects.length) }, worker));
    const deleted: DeletedEntry[] = [];
    const errors: DeleteErrorEntry[] = [];
    for (const r of results) {
      if (r.kind === 'deleted') deleted.push(r.entry);
      else errors.push(r.entry);
    }
    return { status: 200, body: renderDeleteResult(request.quiet ? [] : deleted, errors) };
  },
};
