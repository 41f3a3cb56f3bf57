import { parseHttpDate } from '../../../core/objects/conditions.js';
import { header } from '../../../http/S3Request.js';
import { S3Error } from '../../../errors/S3Error.js';
import { s3Arn, type Operation } from '../Operation.js';
import { objectKey } from '../object/requestParams.js';

/**
 * DELETE /{Bucket}/{Key+}?uploadId=…: abort an upload; its parts are released. 204; NoSuchUpload when the upload is
 * not in progress. With x-amz-if-match-initiated-time, only an upload initiated at that time (to the second) is
 * aborted, else 412 PreconditionFailed.
 */
export const AbortMultipartUpload: Operation<'object'> = {
  name: 'AbortMultipartUpload',
  route: { method: 'DELETE', target: 'object', query: ['uploadId'] },
  actions(request) {
    return [{ action: 's3:AbortMultipartUpload', resource: s3Arn(request.bucket ?? '', request.key) }];
  },
  async handle(ctx) {
    const { request } = ctx;
    const bucket = ctx.bucket;
    const key = objectKey(request);
    const upload = await ctx.services.multipart.get(bucket.name, key, request.query.get('uploadId'));
    const initiatedRaw = header(request, 'x-amz-if-match-initiated-time');
    if (initiatedRaw !== undefined) {
      const initiated = parseHttpDate(initiatedRaw);
      if (initiated === undefined || Math.floor(initiated.getTime() / 1000) !== Math.floor(upload.initiated.getTime() / 1000)) {
        throw new S3Error('PreconditionFailed', { details: { Condition: 'x-amz-if-match-initiated-time' } });
      }
    }
    await ctx.services.multipart.abort(upload);
    return { status: 204 };
  },
};
