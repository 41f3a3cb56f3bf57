import { parseDelimiter, parseEncodingType, parseMaxKeys } from '../../../core/objects/listing/listingParams.js';
import { renderListVersionsResult } from '../../xml/shapes/ListVersionsResult.js';
import { s3Arn, type Operation } from '../Operation.js';

/**
 * GET /{Bucket}?versions: every version and delete marker, key ascending and newest first, after
 * key-marker / version-id-marker. When truncated, NextKeyMarker / NextVersionIdMarker name the last entry returned
 * (NextVersionIdMarker is absent when that entry is a common prefix).
 */
export const ListObjectVersions: Operation<'bucket'> = {
  name: 'ListObjectVersions',
  route: { method: 'GET', target: 'bucket', query: ['versions'] },
  actions: (request) => [{ action: 's3:ListBucketVersions', resource: s3Arn(request.bucket ?? '') }],
  async handle(ctx) {
    const query = ctx.request.query;
    const bucket = ctx.request.bucket ?? '';
    const objects = ctx.services.objects;
    const maxKeys = parseMaxKeys(query.get('max-keys'));
    const encodingType = parseEncodingType(query.get('encoding-type'));
    const delimiter = parseDelimiter(query.get('delimiter'));
    const prefix = query.get('prefix') ?? '';
    const keyMarker = query.get('key-marker') ?? '';
    const versionIdMarker = query.get('version-id-marker') ?? '';
    const after = await objects.versionMarkerPosition(bucket, keyMarker, versionIdMarker);

    const page = await objects.listVersions(bucket, { prefix, delimiter, after, maxKeys: maxKeys.effective });
    const owners = ctx.services.access.ownerLookup();
    const versions = await Promise.all(page.versions.map(async (version) => ({ version, owner: await owners(version.ownerAccountId) })));
    return {
      status: 200,
      body: renderListVersionsResult({
        bucket,
        prefix,
        keyMarker,
        versionIdMarker,
        nextKeyMarker: page.isTruncated ? page.last?.key : undefined,
        nextVersionIdMarker: page.isTruncated ? page.last?.versionId : undefined,
        maxKeys: maxKeys.requested,
        delimiter,
        encodingType,
        isTruncated: page.isTruncated,
        versions,
        commonPrefixes: page.commonPrefixes,
      }),
    };
  },
};
