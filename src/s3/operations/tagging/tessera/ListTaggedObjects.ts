import { S3Error } from '../../../../errors/S3Error.js';
import { jsonResponse } from '../../lifecycle/tessera/jsonResponse.js';
import { s3Arn, type Operation } from '../../Operation.js';

/** The query parameter of Tessera's tag tools: `?tessera-tags=objects`. */
export const TAGS_TOOL_PARAM = 'tessera-tags';
const DEFAULT_MAX_KEYS = 1000;

function required(value: string | undefined, name: string): string {
  if (value === undefined || value === '') {
    throw new S3Error('InvalidArgument', { message: `${name} is required`, details: { ArgumentName: name, ArgumentValue: value ?? '' } });
  }
  return value;
}

/**
 * Tessera's own (not an AWS operation): GET /{Bucket}?tessera-tags=objects&tag-key=K&tag-value=V[&prefix=P][&after=A]
 * [&max-keys=N] — the current objects carrying the tag K=V, through the tag index, as JSON
 * `{ "objects": [{ key, versionId, size, lastModified, storageClass, tags }], "next"?: A }`. The console's tag filter.
 * Needs s3:ListBucket, like the listing it narrows.
 */
export const ListTaggedObjects: Operation<'bucket'> = {
  name: 'TesseraListTaggedObjects',
  route: { method: 'GET', target: 'bucket', queryValues: { [TAGS_TOOL_PARAM]: 'objects' } },
  actions: (request) => [{ action: 's3:ListBucket', resource: s3Arn(request.bucket ?? '') }],
  async handle(ctx) {
    const q = ctx.request.query;
    const key = required(q.get('tag-key'), 'tag-key');
    const value = q.get('tag-value') ?? '';
    const maxText = q.get('max-keys');
    const maxKeys = maxText === undefined ? DEFAULT_MAX_KEYS : /^\d{1,4}$/.test(maxText) ? Number(maxText) : Number.NaN;
    if (!(maxKeys >= 1 && maxKeys <= DEFAULT_MAX_KEYS)) {
      throw new S3Error('InvalidArgument', { message: `max-keys must be a whole number from 1 to ${DEFAULT_MAX_KEYS}`, details: { ArgumentName: 'max-keys', ArgumentValue: maxText ?? '' } });
    }
    const after = q.get('after');
    if (after !== undefined && !/^\d{1,20}$/.test(after)) {
      throw new S3Error('InvalidArgument', { message: 'after must be a position returned as next', details: { ArgumentName: 'after', ArgumentValue: after } });
    }
    const page = await ctx.services.taggedObjects.list(ctx.bucket.name, {
      tag: { key, value },
      prefix: q.get('prefix') ?? '',
      maxKeys,
      ...(after !== undefined ? { after } : {}),
    });
    return jsonResponse(page);
  },
};
