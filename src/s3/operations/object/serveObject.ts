import { evaluateConditions } from '../../../core/objects/conditions.js';
import { contentRange, parseRange } from '../../../core/objects/range.js';
import { partCount, partRange } from '../../../core/objects/segments.js';
import { versionIdHeader } from '../../../core/objects/versioning.js';
import { header } from '../../../http/S3Request.js';
import { S3Error } from '../../../errors/S3Error.js';
import type { ActionRequest, OperationContext, S3Response } from '../Operation.js';
import { objectActions } from '../Operation.js';
import type { S3Request } from '../../../http/S3Request.js';
import { archiveHeaders, expirationHeaders } from '../lifecycle/lifecycleResponseHeaders.js';
import { readableVersion } from './readVersion.js';
import { objectKey, partNumberParam, versionIdParam } from './requestParams.js';
import { RESPONSE_OVERRIDES, checksumHeaders, objectHeaders, quoteEtag, type HeaderMap } from './responseHeaders.js';

/** GetObject and HeadObject need s3:GetObject, or s3:GetObjectVersion when a version id is given. */
export function readActions(request: S3Request): readonly ActionRequest[] {
  return objectActions(request, 's3:GetObject', 's3:GetObjectVersion');
}

/**
 * GetObject and HeadObject: the same checks and headers; HEAD sends no body. Order of evaluation:
 * parameters (versionId, partNumber, Range with partNumber, response-* for anonymous callers) → the version
 * (404/405) → conditional headers (412/304) → range or part (416) → 200/206.
 */
export async function serveObject(ctx: OperationContext, isHead: boolean): Promise<S3Response> {
  const { request } = ctx;
  const bucket = ctx.bucket;
  const key = objectKey(request);
  const versionId = versionIdParam(request, bucket);
  const partNumber = partNumberParam(request);
  const rangeHeader = header(request, 'range');
  if (partNumber !== undefined && rangeHeader !== undefined) {
    throw new S3Error('InvalidRequest', { message: 'Cannot specify both Range header and partNumber query parameter' });
  }
  const overrides: HeaderMap = {};
  for (const [param, name] of RESPONSE_OVERRIDES) {
    const value = request.query.get(param);
    if (value !== undefined) overrides[name] = value;
  }
  if (Object.keys(overrides).length > 0 && ctx.principal.kind === 'anonymous') {
    throw new S3Error('InvalidRequest', { message: 'Request specific response headers cannot be used for anonymous GET requests.' });
  }

  const version = await readableVersion(ctx.services.objects, bucket, key, versionId, request.method);
  const archive = await archiveHeaders(ctx.services, bucket, version, isHead);

  const outcome = evaluateConditions(
    {
      ifMatch: header(request, 'if-match'),
      ifNoneMatch: header(request, 'if-none-match'),
      ifModifiedSince: header(request, 'if-modified-since'),
      ifUnmodifiedSince: header(request, 'if-unmodified-since'),
    },
    version,
    ctx.now,
  );
  if (outcome.kind === 'precondition-failed') {
    throw new S3Error('PreconditionFailed', { details: { Condition: outcome.condition } });
  }
  if (outcome.kind === 'not-modified') {
    return {
      status: 304,
      headers: {
        ETag: quoteEtag(version.etag),
        'Last-Modified': version.lastModified.toUTCString(),
        'x-amz-version-id': versionIdHeader(bucket.versioning, version.versionId),
      },
    };
  }

  const headers: HeaderMap = objectHeaders(bucket, version);
  Object.assign(headers, archive, await expirationHeaders(ctx.services, bucket, version, versionId !== undefined));
  const replicationStatus = await ctx.services.replication.statusOf(bucket, version);
  if (replicationStatus !== undefined) headers['x-amz-replication-status'] = replicationStatus;
  let range: { start: number; end: number } | undefined;
  let wholeObject = true;
  if (partNumber !== undefined) {
    const part = partRange(version, partNumber);
    if (part === undefined) {
      throw new S3Error('InvalidPartNumber', { details: {
        PartNumberRequested: String(partNumber),
        ActualPartCount: String(partCount(version)),
      } });
    }
    if (version.partSizes !== undefined) {
      headers['x-amz-mp-parts-count'] = version.partSizes.length;
      wholeObject = version.partSizes.length === 1;
    }
    if (!('empty' in part)) range = part;
  } else {
    const selection = parseRange(rangeHeader, version.size);
    if (selection.kind === 'unsatisfiable') {
      throw new S3Error(
        'InvalidRange', { details: { RangeRequested: rangeHeader ?? '', ActualObjectSize: String(version.size) }, headers: { 'Content-Range': `bytes */${version.size}` } }
      );
    }
    if (selection.kind === 'partial') {
      range = { start: selection.start, end: selection.end };
      wholeObject = false;
    }
  }

  if (wholeObject && header(request, 'x-amz-checksum-mode')?.toUpperCase() === 'ENABLED') {
    Object.assign(headers, checksumHeaders(version.checksum));
  }
  Object.assign(headers, overrides);
  const length = range === undefined ? version.size : range.end - range.start + 1;
  headers['Content-Length'] = length;
  if (range !== undefined) headers['Content-Range'] = contentRange(range.start, range.end, version.size);
  const status = range === undefined ? 200 : 206;

  if (isHead || length === 0) return { status, headers, ...(isHead ? {} : { body: Buffer.alloc(0) }) };
  // small objects are stored inline: their bytes come back from the metadata store as one buffer, no file opened
  const inline = await ctx.services.objects.inlineContent(version, range);
  if (inline !== undefined) return { status, headers, body: inline };
  return { status, headers, body: { stream: ctx.services.objects.openContent(version, range), length } };
}
