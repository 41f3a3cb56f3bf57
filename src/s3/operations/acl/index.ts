import type { Operation } from '../Operation.js';
import { GetBucketAcl } from './GetBucketAcl.js';
import { GetObjectAcl } from './GetObjectAcl.js';
import { PutBucketAcl } from './PutBucketAcl.js';
import { PutObjectAcl } from './PutObjectAcl.js';

/** The ACL operations, one file each (docs/access-control.md). */
export const aclOperations: readonly Operation[] = [GetBucketAcl, PutBucketAcl, GetObjectAcl, PutObjectAcl];
