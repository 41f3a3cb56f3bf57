import type { AnyOperation } from './Operation.js';
import { aclOperations } from './acl/index.js';
import { bucketOperations } from './bucket/index.js';
import { lifecycleOperations } from './lifecycle/index.js';
import { metricsOperations } from './metrics/index.js';
import { replicationOperations } from './replication/index.js';
import { notificationOperations } from './notifications/index.js';
import { multipartOperations } from './multipart/index.js';
import { objectOperations } from './object/index.js';
import { policyOperations } from './policy/index.js';
import { taggingOperations } from './tagging/index.js';
import { auditOperations } from './audit/index.js';
import { statsOperations } from './stats/index.js';

/** Every S3 operation Tessera serves: the routing table (see router/resolve.ts). */
export const s3Operations: readonly AnyOperation[] = [
  ...bucketOperations,
  ...objectOperations,
  ...multipartOperations,
  ...taggingOperations,
  ...aclOperations,
  ...policyOperations,
  ...lifecycleOperations,
  ...replicationOperations,
  ...notificationOperations,
  ...metricsOperations,
  ...auditOperations,
  ...statsOperations,
];
