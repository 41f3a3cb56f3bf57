import type { AnyOperation } from '../Operation.js';
import { DeleteBucketPolicy } from './DeleteBucketPolicy.js';
import { GetBucketPolicy } from './GetBucketPolicy.js';
import { GetBucketPolicyStatus } from './GetBucketPolicyStatus.js';
import { PutBucketPolicy } from './PutBucketPolicy.js';

/** The bucket-policy operations, one file each (docs/access-control.md). */
export const policyOperations: readonly AnyOperation[] = [PutBucketPolicy, GetBucketPolicy, DeleteBucketPolicy, GetBucketPolicyStatus];
