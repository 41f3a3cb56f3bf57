import type { LifecycleConfiguration } from '../lifecycle/LifecycleRule.js';
import type { PassCursor, PassRecord } from '../lifecycle/PassRecord.js';
import type { TransitionMinimumSize } from '../lifecycle/transitionMinimumSize.js';
import type { BlobSegment, NewObjectVersion } from '../objects/ObjectVersion.js';
import type { Tag } from '../tags/Tag.js';

/** A bucket's lifecycle configuration as stored, with the header PutBucketLifecycleConfiguration was sent with. */
export interface StoredLifecycle {
  readonly configuration: LifecycleConfiguration;
  readonly transitionMinimumSize: TransitionMinimumSize;
}

/** One version of a key, as a lifecycle pass reads it. */
export interface LifecycleVersion {
  readonly versionId: string;
  /** Store-wide write order: a guarded write acts only if the version still has it (see LifecycleWrite). */
  readonly seq: number;
  readonly isLatest: boolean;
  readonly isDeleteMarker: boolean;
  readonly lastModified: Date;
  readonly size: number;
  readonly storageClass: string;
  readonly segments: readonly BlobSegment[];
  readonly tags: readonly Tag[];
}

/** A key with its whole version stack, newest first. */
export interface LifecycleKey {
  readonly key: string;
  readonly versions: readonly LifecycleVersion[];
  /** The versions the scan found (a tag scan finds tagged versions only); undefined: all of them. */
  readonly found?: readonly string[];
}

/** One page of a scan, and where the next page starts (undefined: the scan is done). */
export interface ScanPage<T> {
  readonly items: readonly T[];
  readonly next?: string;
}

export interface LifecycleUpload {
  readonly uploadId: string;
  readonly key: string;
  readonly initiated: Date;
}

/** What a write of a pass is for: the rule that took it and what the pass record counts. */
export interface WriteReason {
  readonly ruleId: string;
  /** The action, as pass records name it (expire, expire-noncurrent, remove-delete-marker, transition, abort-upload). */
  readonly action: string;
  /** Bytes the action affected (the version's size). */
  readonly bytes: number;
}

/**
 * What a pass changes. Each write is guarded: it applies only if the version (or upload) is still as the pass read
 * it (same seq), so a write that raced the pass (an overwrite, a delete) is never undone, and replaying a unit after a
 * crash cannot act twice. A write whose guard fails is skipped and reported as 'stale'.
 */
export type LifecycleWrite = WriteReason &
  (
    | { readonly kind: 'deleteVersion'; readonly key: string; readonly versionId: string; readonly seq: number }
    | {
        readonly kind: 'addDeleteMarker';
        readonly key: string;
        /** The seq of the current version the marker goes on top of. */
        readonly latestSeq: number;
        readonly marker: NewObjectVersion;
        readonly replaceNull: boolean;
      }
    | {
        readonly kind: 'transition';
        readonly key: string;
        readonly versionId: string;
        readonly seq: number;
        /** The storage class the pass read: the guard (a transition keeps the seq, and must not be applied twice). */
        readonly fromStorageClass: string;
        readonly storageClass: string;
        /** The version's bytes in their new place; undefined: they stay where they are. */
        readonly segments?: readonly BlobSegment[];
      }
    | { readonly kind: 'abortUpload'; readonly uploadId: string; readonly key: string }
  );

export type WriteOutcome = 'done' | 'stale';

/** A unit of a pass: its writes and the cursor after it, committed together with the pass record's tally. */
export interface PassUnit {
  readonly cursor: PassCursor;
  readonly writes: readonly LifecycleWrite[];
  readonly errors?: readonly string[];
}

/** A restore of an archived version (RestoreObject): readable until `expiry`. */
export interface RestoreRecord {
  readonly requestedAt: Date;
  readonly expiry: Date;
}

/**
 * Lifecycle configurations, the reads and guarded writes of lifecycle passes, pass records and their durable
 * cursors, and restores. Every backend runs the contract suite in test/storage/lifecycleContract.ts.
 */
export interface LifecycleStore {
  getLifecycle(bucket: string): Promise<StoredLifecycle | undefined>;
  putLifecycle(bucket: string, stored: StoredLifecycle): Promise<'ok' | 'missing'>;
  deleteLifecycle(bucket: string): Promise<'ok' | 'missing'>;
  /** Buckets that have a lifecycle configuration, by name. */
  bucketsWithLifecycle(): Promise<string[]>;

  /** Keys starting with prefix, after `after` (a position from an earlier page), whole stacks, in key order. */
  scanKeys(bucket: string, query: { prefix: string; after?: string; limit: number }): Promise<ScanPage<LifecycleKey>>;
  /**
   * The versions tagged `tag` whose key starts with prefix, through the tag index (its cost follows the tagged
   * versions, not the bucket), each with its key's whole stack; `found` names the tagged versions.
   */
  scanTagged(bucket: string, query: { tag: Tag; prefix: string; after?: string; limit: number }): Promise<ScanPage<LifecycleKey>>;
  /** Multipart uploads in progress whose key starts with prefix. */
  scanUploads(bucket: string, query: { prefix: string; after?: string; limit: number }): Promise<ScanPage<LifecycleUpload>>;

  /** The bucket's unfinished pass (after a crash), or a new one evaluating at `now`. */
  startPass(bucket: string, now: Date, trigger: string): Promise<PassRecord>;
  /** Apply a unit's writes, advance the cursor and count the writes done in the pass record (countInto), in one transaction. */
  commitUnit(passId: number, unit: PassUnit): Promise<WriteOutcome[]>;
  finishPass(passId: number, finishedAt: Date): Promise<void>;
  /** The bucket's passes, newest first. */
  listPasses(bucket: string, limit: number): Promise<PassRecord[]>;

  getRestore(bucket: string, key: string, versionId: string): Promise<RestoreRecord | undefined>;
  putRestore(bucket: string, key: string, versionId: string, restore: RestoreRecord): Promise<'ok' | 'missing'>;
}
