import type { BatchTagOutcome } from '../../../../core/ports/JobStore.js';
import type { ObjectTagSet } from '../../../../core/tags/TagSet.js';
import { AccessRepo } from '../AccessRepo.js';
import { BlobLedger } from '../BlobLedger.js';
import type { SqliteDatabase } from '../SqliteDatabase.js';
import { VersionRepo } from '../VersionRepo.js';

/**
 * A batch job unit's tag writes on the shared SQLite connection, with PutObjectTagging's rules (the latest version
 * when versionId is undefined), for SqliteJobStore.commitUnit: call it only inside a write of the database's group
 * commit. It takes only a validated object TagSet and reads no more of the version than the write needs.
 */
export class SqliteBatchTagWriter {
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
