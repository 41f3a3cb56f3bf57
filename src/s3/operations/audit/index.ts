import type { AnyOperation } from '../Operation.js';
import { DeleteBucketAuditConfiguration } from './DeleteBucketAuditConfiguration.js';
import { GetBucketAuditConfiguration } from './GetBucketAuditConfiguration.js';
import { PutBucketAuditConfiguration } from './PutBucketAuditConfiguration.js';

/** Tessera's bucket audit configuration (`tessera audit`, docs/audit-log.md). */
export const auditOperations: readonly AnyOperation[] = [PutBucketAuditConfiguration, GetBucketAuditConfiguration, DeleteBucketAuditConfiguration];
