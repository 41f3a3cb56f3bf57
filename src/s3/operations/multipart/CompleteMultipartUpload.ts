import { expirationHeaders } from '../lifecycle/lifecycleResponseHeaders.js';
import { writtenVersionIdHeader } from '../../../core/objects/versioning.js';
import { parseCompleteMultipartUpload } from '../../xml/shapes/CompleteMultipartUpload.js';
import { renderCompleteMultipartUploadResult } from '../../xml/shapes/CompleteMultipartUploadResult.js';
import { s3Arn, type Operation } from '../Operation.js';
import { objectKey } from '../object/requestParams.js';
import { writePrecondition } from '../object/writeAttributes.js';
import { completionExpectations } from './checksumHeaders.js';
import { objectLocation } from './location.js';

/** Largest CompleteMultipartUpload body accepted: 10,000 parts with every optional element fit comfortably. */
export const MAX_COMPLETE_BODY_BYTES = 8 * 1024 * 1024;

/**
 * POST /{Bucket}/{Key+}?uploadId=…: assemble the listed parts into the object (a metadata commit: the parts' blobs
 * become the object's segments). Checks the part list (order, ETags, checksums, 5 MiB minimum), the object-level
 * assertions of the headers (x-amz-checksum-*, x-amz-checksum-type, x-amz-mp-object-size) and If-Match /
 * If-None-Match, then answers 200 with CompleteMultipartUploadResult and x-amz-version-id.
 */
export const CompleteMultipartUpload: Operation<'object'> = {
  name: 'CompleteMultipartUpload',
  route: { method: 'POST', target: 'object', query: ['uploadId'] },
  actions(request) {
    return [{ action: 's3:PutObject', resource: s3Arn(request.bucket ?? '', request.key) }];
  },
  async handle(ctx) {
    const { request } = ctx;
    const bucket = ctx.bucket;
    const key = objectKey(request);
    const expect = completionExpectations(request.headers);
    const precondition = writePrecondition(request);
    const requested = parseCompleteMultipartUpload(await ctx.body.readAll(MAX_COMPLETE_BODY_BYTES));
    const uploadId = request.query.get('uploadId');
    const multipart = ctx.services.multipart;
    const upload = await multipart.get(bucket.name, key, uploadId).catch(async (err: unknown) => {
      // a retry of a completion that already succeeded gets the same answer
      const earlier = await multipart.completedEarlier(bucket.name, key, uploadId);
      if (earlier === undefined) throw err;
      return earlier;
    });
    const objects = ctx.services.objects;
    const result =
      'uploadId' in upload
        ? await objects.withKeyLock(bucket.name, key, async () => {
            await objects.checkWritePrecondition(bucket.name, key, precondition);
            // the ACL CreateMultipartUpload asked for is stored with the upload and commits with the version; the
            // precondition is checked again by the store while the completion holds the key
            return multipart.complete(bucket, upload, requested, expect, precondition);
          })
        : { version: upload, ...(upload.checksum !== undefined ? { checksum: upload.checksum } : {}) };
    return {
      status: 200,
      headers: {
        'x-amz-version-id': writtenVersionIdHeader(result.version.versionId),
        ...(await expirationHeaders(ctx.services, bucket, result.version, false)),
      },
      body: renderCompleteMultipartUploadResult({
        location: objectLocation(request, bucket.name, key),
        bucket: bucket.name,
        key,
        etag: result.version.etag,
        ...(result.checksum !== undefined ? { checksum: result.checksum } : {}),
      }),
    };
  },
};
