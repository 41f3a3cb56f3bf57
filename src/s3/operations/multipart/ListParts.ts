import { MAX_LIST_PARTS } from '../../../core/objects/multipart/limits.js';
import { renderListPartsResult } from '../../xml/shapes/ListPartsResult.js';
import { s3Arn, type Operation } from '../Operation.js';
import { objectKey } from '../object/requestParams.js';
import { parseListInteger } from './params.js';
import { initiatorView, ownerView } from './principals.js';

/**
 * GET /{Bucket}/{Key+}?uploadId=…[&max-parts][&part-number-marker]: the parts uploaded so far, ascending, at most
 * max-parts (≤ 1000) per page, with the upload's initiator, owner, storage class and checksum mode.
 */
export const ListParts: Operation<'object'> = {
  name: 'ListParts',
  route: { method: 'GET', target: 'object', query: ['uploadId'] },
  actions(request) {
    return [{ action: 's3:ListMultipartUploadParts', resource: s3Arn(request.bucket ?? '', request.key) }];
  },
  async handle(ctx) {
    const { request } = ctx;
    const bucket = ctx.bucket;
    const key = objectKey(request);
    const maxParts = parseListInteger(request.query.get('max-parts'), 'max-parts', MAX_LIST_PARTS);
    const partNumberMarker = parseListInteger(request.query.get('part-number-marker'), 'part-number-marker', 0);
    const upload = await ctx.services.multipart.get(bucket.name, key, request.query.get('uploadId'));
    const listing = await ctx.services.multipart.listParts(upload, { partNumberMarker, maxParts });
    const owner = ctx.services.access.ownerLookup();
    const algorithm = upload.checksumAlgorithm;
    return {
      status: 200,
      headers: await ctx.services.lifecycle.abortHeaders(bucket, upload),
      body: renderListPartsResult({
        bucket: bucket.name,
        key,
        uploadId: upload.uploadId,
        partNumberMarker,
        ...(listing.nextPartNumberMarker !== undefined ? { nextPartNumberMarker: listing.nextPartNumberMarker } : {}),
        maxParts: Math.min(maxParts, MAX_LIST_PARTS),
        isTruncated: listing.isTruncated,
        parts: listing.parts.map((p) => ({
          partNumber: p.partNumber,
          lastModified: p.lastModified,
          etag: p.etag,
          size: p.size,
          ...(algorithm !== undefined && p.checksum !== undefined ? { checksum: { algorithm, value: p.checksum } } : {}),
        })),
        initiator: await initiatorView(upload.initiatorArn, owner),
        owner: ownerView(await owner(upload.ownerAccountId)),
        storageClass: upload.storageClass,
        ...(algorithm !== undefined ? { checksumAlgorithm: algorithm, checksumType: upload.checksumType ?? 'COMPOSITE' } : {}),
      }),
    };
  },
};
