import type { AnyOperation } from '../Operation.js';
import { GetBucketAcl } from './GetBucketAcl.js';
import { GetObjectAcl } from './GetObjectAcl.js';
import { PutBucketAcl } from './PutBucketAcl.js';
import { PutObjectAcl } from './PutObjectAcl.js';

/** The ACL operations, one file each (docs/access-control.md). */
export const aclOperations: readonly AnyOperation[] = [GetBucketAcl, PutBucketAcl, GetObjectAcl, PutObjectAcl];
