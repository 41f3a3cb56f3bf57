import { S3Error } from '../../../errors/S3Error.js';
import { parseRestoreRequest } from '../../xml/shapes/RestoreRequest.js';
import { readableVersion } from '../object/readVersion.js';
import { versionIdParam } from '../object/requestParams.js';
import { objectActions, type Operation } from '../Operation.js';

const MAX_RESTORE_BODY_BYTES = 64 * 1024;

/**
 * POST /{Bucket}/{Key+}?restore[&versionId] — make a version that lifecycle moved to GLACIER or DEEP_ARCHIVE readable
 * for `Days` days. The tier is a directory of this server, so the restore is complete at once: 202 Accepted for a new
 * restore, 200 OK when one was already active (its expiry moves). Another storage class is 403 InvalidObjectState.
 */
export const RestoreObject: Operation<'object'> = {
  name: 'RestoreObject',
  route: { method: 'POST', target: 'object', query: ['restore'] },
  actions: (request) => objectActions(request, 's3:RestoreObject', 's3:RestoreObject'),
  async handle(ctx) {
    const key = ctx.request.key ?? '';
    const versionId = versionIdParam(ctx.request, ctx.bucket);
    const body = await ctx.body.readAll(MAX_RESTORE_BODY_BYTES);
    if (body.length === 0) throw new S3Error('MalformedXML');
    const request = parseRestoreRequest(body);
    const version = await readableVersion(ctx.services.objects, ctx.bucket, key, versionId, 'POST');
    const outcome = await ctx.services.lifecycle.restore(ctx.bucket.name, version, request.days);
    return { status: outcome.status === 'started' ? 202 : 200 };
  },
};
