import type { Bucket } from '../../../core/buckets/Bucket.js';
import type { Principal } from '../../../core/identity/Principal.js';
import { S3Error } from '../../../errors/S3Error.js';

/**
 * The bucket policy is managed only from the bucket owner's account: AWS answers 405 MethodNotAllowed to an identity
 * of another account that a policy would otherwise allow.
 */
export function requireOwnerAccount(bucket: Bucket, principal: Principal): Bucket {
  if (principal.kind !== 'user' || principal.accountId !== bucket.ownerAccountId) {
    throw new S3Error('MethodNotAllowed', { details: { Method: 'PUT', ResourceType: 'BUCKETPOLICY' } });
  }
  return bucket;
}
