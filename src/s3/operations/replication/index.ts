import type { AnyOperation } from '../Operation.js';
import { DeleteBucketReplication } from './DeleteBucketReplication.js';
import { GetBucketReplication } from './GetBucketReplication.js';
import { PutBucketReplication } from './PutBucketReplication.js';
import { ReplicationStatus } from './tessera/ReplicationStatus.js';
import { ReplicationResync } from './tessera/ReplicationResync.js';

/** Bucket replication's configuration, and Tessera's tools (`tessera replication status|resync`). */
export const replicationOperations: readonly AnyOperation[] = [
  PutBucketReplication,
  GetBucketReplication,
  DeleteBucketReplication,
  ReplicationStatus,
  ReplicationResync,
];
