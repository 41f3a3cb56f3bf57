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

  constructor(database: SqliteDatabase) {
    this.versions = new VersionRepo(database.db, new BlobLedger(database.db), new AccessRepo(database.db));
  }

  replaceTags(bucket: string, key: string, versionId: string | undefined, tags: ObjectTagSet): BatchTagOutcome {
    const target = this.versions.findTagTarget(bucket, key, versionId);
    if (target === undefined) return 'missing';
    if (target.is_delete_marker === 1) return 'delete-marker';
    this.versions.replaceTagsOfRow(target.id, tags, target.tag_count);
    return 'ok';
  }
}
