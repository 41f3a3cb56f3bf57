import { MAX_PART_SIZE } from '../../../core/objects/multipart/limits.js';
import { versionIdHeader } from '../../../core/objects/versioning.js';
import { header } from '../../../http/S3Request.js';
import { S3Error } from '../../../errors/S3Error.js';
import { renderCopyPartResult } from '../../xml/shapes/CopyPartResult.js';
import { s3Arn, type ActionRequest, type Operation } from '../Operation.js';
import { checkCopySourceConditions, parseCopySource, resolveCopySource } from '../object/copySource.js';
import { objectKey } from '../object/requestParams.js';
import { parseCopySourceRange } from './copySourceRange.js';
import { parsePartNumber } from './params.js';

/**
 * PUT /{Bucket}/{Key+}?partNumber=N&uploadId=… with x-amz-copy-source[-range]: a part made of (a range of) an
 * existing object's bytes, copied into a new blob. Source conditions (x-amz-copy-source-if-*) are checked first.
 * Responds with CopyPartResult (ETag = MD5 of the copied bytes, checksum in the upload's algorithm if any) and
 * x-amz-copy-source-version-id for sources in buckets that have had versioning.
 */
export const UploadPartCopy: Operation<'object'> = {
  name: 'UploadPartCopy',
  route: { method: 'PUT', target: 'object', query: ['partNumber', 'uploadId'], header: 'x-amz-copy-source' },
  actions(request): readonly ActionRequest[] {
    const source = parseCopySource(header(request, 'x-amz-copy-source') ?? '');
    return [
      { action: 's3:PutObject', resource: s3Arn(request.bucket ?? '', request.key) },
      { action: source.versionId === undefined ? 's3:GetObject' : 's3:GetObjectVersion', resource: s3Arn(source.bucket, source.key) },
    ];
  },
  async handle(ctx) {
    const { request } = ctx;
    const bucket = ctx.bucket;
    const key = objectKey(request);
    const partNumber = parsePartNumber(request.query.get('partNumber'));
    const upload = await ctx.services.multipart.get(bucket.name, key, request.query.get('uploadId'));
    const source = await resolveCopySource(ctx, parseCopySource(header(request, 'x-amz-copy-source') ?? ''));
    checkCopySourceConditions(source.version, request.headers, ctx.now);

    const rangeHeader = header(request, 'x-amz-copy-source-range');
    if (rangeHeader === undefined && source.version.size > MAX_PART_SIZE) {
      throw new S3Error(
        'InvalidRequest', { message: `The specified copy source is larger than the maximum allowable size for a copy source: ${MAX_PART_SIZE}` }
      );
    }
    const range = parseCopySourceRange(rangeHeader, source.version.size);
    const bytes = ctx.services.objects.openContent(source.version, range);
    const { part, checksum } = await ctx.services.multipart.copyPart(upload, partNumber, bytes);
    return {
      status: 200,
      headers: { 'x-amz-copy-source-version-id': versionIdHeader(source.bucket.versioning, source.version.versionId) },
      body: renderCopyPartResult({
        etag: part.etag,
        lastModified: part.lastModified,
        ...(checksum !== undefined ? { checksum } : {}),
      }),
    };
  },
};
