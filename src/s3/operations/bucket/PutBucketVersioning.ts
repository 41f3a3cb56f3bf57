import { S3Error } from '../../../errors/S3Error.js';
import { parseVersioningConfiguration } from '../../xml/shapes/VersioningConfiguration.js';
import { s3Arn, type Operation } from '../Operation.js';

const MAX_CONFIGURATION_BYTES = 64 * 1024;

/**
 * PUT /{Bucket}?versioning: Status Enabled or Suspended (there is no way back to never-versioned). MFA Delete is
 * not supported: MfaDelete=Enabled is 501 NotImplemented; Disabled is accepted.
 */
export const PutBucketVersioning: Operation<'bucket'> = {
  name: 'PutBucketVersioning',
  route: { method: 'PUT', target: 'bucket', query: ['versioning'] },
  actions: (request) => [{ action: 's3:PutBucketVersioning', resource: s3Arn(request.bucket ?? '') }],
  async handle(ctx) {
    const configuration = parseVersioningConfiguration(await ctx.body.readAll(MAX_CONFIGURATION_BYTES));
    if (configuration.mfaDelete === 'Enabled') throw new S3Error('NotImplemented', { message: 'MFA Delete is not supported.' });
    if (configuration.status === 'Suspended' && (await ctx.services.replication.getConfiguration(ctx.bucket)) !== undefined) {
      // as S3: a replicated bucket keeps versioning on (replicas keep their source's version ids)
      throw new S3Error('InvalidBucketState', {
        message: 'Replication configuration is present on this bucket, so the versioning state cannot be changed.',
      });
    }
    if (configuration.status !== undefined) await ctx.services.buckets.setVersioning(ctx.request.bucket ?? '', configuration.status);
    return { status: 200 };
  },
};
