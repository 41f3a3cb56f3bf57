import type { BatchTagOutcome, BatchTagWriter } from '../../../../core/ports/BatchTagWriter.js';
import type { ObjectTagSet } from '../../../../core/tags/TagSet.js';
import { AccessRepo } from '../AccessRepo.js';
import { BlobLedger } from '../BlobLedger.js';
import type { SqliteDatabase } from '../SqliteDatabase.js';
import { VersionRepo } from '../VersionRepo.js';

/**
 * BatchTagWriter on the shared SQLite connection: call it only inside a write of the database's group commit
 * (SqliteJobStore.commitUnit runs a unit's tasks that way). It reads no more of the version than the write needs.
 */
export class SqliteBatchTagWriter implements BatchTagWriter {
  private readonly versions: VersionRepo;
  /** Whether each bucket is followed (change outbox), asked once per transaction: a unit's tasks share one. */
  private followed = new Map<string, boolean>();
  private followedGeneration = -1;

  constructor(private readonly database: SqliteDatabase) {
    this.versions = new VersionRepo(database.db, new BlobLedger(database.db), new AccessRepo(database.db));
  }

  replaceTags(bucket: string, key: string, versionId: string | undefined, tags: ObjectTagSet): BatchTagOutcome {
    const target = this.versions.findTagTarget(bucket, key, versionId);
    if (target === undefined) return 'missing';
    if (target.is_delete_marker === 1) return 'delete-marker';
    this.versions.replaceTagsOfRow(target.id, tags, target.tag_count, this.isFollowed(bucket));
    return 'ok';
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
