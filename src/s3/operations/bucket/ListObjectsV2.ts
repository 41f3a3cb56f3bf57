import { encodeContinuationToken, positionFromToken } from '../../../core/objects/listing/continuationToken.js';
import { parseDelimiter, parseEncodingType, parseMaxKeys } from '../../../core/objects/listing/listingParams.js';
import { renderListObjectsV2Result } from '../../xml/shapes/ListBucketResult.js';
import { s3Arn, type Operation } from '../Operation.js';

/**
 * GET /{Bucket}?list-type=2: like ListObjects, paged by opaque continuation tokens (a non-empty one wins over
 * start-after), with KeyCount, and Owner only when fetch-owner=true.
 */
export const ListObjectsV2: Operation<'bucket'> = {
  name: 'ListObjectsV2',
  route: { method: 'GET', target: 'bucket', queryValues: { 'list-type': '2' } },
  actions: (request) => [{ action: 's3:ListBucket', resource: s3Arn(request.bucket ?? '') }],
  async handle(ctx) {
    const query = ctx.request.query;
    const bucket = ctx.request.bucket ?? '';
    const maxKeys = parseMaxKeys(query.get('max-keys'));
    const encodingType = parseEncodingType(query.get('encoding-type'));
    const delimiter = parseDelimiter(query.get('delimiter'));
    const prefix = query.get('prefix') ?? '';
    const token = query.get('continuation-token');
    const startAfter = query.get('start-after');
    const fetchOwner = query.get('fetch-owner') === 'true';
    let after: string | undefined;
    if (token !== undefined && token !== '') after = positionFromToken('objects', token);
    else if (startAfter !== undefined && startAfter !== '') after = startAfter;

    const page = await ctx.services.objects.listObjects(bucket, { prefix, delimiter, after, maxKeys: maxKeys.effective });
    const owners = ctx.services.access.ownerLookup();
    const objects = await Promise.all(
      page.objects.map(async (version) => (fetchOwner ? { version, owner: await owners(version.ownerAccountId) } : { version })),
    );
    return {
      status: 200,
      body: renderListObjectsV2Result({
        bucket,
        prefix,
        continuationToken: token,
        nextContinuationToken: page.isTruncated && page.last !== undefined ? encodeContinuationToken('objects', page.last) : undefined,
        startAfter,
        keyCount: page.objects.length + page.commonPrefixes.length,
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
