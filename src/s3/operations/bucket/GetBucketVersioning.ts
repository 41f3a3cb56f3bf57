import { renderVersioningConfiguration } from '../../xml/shapes/VersioningConfiguration.js';
import { s3Arn, type Operation } from '../Operation.js';

/** GET /{Bucket}?versioning: Enabled or Suspended, or an empty VersioningConfiguration if never set. */
export const GetBucketVersioning: Operation<'bucket'> = {
  name: 'GetBucketVersioning',
  route: { method: 'GET', target: 'bucket', query: ['versioning'] },
  actions: (request) => [{ action: 's3:GetBucketVersioning', resource: s3Arn(request.bucket ?? '') }],
  handle(ctx) {
    return Promise.resolve({ status: 200, body: renderVersioningConfiguration(ctx.bucket.versioning) });
  },
};
