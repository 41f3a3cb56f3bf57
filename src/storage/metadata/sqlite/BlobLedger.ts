import type { Database, Statement } from 'better-sqlite3';
import type { BlobSegment } from '../../../core/objects/ObjectVersion.js';

/**
 * Who holds which blob, and the outbox of released blobs.
 *
 * `version_blobs` indexes the blobs of every version (parts keep their blob in `parts.blob_id`), so "is this blob
 * referenced?" is a lookup. Releasing a blob moves it into `released_blobs` in the caller's transaction; the blob
 * reaper deletes the bytes and then forgets the row.
 */
export class BlobLedger {
  private readonly addVersionBlob: Statement<[string, number]>;
  private readonly dropVersionBlob: Statement<[string]>;
  private readonly addReleased: Statement<[string, number]>;
  private readonly selectReleased: Statement<[number], string>;
  private readonly deleteReleased: Statement<[string]>;
  private readonly versionHolds: Statement<[string], number>;
  private readonly partHolds: Statement<[string], number>;

  constructor(db: Database, private readonly now: () => number = Date.now) {
    this.addVersionBlob = db.prepare('INSERT INTO version_blobs (blob_id, version_row) VALUES (?, ?)');
    this.dropVersionBlob = db.prepare('DELETE FROM version_blobs WHERE blob_id = ?');
    this.addReleased = db.prepare('INSERT INTO released_blobs (blob_id, released_at) VALUES (?, ?) ON CONFLICT (blob_id) DO NOTHING');
    this.selectReleased = db.prepare<[number], string>('SELECT blob_id FROM released_blobs LIMIT ?').pluck();
    this.deleteReleased = db.prepare('DELETE FROM released_blobs WHERE blob_id = ?');
    this.versionHolds = db.prepare<[string], number>('SELECT 1 FROM version_blobs WHERE blob_id = ?').pluck();
    this.partHolds = db.prepare<[string], number>('SELECT 1 FROM parts WHERE blob_id = ?').pluck();
  }

  /** Record that a new version holds these segments. */
  holdForVersion(versionRow: number, segments: readonly BlobSegment[]): void {
    for (const segment of segments) this.addVersionBlob.run(segment.blobId, versionRow);
  }

  /** A version is gone: its segments go to the outbox. */
  releaseVersionSegments(segments: readonly BlobSegment[]): void {
    const at = this.now();
    for (const segment of segments) {
      this.dropVersionBlob.run(segment.blobId);
      this.addReleased.run(segment.blobId, at);
    }
  }

  /** Blobs no row holds any more (replaced or unused parts) go to the outbox. */
  release(blobIds: readonly string[]): void {
    const at = this.now();
    for (const blobId of blobIds) this.addReleased.run(blobId, at);
  }

  take(limit: number): string[] {
    return this.selectReleased.all(limit);
  }

  forget(blobIds: readonly string[]): void {
    for (const blobId of blobIds) this.deleteReleased.run(blobId);
  }

  isReferenced(blobId: string): boolean {
    return this.versionHolds.get(blobId) !== undefined || this.partHolds.get(blobId) !== undefined;
  }
}
