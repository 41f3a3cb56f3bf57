import { S3Error } from '../../../../errors/S3Error.js';
import { s3Arn, type Operation } from '../../Operation.js';
import { jsonResponse, TOOL_PARAM } from './jsonResponse.js';

/**
 * Tessera's own (not an AWS operation): POST /{Bucket}?tessera-lifecycle=run — run a lifecycle pass over the bucket
 * now (after any pass in progress) and answer its record. Needs s3:PutLifecycleConfiguration; 404
 * NoSuchLifecycleConfiguration when the bucket has none.
 */
export const RunLifecycle: Operation<'bucket'> = {
  name: 'TesseraRunLifecycle',
  route: { method: 'POST', target: 'bucket', queryValues: { [TOOL_PARAM]: 'run' } },
  actions: (request) => [{ action: 's3:PutLifecycleConfiguration', resource: s3Arn(request.bucket ?? '') }],
  async handle(ctx) {
    const pass = await ctx.services.lifecycle.runPass(ctx.bucket.name, { trigger: 'cli' });
    if (pass === undefined) throw new S3Error('NoSuchLifecycleConfiguration', { details: { BucketName: ctx.bucket.name } });
    return jsonResponse(pass);
  },
};
