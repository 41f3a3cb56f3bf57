import { MAX_PART_SIZE } from '../../../core/objects/multipart/limits.js';
import { header } from '../../../http/S3Request.js';
import { S3Error } from '../../../errors/S3Error.js';
import { s3Arn, type Operation } from '../Operation.js';
import { isAwsChunked, objectKey } from '../object/requestParams.js';
import { parsePartNumber } from './params.js';

/**
 * PUT /{Bucket}/{Key+}?partNumber=N&uploadId=…: store one part (replacing an earlier part with the same number).
 * The part's ETag is the MD5 of its bytes. When the upload has a checksum algorithm, the part's checksum in that
 * algorithm is verified (client value) or computed, stored for CompleteMultipartUpload and returned; a checksum of
 * another algorithm is refused as S3 does.
 */
export const UploadPart: Operation<'object'> = {
  name: 'UploadPart',
  route: { method: 'PUT', target: 'object', query: ['partNumber', 'uploadId'] },
  actions(request) {
    return [{ action: 's3:PutObject', resource: s3Arn(request.bucket ?? '', request.key) }];
  },
  async handle(ctx) {
    const { request, body } = ctx;
    const bucket = ctx.bucket;
    const key = objectKey(request);
    const partNumber = parsePartNumber(request.query.get('partNumber'));
    const upload = await ctx.services.multipart.get(bucket.name, key, request.query.get('uploadId'));
    if (header(request, 'content-length') === undefined && !isAwsChunked(request)) throw new S3Error('MissingContentLength');
    const declared = body.declaredLength;
    if (declared !== undefined && declared > MAX_PART_SIZE) {
      throw new S3Error('EntityTooLarge', { message: 'Your proposed upload exceeds the maximum allowed size', details: {
        ProposedSize: String(declared),
        MaxSizeAllowed: String(MAX_PART_SIZE),
      } });
    }
    const algorithm = upload.checksumAlgorithm;
    if (algorithm !== undefined) {
      const sent = body.checksumAlgorithm;
      if (sent !== undefined && sent !== algorithm) {
        throw new S3Error(
          'InvalidRequest', { message: `Checksum Type mismatch occurred, expected checksum Type: ${algorithm.toLowerCase()}, actual checksum Type: ${sent.toLowerCase()}` }
        );
      }
      if (sent === undefined) body.computeChecksum(algorithm);
    }
    const { part, checksum } = await ctx.services.multipart.uploadPart(upload, partNumber, body);
    return {
      status: 200,
      headers: {
        ETag: `"${part.etag}"`,
        ...(checksum !== undefined ? { [`x-amz-checksum-${checksum.algorithm.toLowerCase()}`]: checksum.value } : {}),
      },
    };
  },
};
