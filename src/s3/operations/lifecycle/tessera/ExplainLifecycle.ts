import { S3Error } from '../../../../errors/S3Error.js';
import { s3Arn, type Operation } from '../../Operation.js';
import { versionIdParam } from '../../object/requestParams.js';
import { jsonResponse, TOOL_PARAM } from './jsonResponse.js';

/**
 * Tessera's own (not an AWS operation): GET /{Bucket}?tessera-lifecycle=explain&key=KEY[&versionId=ID] — for each
 * version of the object, every rule with whether it applies and why (status, prefix, tags, sizes), what it would do
 * and when, and what lifecycle will do. Needs s3:GetLifecycleConfiguration on the bucket and s3:GetObject on the key.
 */
export const ExplainLifecycle: Operation<'bucket'> = {
  name: 'TesseraExplainLifecycle',
  route: { method: 'GET', target: 'bucket', queryValues: { [TOOL_PARAM]: 'explain' } },
  actions: (request) => [
    { action: 's3:GetLifecycleConfiguration', resource: s3Arn(request.bucket ?? '') },
    { action: 's3:GetObject', resource: s3Arn(request.bucket ?? '', request.query.get('key') ?? '') },
  ],
  async handle(ctx) {
    const key = ctx.request.query.get('key');
    if (key === undefined || key === '') throw new S3Error('InvalidArgument', { message: 'key is required', details: { ArgumentName: 'key' } });
    const versionId = versionIdParam(ctx.request, ctx.bucket);
    const explanation = await ctx.services.lifecycle.explain(ctx.bucket, key, versionId);
    if (explanation === undefined) {
      if (versionId === undefined) throw new S3Error('NoSuchKey', { details: { Key: key } });
      throw new S3Error('NoSuchVersion', { details: { Key: key, VersionId: versionId } });
    }
    return jsonResponse(explanation);
  },
};
