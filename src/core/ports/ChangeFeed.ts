/** One change of a followed bucket, as the change outbox holds it (see migration 008). */
export interface Change {
  /** The order of changes in the store: every consumer handles a bucket's changes in this order. */
  readonly seq: number;
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string;
  readonly kind: 'put' | 'delete-marker' | 'tags' | 'delete-version';
  /** The S3 event type of the change (`s3:ObjectCreated:Put`, `s3:ObjectTagging:Delete`, `s3:LifecycleExpiration:Delete`…). */
  readonly event: string;
  /** The version's size and ETag when the change was logged (none for a removal). */
  readonly size?: number;
  readonly etag?: string;
  readonly at: Date;
}

/**
 * The change feed that replication (and, next, event notifications) consume: every change to a followed bucket's
 * versions and tags, written by the store in the same transaction as the change, and a durable cursor per consumer and
 * bucket. Every backend runs the contract suite in test/storage/changeFeedContract.ts.
 */
export interface ChangeFeed {
  /** Start logging the bucket's changes for `consumer`, from now on. 'missing' when there is no such bucket. */
  follow(bucket: string, consumer: string): Promise<'ok' | 'missing'>;
  /** Stop: the consumer's cursor and the changes no other consumer still needs go. */
  unfollow(bucket: string, consumer: string): Promise<void>;
  /** The buckets `consumer` follows. */
  followed(consumer: string): Promise<string[]>;
  /** The changes after the consumer's cursor, oldest first. */
  pending(consumer: string, bucket: string, limit: number): Promise<Change[]>;
  /** Move the consumer's cursor past `seq` (and drop the changes every follower has passed). */
  advance(consumer: string, bucket: string, seq: number): Promise<void>;
  /** How many changes wait for the consumer, and since when. */
  backlog(consumer: string, bucket: string): Promise<{ readonly count: number; readonly oldest?: Date }>;
}
