import { expirationHeaders } from '../lifecycle/lifecycleResponseHeaders.js';
import { MAX_PUT_SIZE } from '../../../core/objects/ObjectService.js';
import { writtenVersionIdHeader } from '../../../core/objects/versioning.js';
import { header } from '../../../http/S3Request.js';
import { S3Error } from '../../../errors/S3Error.js';
import { aclFromHeaders, hasAclHeaders } from '../acl/requestedAcl.js';
import { s3Arn, type ActionRequest, type Operation } from '../Operation.js';
import { isAwsChunked, objectKey, writerAccountId } from './requestParams.js';
import { checksumHeaders, quoteEtag } from './responseHeaders.js';
import { writeAttributes, writePrecondition } from './writeAttributes.js';
import { REPLICA_VERSION_HEADER, replicaOf, replicaVersionId } from './replicaHeader.js';

/**
 * PUT /{Bucket}/{Key+}: store an object. Every header is checked before a byte is read; the verified body streams
 * into a staged blob and the version is committed only after the body ended cleanly (Content-MD5 and checksums are
 * verified by the RequestBody, whose error fails the write and removes the staged blob).
 *
 * Without a checksum from the client, none is stored (S3 would compute a CRC64NVME: see docs/objects.md).
 */
export const PutObject: Operation<'object'> = {
  name: 'PutObject',
  route: { method: 'PUT', target: 'object' },
  actions(request): readonly ActionRequest[] {
    const resource = s3Arn(request.bucket ?? '', request.key);
    const actions: ActionRequest[] = [{ action: 's3:PutObject', resource }];
    if (request.headers['x-amz-tagging'] !== undefined) actions.push({ action: 's3:PutObjectTagging', resource });
    // setting an ACL with the upload (x-amz-acl, x-amz-grant-*) also needs s3:PutObjectAcl, as AWS documents
    if (hasAclHeaders(request)) actions.push({ action: 's3:PutObjectAcl', resource });
    if (request.headers[REPLICA_VERSION_HEADER] !== undefined) actions.push({ action: 's3:ReplicateObject', resource });
    return actions;
  },
  async handle(ctx) {
    const { request, body } = ctx;
    const bucket = ctx.bucket;
    const key = objectKey(request);
    if (header(request, 'content-length') === undefined && !isAwsChunked(request)) throw new S3Error('MissingContentLength');
    const declared = body.declaredLength;
    if (declared !== undefined && declared > MAX_PUT_SIZE) {
      throw new S3Error('EntityTooLarge', { details: { ProposedSize: String(declared), MaxSizeAllowed: String(MAX_PUT_SIZE) } });
    }
    const attributes = writeAttributes(request);
    const precondition = writePrecondition(request);
    const ownerAccountId = writerAccountId(ctx);
    // the ACL the upload sets (checked before anything is written; committed with the new version, see docs/access-control.md)
    const acl = await aclFromHeaders(request, ctx.services.access, ownerAccountId, bucket.ownerAccountId);
    // no default checksum for a PUT without one (S3 computes a CRC64NVME; it would halve large-PUT throughput here:
    // docs/objects.md, docs/benchmarks.md)
    const version = await ctx.services.objects.putObject({
      bucket,
      key,
      ownerAccountId,
      attributes: { ...attributes, acl },
      payload: body,
      ...(precondition === undefined ? {} : { precondition }),
      ...optionalReplica(replicaVersionId(request), request),
    });
    return {
      status: 200,
      headers: {
        ETag: quoteEtag(version.etag),
        'x-amz-version-id': writtenVersionIdHeader(version.versionId),
        ...checksumHeaders(version.checksum),
        ...(await expirationHeaders(ctx.services, bucket, version, false, attributes.tags)),
      },
    };
  },
};

function optionalReplica(
  id: string | undefined,
  request: Parameters<typeof replicaOf>[0],
): { replicaVersionId?: string; replicaOf?: ReturnType<typeof replicaOf> } {
  return id === undefined ? {} : { replicaVersionId: id, replicaOf: replicaOf(request) };
}
