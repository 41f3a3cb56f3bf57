import type { BatchTagOutcome } from '../../../../core/ports/JobStore.js';
import type { ObjectTagSet } from '../../../../core/tags/TagSet.js';
import { AccessRepo } from '../AccessRepo.js';
import { BlobLedger } from '../BlobLedger.js';
import type { SqliteDatabase } from '../SqliteDatabase.js';
import { VersionRepo } from '../VersionRepo.js';

/** The tag writes queued in one write of the group commit, all with one tag set (see SqliteBatchTagWriter). */
interface QueuedWrites {
  /** GroupCommit.currentWrite when they were queued: a queue of another write is void (that write threw). */
  readonly write: number;
  readonly tags: ObjectTagSet;
  /** Every row queued, once each. */
  readonly rows: Set<number>;
  readonly untagged: number[];
  readonly tagged: number[];
  /** Rows of followed buckets, in write order, once per write of the row (each write is a change of the feed). */
  readonly logged: number[];
}

/**
 * A batch job unit's tag writes on the shared SQLite connection, with PutObjectTagging's rules (the latest version
 * when versionId is undefined), for SqliteJobStore.commitUnit: call it only inside a write of the database's group
 * commit. It takes only a validated object TagSet and reads no more of the version than the write needs.
 *
 * Each call looks its version up at once (its outcome is the lookup's) and queues the tag write; the queue is applied
 * when the write's work returns (GroupCommit.atEndOfWrite, still inside the write's savepoint) by
 * VersionRepo.replaceTagsOfRows, a few set-based statements for the whole unit instead of one or more statements per
 * object (see there why that matters). A call with another tag set applies the queue first, so writes keep their order.
 * Outside a write (no group commit write running) each call is applied at once.
 */
export class SqliteBatchTagWriter {
  private readonly versions: VersionRepo;
  /** Whether each bucket is followed (change outbox), asked once per transaction: a unit's tasks share one. */
  private followed = new Map<string, boolean>();
  private followedGeneration = -1;
  private queued: QueuedWrites | undefined;

  constructor(private readonly database: SqliteDatabase) {
    this.versions = new VersionRepo(database.db, new BlobLedger(database.db), new AccessRepo(database.db));
  }

  replaceTags(bucket: string, key: string, versionId: string | undefined, tags: ObjectTagSet): BatchTagOutcome {
    const write = this.database.commits.currentWrite;
    let queued = this.queued;
    if (queued !== undefined && queued.write === write && queued.tags !== tags) {
      // another tag set: what is queued is applied first, so this write's lookup sees it (its tag_count)
      this.apply();
      queued = undefined;
    }
    const target = this.versions.findTagTarget(bucket, key, versionId);
    if (target === undefined) return 'missing';
    if (target.is_delete_marker === 1) return 'delete-marker';
    if (write === undefined) {
      this.versions.replaceTagsOfRow(target.id, tags, target.tag_count, this.isFollowed(bucket));
      return 'ok';
    }
    if (queued === undefined || queued.write !== write) {
      queued = { write, tags, rows: new Set(), untagged: [], tagged: [], logged: [] };
      this.queued = queued;
      this.database.commits.atEndOfWrite(() => this.apply());
    }
    if (!queued.rows.has(target.id)) {
      // a row already queued is written once: the second write of the same tag set changes nothing more
      queued.rows.add(target.id);
      (target.tag_count === 0 ? queued.untagged : queued.tagged).push(target.id);
    }
    if (this.isFollowed(bucket)) queued.logged.push(target.id);
    return 'ok';
  }

  /** Apply the queue of the running write (at its end, or before a write with another tag set). */
  private apply(): void {
    const queued = this.queued;
    if (queued === undefined || queued.write !== this.database.commits.currentWrite) return;
    this.queued = undefined;
    this.versions.replaceTagsOfRows(queued.untagged, queued.tagged, queued.tags, queued.logged);
  }

  private isFollowed(bucket: string): boolean {
    const generation = this.database.commits.generation;
    if (generation !== this.followedGeneration) {
      this.followed = new Map();
      this.followedGeneration = generation;
    }
    let followed = this.followed.get(bucket);
    if (followed === undefined) {
      followed = this.versions.bucketFollowed(bucket);
      this.followed.set(bucket, followed);
    }
    return followed;
  }
}
