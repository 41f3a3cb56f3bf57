import { parseDelimiter, parseEncodingType, parseMaxKeys } from '../../../core/objects/listing/listingParams.js';
import { renderListObjectsResult } from '../../xml/shapes/ListBucketResult.js';
import { s3Arn, type Operation } from '../Operation.js';

/**
 * GET /{Bucket} (version 1): current objects under prefix, rolled up by delimiter, after marker, max-keys at a time
 * (1000 at most). NextMarker is given only when a delimiter was given and the page is truncated (without one,
 * clients continue after the last key); every entry shows its Owner.
 */
export const ListObjects: Operation<'bucket'> = {
  name: 'ListObjects',
  route: { method: 'GET', target: 'bucket' },
  actions: (request) => [{ action: 's3:ListBucket', resource: s3Arn(request.bucket ?? '') }],
  async handle(ctx) {
    const query = ctx.request.query;
    const bucket = ctx.request.bucket ?? '';
    const maxKeys = parseMaxKeys(query.get('max-keys'));
    const encodingType = parseEncodingType(query.get('encoding-type'));
    const delimiter = parseDelimiter(query.get('delimiter'));
    const prefix = query.get('prefix') ?? '';
    const marker = query.get('marker') ?? '';
    const page = await ctx.services.objects.listObjects(bucket, {
      prefix,
      delimiter,
      after: marker === '' ? undefined : marker,
      maxKeys: maxKeys.effective,
    });
    const owners = ctx.services.access.ownerLookup();
    const objects = await Promise.all(page.objects.map(async (version) => ({ version, owner: await owners(version.ownerAccountId) })));
    return {
      status: 200,
      body: renderListObjectsResult({
        bucket,
        prefix,
        marker,
        nextMarker: page.isTruncated && delimiter !== undefined ? page.last : undefined,
        maxKeys: maxKeys.requested,
        delimiter,
        encodingType,
        isTruncated: page.isTruncated,
        objects,
        commonPrefixes: page.commonPrefixes,
      }),
    };
  },
};
