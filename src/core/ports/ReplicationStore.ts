import type { ReplicationConfiguration } from '../replication/ReplicationRule.js';
import type { Change } from './ChangeFeed.js';

/** A version's replication status beyond PENDING (which is any version a rule covers and nothing recorded yet). */
export type RecordedReplicationStatus = 'COMPLETED' | 'FAILED' | 'REPLICA';

/** A change replication could not deliver (yet): how often it was tried, the last error, when it is tried again. */
export interface ReplicationFailure {
  readonly seq: number;
  readonly bucket: string;
  readonly attempts: number;
  readonly lastError: string;
  readonly lastAt: Date;
  readonly nextAt: Date;
}

/**
 * Bucket replication's state: configurations (storing one follows the bucket's change feed, in the same transaction),
 * the recorded status of versions, and delivery failures. The changes themselves come from the ChangeFeed
 * (consumer `replication`). Every backend runs test/storage/replicationContract.ts.
 */
export interface ReplicationStore {
  getReplication(bucket: string): Promise<ReplicationConfiguration | undefined>;
  /** Store the configuration and follow the bucket's changes from now on. */
  putReplication(bucket: string, configuration: ReplicationConfiguration): Promise<'ok' | 'missing'>;
  /** Remove it and stop following (pending changes are dropped). */
  deleteReplication(bucket: string): Promise<'ok' | 'missing'>;
  versionStatus(bucket: string, key: string, versionId: string): Promise<RecordedReplicationStatus | undefined>;
  /** Whether the creation of this version is still waiting in the bucket's replication feed. */
  isPending(bucket: string, key: string, versionId: string): Promise<boolean>;
  /**
   * Changes of one bucket are handled: in one transaction, the replication cursor moves past the last, each version's
   * status is recorded (when given) and each failure record goes — or stays, as final, when the status is FAILED.
   */
  completeChanges(results: readonly { readonly change: Change; readonly status: 'COMPLETED' | 'FAILED' | undefined }[]): Promise<void>;
  /** A delivery attempt failed; returns the number of attempts so far. */
  recordFailure(change: Change, error: string, nextAt: Date): Promise<number>;
  /** The failure record of a change, if any. */
  failureOf(seq: number): Promise<ReplicationFailure | undefined>;
  /**
   * Queue every existing version of a replicated bucket (oldest first per key) as changes, behind those pending:
   * `tessera replication resync`. Returns how many were queued (0 when the bucket is not replicated).
   */
  enqueueExisting(bucket: string): Promise<number>;
  /** The bucket's failures, newest first. */
  failures(bucket: string, limit: number): Promise<ReplicationFailure[]>;
}
