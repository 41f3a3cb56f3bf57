import { expirationHeaders } from '../lifecycle/lifecycleResponseHeaders.js';
import { DEFAULT_STORAGE_CLASS } from '../../../core/objects/metadata.js';
import { MAX_PUT_SIZE, type ObjectAttributes } from '../../../core/objects/ObjectService.js';
import { versionIdHeader, writtenVersionIdHeader } from '../../../core/objects/versioning.js';
import type { Tag } from '../../../core/tags/Tag.js';
import { header, type S3Request } from '../../../http/S3Request.js';
import { S3Error } from '../../../errors/S3Error.js';
import { aclFromHeaders, hasAclHeaders } from '../acl/requestedAcl.js';
import { renderCopyObjectResult } from '../../xml/shapes/CopyObjectResult.js';
import { s3Arn, type ActionRequest, type Operation } from '../Operation.js';
import { checkCopySourceConditions, parseCopySource, resolveCopySource } from './copySource.js';
import { objectKey, writerAccountId } from './requestParams.js';
import { contentHeaders, storageClassHeader, taggingHeader, userMetadataHeaders, writePrecondition } from './writeAttributes.js';

type Directive = 'COPY' | 'REPLACE';

function directive(request: S3Request, name: 'x-amz-metadata-directive' | 'x-amz-tagging-directive'): Directive {
  const value = header(request, name);
  if (value === undefined) return 'COPY';
  if (value === 'COPY' || value === 'REPLACE') return value;
  throw new S3Error('InvalidArgument', { message: `Unknown ${name === 'x-amz-metadata-directive' ? 'metadata' : 'tagging'} directive.`, details: {
    ArgumentName: name,
    ArgumentValue: value,
  } });
}

/** Headers that make copying an object onto itself legal (they change what S3 calls its attributes). */
const SELF_COPY_CHANGES = [
  'x-amz-storage-class',
  'x-amz-website-redirect-location',
  'x-amz-server-side-encryption',
  'x-amz-server-side-encryption-customer-algorithm',
  'x-amz-server-side-encryption-aws-kms-key-id',
] as const;

/**
 * PUT /{Bucket}/{Key+} with `x-amz-copy-source`: copy a version (the latest, or `?versionId=` in the source) into a
 * new version. Metadata: COPY (default) takes the source's content headers and user metadata, REPLACE takes the
 * request's. Tags: COPY (default) takes the source version's tags, REPLACE takes `x-amz-tagging` (none → no tags).
 * Storage class: `x-amz-storage-class`, else STANDARD. The bytes are copied blob by blob, so a multipart source
 * keeps its parts and `-N` ETag.
 */
export const CopyObject: Operation<'object'> = {
  name: 'CopyObject',
  route: { method: 'PUT', target: 'object', header: 'x-amz-copy-source' },
  actions(request): readonly ActionRequest[] {
    const target = s3Arn(request.bucket ?? '', request.key);
    const actions: ActionRequest[] = [{ action: 's3:PutObject', resource: target }];
    let source: { bucket: string; key: string; versionId?: string } | undefined;
    try {
      source = parseCopySource(header(request, 'x-amz-copy-source') ?? '');
    } catch {
      source = undefined; // handle() reports the malformed header
    }
    if (source !== undefined) {
      const sourceArn = s3Arn(source.bucket, source.key);
      const versioned = source.versionId !== undefined;
      actions.push({ action: versioned ? 's3:GetObjectVersion' : 's3:GetObject', resource: sourceArn });
      const tagging = header(request, 'x-amz-tagging-directive') ?? 'COPY';
      if (tagging === 'COPY') {
        // reading the source's tags is needed only when there are tags to copy
        actions.push({
          action: versioned ? 's3:GetObjectVersionTagging' : 's3:GetObjectTagging',
          resource: sourceArn,
          onlyIfTagged: { bucket: source.bucket, key: source.key, ...(versioned ? { versionId: source.versionId } : {}) },
        });
      }
    }
    if (header(request, 'x-amz-tagging-directive') === 'REPLACE' && (header(request, 'x-amz-tagging') ?? '') !== '') {
      actions.push({ action: 's3:PutObjectTagging', resource: target });
    }
    if (hasAclHeaders(request)) actions.push({ action: 's3:PutObjectAcl', resource: target });
    return actions;
  },
  async handle(ctx) {
    const { request } = ctx;
    const bucket = ctx.bucket;
    const key = objectKey(request);
    const sourceRef = parseCopySource(header(request, 'x-amz-copy-source') ?? '');
    const metadataDirective = directive(request, 'x-amz-metadata-directive');
    const taggingDirective = directive(request, 'x-amz-tagging-directive');
    const storageClass = storageClassHeader(request);
    const replaced = metadataDirective === 'REPLACE' ? { contentHeaders: contentHeaders(request), userMetadata: userMetadataHeaders(request) } : undefined;
    const requestTags: readonly Tag[] | undefined = taggingDirective === 'REPLACE' ? taggingHeader(request) : undefined;
    const precondition = writePrecondition(request);
    const ownerAccountId = writerAccountId(ctx);
    // a copy never copies the source's ACL: the new version gets what this request says (or the default)
    const acl = await aclFromHeaders(request, ctx.services.access, ownerAccountId, bucket.ownerAccountId);

    const source = await resolveCopySource(ctx, sourceRef);
    checkCopySourceConditions(source.version, request.headers, ctx.now);
    const sameObject = source.bucket.name === bucket.name && sourceRef.key === key && source.version.isLatest;
    if (sameObject && metadataDirective === 'COPY' && !SELF_COPY_CHANGES.some((h) => request.headers[h] !== undefined)) {
      throw new S3Error(
        'InvalidRequest', { message: 'This copy request is illegal because it is trying to copy an object to itself without changing the object\'s metadata, storage class, website redirect location or encryption attributes.' }
      );
    }
    if (source.version.size > MAX_PUT_SIZE) {
      throw new S3Error(
        'InvalidRequest', { message: `The specified copy source is larger than the maximum allowable size for a copy source: ${MAX_PUT_SIZE}` }
      );
    }

    let tags: readonly Tag[];
    if (requestTags !== undefined) tags = requestTags;
    else {
      const found = await ctx.services.tags.getVersionTags(source.bucket.name, source.version.key, source.version.versionId);
      tags = found.status === 'ok' ? found.tags : [];
    }
    const attributes: ObjectAttributes = {
      storageClass: storageClass ?? DEFAULT_STORAGE_CLASS,
      contentHeaders: replaced?.contentHeaders ?? source.version.contentHeaders,
      userMetadata: replaced?.userMetadata ?? source.version.userMetadata,
      tags,
      acl,
    };
    const version = await ctx.services.objects.copyObject({
      source: source.version,
      bucket,
      key,
      ownerAccountId,
      attributes,
      ...(precondition === undefined ? {} : { precondition }),
    });
    return {
      status: 200,
      headers: {
        'x-amz-version-id': writtenVersionIdHeader(version.versionId),
        'x-amz-copy-source-version-id': versionIdHeader(source.bucket.versioning, source.version.versionId),
        ...(await expirationHeaders(ctx.services, bucket, version, false, tags)),
      },
      body: renderCopyObjectResult({
        etag: version.etag,
        lastModified: version.lastModified,
        ...(version.checksum === undefined ? {} : { checksum: version.checksum }),
      }),
    };
  },
};
