import { objectActions, s3Arn, type Operation } from '../Operation.js';
import { REPLICA_VERSION_HEADER, replicaVersionId } from './replicaHeader.js';
import { objectKey, versionIdParam, writerAccountId } from './requestParams.js';

/**
 * DELETE /{Bucket}/{Key+}[?versionId]: 204 always, also for a key or version that does not exist.
 * Unversioned bucket → the object is removed; Enabled → a delete marker is added (`x-amz-delete-marker: true`,
 * its `x-amz-version-id`); Suspended → a delete marker with version id "null" replaces the null version.
 * With a version id that version is removed for good (`x-amz-version-id` echoes it, and
 * `x-amz-delete-marker: true` says it was a delete marker).
 */
export const DeleteObject: Operation<'object'> = {
  name: 'DeleteObject',
  route: { method: 'DELETE', target: 'object' },
  actions: (request) => [
    ...objectActions(request, 's3:DeleteObject', 's3:DeleteObjectVersion'),
    ...(request.headers[REPLICA_VERSION_HEADER] === undefined ? [] : [{ action: 's3:ReplicateDelete', resource: s3Arn(request.bucket ?? '', request.key) }]),
  ],
  async handle(ctx) {
    const bucket = ctx.bucket;
    const key = objectKey(ctx.request);
    const versionId = versionIdParam(ctx.request, bucket);
    const outcome = await ctx.services.objects.deleteObject(bucket, key, versionId, writerAccountId(ctx), replicaVersionId(ctx.request));
    return {
      status: 204,
      headers: {
        'x-amz-delete-marker': outcome.deleteMarker ? 'true' : undefined,
        'x-amz-version-id': outcome.versionId,
      },
    };
  },
};
