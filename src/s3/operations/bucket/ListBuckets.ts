import { encodeContinuationToken, positionFromToken } from '../../../core/objects/listing/continuationToken.js';
import { S3Error } from '../../../errors/S3Error.js';
import { renderListAllMyBucketsResult } from '../../xml/shapes/ListAllMyBucketsResult.js';
import type { Operation } from '../Operation.js';

/** The page size AWS uses when none is given (and the largest one may ask for). */
const MAX_BUCKETS = 10000;

function parseMaxBuckets(raw: string | undefined): number {
  if (raw === undefined) return MAX_BUCKETS;
  const n = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_BUCKETS) {
    throw new S3Error('InvalidArgument', { message: `Argument max-buckets must be an integer between 1 and ${MAX_BUCKETS}`, details: {
      ArgumentName: 'max-buckets',
      ArgumentValue: raw,
    } });
  }
  return n;
}

/**
 * GET /: the caller's account's buckets in name order, with the account as Owner. Supports the paginated form
 * (max-buckets, continuation-token, prefix, bucket-region); a ContinuationToken is returned only when more follow.
 */
export const ListBuckets: Operation<'service'> = {
  name: 'ListBuckets',
  route: { method: 'GET', target: 'service' },
  actions: () => [{ action: 's3:ListAllMyBuckets', resource: 'arn:aws:s3:::*' }],
  async handle(ctx) {
    const principal = ctx.principal;
    if (principal.kind !== 'user') throw new S3Error('AccessDenied');
    const query = ctx.request.query;
    const limit = parseMaxBuckets(query.get('max-buckets'));
    const token = query.get('continuation-token');
    const prefix = query.get('prefix');
    const region = query.get('bucket-region');
    const after = token === undefined || token === '' ? undefined : positionFromToken('buckets', token);
    const page = await ctx.services.buckets.listOwned(principal.accountId, {
      limit,
      ...(prefix !== undefined && prefix !== '' ? { prefix } : {}),
      ...(after !== undefined ? { after } : {}),
      ...(region !== undefined && region !== '' ? { region } : {}),
    });
    const last = page.buckets[page.buckets.length - 1];
    return {
      status: 200,
      body: renderListAllMyBucketsResult({
        buckets: page.buckets.map((b) => ({ name: b.name, createdAt: b.createdAt, region: b.region })),
        owner: { id: principal.canonicalId, displayName: principal.displayName },
        ...(page.isTruncated && last !== undefined ? { continuationToken: encodeContinuationToken('buckets', last.name) } : {}),
        ...(prefix !== undefined ? { prefix } : {}),
      }),
    };
  },
};
