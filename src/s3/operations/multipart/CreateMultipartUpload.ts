import { DEFAULT_STORAGE_CLASS } from '../../../core/objects/metadata.js';
import { resolveChecksumMode } from '../../../core/objects/multipart/checksumMode.js';
import { aclFromHeaders, hasAclHeaders } from '../acl/requestedAcl.js';
import { renderInitiateMultipartUploadResult } from '../../xml/shapes/InitiateMultipartUploadResult.js';
import { s3Arn, type ActionRequest, type Operation } from '../Operation.js';
import { objectKey } from '../object/requestParams.js';
import { contentHeaders, storageClassHeader, taggingHeader, userMetadataHeaders } from '../object/writeAttributes.js';
import { checksumAlgorithmHeader, checksumTypeHeader } from './checksumHeaders.js';

/**
 * POST /{Bucket}/{Key+}?uploads: start a multipart upload. The object's content headers, user metadata, storage
 * class, tags (x-amz-tagging, applied when the upload completes) and checksum mode are fixed now; every header is
 * checked before the upload exists.
 */
export const CreateMultipartUpload: Operation<'object'> = {
  name: 'CreateMultipartUpload',
  route: { method: 'POST', target: 'object', query: ['uploads'] },
  actions(request): readonly ActionRequest[] {
    const resource = s3Arn(request.bucket ?? '', request.key);
    const actions: ActionRequest[] = [{ action: 's3:PutObject', resource }];
    if (request.headers['x-amz-tagging'] !== undefined) actions.push({ action: 's3:PutObjectTagging', resource });
    if (hasAclHeaders(request)) actions.push({ action: 's3:PutObjectAcl', resource });
    return actions;
  },
  async handle(ctx) {
    const { request } = ctx;
    const bucket = ctx.bucket;
    const key = objectKey(request);
    const storageClass = storageClassHeader(request) ?? DEFAULT_STORAGE_CLASS;
    const userMetadata = userMetadataHeaders(request);
    const tags = taggingHeader(request);
    const checksum = resolveChecksumMode(checksumAlgorithmHeader(request.headers), checksumTypeHeader(request.headers));
    // the ACL the object will get when the upload completes (x-amz-acl, x-amz-grant-*)
    const acl = await aclFromHeaders(request, ctx.services.access, bucket.ownerAccountId);

    const upload = await ctx.services.multipart.create({
      bucket: bucket.name,
      key,
      ownerAccountId: bucket.ownerAccountId,
      // an anonymous writer (a bucket policy may allow it) is shown as the Initiator ID "anonymous"
      initiatorArn: ctx.principal.kind === 'user' ? ctx.principal.arn : 'anonymous',
      storageClass,
      contentHeaders: contentHeaders(request),
      userMetadata,
      tags,
      ...(checksum !== undefined ? { checksum } : {}),
      acl,
    });
    return {
      status: 200,
      headers: {
        'x-amz-checksum-algorithm': checksum?.algorithm,
        'x-amz-checksum-type': checksum?.type,
        ...(await ctx.services.lifecycle.abortHeaders(bucket, upload)),
      },
      body: renderInitiateMultipartUploadResult({ bucket: bucket.name, key, uploadId: upload.uploadId }),
    };
  },
};
