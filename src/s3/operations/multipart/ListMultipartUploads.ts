import { parseDelimiter, parseEncodingType } from '../../../core/objects/listing/listingParams.js';
import { listingEncoder } from '../../../core/objects/listing/urlEncode.js';
import { MAX_LIST_UPLOADS } from '../../../core/objects/multipart/limits.js';
import { renderListMultipartUploadsResult } from '../../xml/shapes/ListMultipartUploadsResult.js';
import { s3Arn, type Operation } from '../Operation.js';
import { parseListInteger } from './params.js';
import { initiatorView, ownerView } from './principals.js';

/**
 * GET /{Bucket}?uploads[&prefix][&delimiter][&key-marker][&upload-id-marker][&max-uploads][&encoding-type]: the
 * uploads in progress, by key then initiation time, with CommonPrefixes when a delimiter is given.
 */
export const ListMultipartUploads: Operation<'bucket'> = {
  name: 'ListMultipartUploads',
  route: { method: 'GET', target: 'bucket', query: ['uploads'] },
  actions(request) {
    return [{ action: 's3:ListBucketMultipartUploads', resource: s3Arn(request.bucket ?? '') }];
  },
  async handle(ctx) {
    const { query } = ctx.request;
    const bucket = ctx.bucket;
    const encodingType = parseEncodingType(query.get('encoding-type'));
    const maxUploads = parseListInteger(query.get('max-uploads'), 'max-uploads', MAX_LIST_UPLOADS);
    const prefix = query.get('prefix') ?? '';
    const delimiter = parseDelimiter(query.get('delimiter'));
    const keyMarker = emptyAsUndefined(query.get('key-marker'));
    // AWS ignores upload-id-marker without key-marker
    const uploadIdMarker = keyMarker === undefined ? undefined : emptyAsUndefined(query.get('upload-id-marker'));

    const listing = await ctx.services.multipart.listUploads(bucket.name, {
      prefix,
      ...(delimiter !== undefined ? { delimiter } : {}),
      ...(keyMarker !== undefined ? { keyMarker } : {}),
      ...(uploadIdMarker !== undefined ? { uploadIdMarker } : {}),
      maxUploads: Math.min(maxUploads, MAX_LIST_UPLOADS),
    });
    const encode = listingEncoder(encodingType);
    const owner = ctx.services.access.ownerLookup();
    const uploads = await Promise.all(
      listing.uploads.map(async (u) => ({
        key: encode(u.key),
        uploadId: u.uploadId,
        initiator: await initiatorView(u.initiatorArn, owner),
        owner: ownerView(await owner(u.ownerAccountId)),
        storageClass: u.storageClass,
        initiated: u.initiated,
        ...(u.checksumAlgorithm !== undefined
          ? { checksumAlgorithm: u.checksumAlgorithm, checksumType: u.checksumType ?? 'COMPOSITE' }
          : {}),
      })),
    );
    return {
      status: 200,
      body: renderListMultipartUploadsResult({
        bucket: bucket.name,
        keyMarker: encode(keyMarker ?? ''),
        uploadIdMarker: uploadIdMarker ?? '',
        ...(listing.nextKeyMarker !== undefined ? { nextKeyMarker: encode(listing.nextKeyMarker) } : {}),
        prefix: encode(prefix),
        ...(delimiter !== undefined ? { delimiter: encode(delimiter) } : {}),
        ...(listing.nextUploadIdMarker !== undefined ? { nextUploadIdMarker: listing.nextUploadIdMarker } : {}),
        maxUploads,
        isTruncated: listing.isTruncated,
        uploads,
        commonPrefixes: listing.commonPrefixes.map(encode),
        ...(encodingType !== undefined ? { encodingType } : {}),
      }),
    };
  },
};

function emptyAsUndefined(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
