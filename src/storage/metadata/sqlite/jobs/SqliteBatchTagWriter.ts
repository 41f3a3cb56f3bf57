import type { BatchTagOutcome, TagWriteTarget } from '../../../../core/ports/JobStore.js';
import type { ObjectTagSet } from '../../../../core/tags/TagSet.js';
import { AccessRepo } from '../AccessRepo.js';
import { BlobLedger } from '../BlobLedger.js';
import type { SqliteDatabase } from '../SqliteDatabase.js';
import { VersionRepo, type TagTarget } from '../VersionRepo.js';

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
 * Each call looks its targets up at once (one statement per bucket; their outcomes are the lookups') and queues the
 * tag writes; the queue is applied when the write's work returns (GroupCommit.atEndOfWrite, still inside the write's savepoint) by
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

  /**
   * Replace the tags of every target, in order (their outcomes in the same order), the lookups made a bucket at a
   * time in one statement each (VersionRepo.findTagTargets) instead of one per target.
   */
  replaceTagsOfTargets(targets: readonly TagWriteTarget[], tags: ObjectTagSet): BatchTagOutcome[] {
    this.applyOtherTagSet(tags);
    // the targets' indices by bucket and by whether they name a version: one lookup each
    const groups = new Map<string, { bucket: string; versioned: boolean; indices: number[] }>();
    for (let i = 0; i < targets.length; i++) {
      const t = targets[i]!;
      const versioned = t.versionId !== undefined;
      const name = `${versioned ? 'v' : 'l'}/${t.bucket}`;
      let group = groups.get(name);
      if (group === undefined) groups.set(name, (group = { bucket: t.bucket, versioned, indices: [] }));
      group.indices.push(i);
    }
    const found: (TagTarget | undefined)[] = new Array<TagTarget | undefined>(targets.length);
    for (const { bucket, versioned, indices } of groups.values()) {
      const keys = indices.map((i) => targets[i]!.key);
      const versionIds = versioned ? indices.map((i) => targets[i]!.versionId!) : undefined;
      const rows = this.versions.findTagTargets(bucket, keys, versionIds);
      for (let j = 0; j < indices.length; j++) found[indices[j]!] = rows[j];
    }
    return targets.map((t, i) => this.write(t.bucket, found[i], tags));
  }

  /** A tag set other than the queued one's: apply what is queued first, so later lookups see it (their tag_count). */
  private applyOtherTagSet(tags: ObjectTagSet): void {
    const queued = this.queued;
    if (queued !== undefined && queued.write === this.database.commits.currentWrite && queued.tags !== tags) this.apply();
  }

  /** The write of `tags` to the version found (queued inside a write of the group commit, else made at once). */
  private write(bucket: string, target: TagTarget | undefined, tags: ObjectTagSet): BatchTagOutcome {
    if (target === undefined) return 'missing';
    if (target.is_delete_marker === 1) return 'delete-marker';
    const write = this.database.commits.currentWrite;
    if (write === undefined) {
      this.versions.replaceTagsOfRow(target.id, tags, target.tag_count, this.isFollowed(bucket));
      return 'ok';
    }
    let queued = this.queued;
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
