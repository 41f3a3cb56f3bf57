import { S3Error } from '../errors/S3Error.js';
import type { Authorizer } from './Authorizer.js';

/**
 * The access rule until policies exist: authenticated principals may act on the service (ListBuckets,
 * CreateBucket) and on buckets their account owns; anonymous requests and other accounts are denied.
 */
export const ownerOnlyAuthorizer: Authorizer = {
  authorize({ principal, bucket }) {
    if (principal.kind === 'anonymous') return Promise.reject(new S3Error('AccessDenied'));
    if (bucket !== undefined && bucket.ownerAccountId !== principal.accountId) {
      return Promise.reject(new S3Error('AccessDenied'));
    }
    return Promise.resolve();
  },
};
