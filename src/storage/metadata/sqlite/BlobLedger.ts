import type { Database, Statement } from 'better-sqlite3';
import type { BlobSegment } from '../../../core/objects/ObjectVersion.js';

/**
 * Who holds which blob, and the outbox of released blobs.
 *
 * `version_blobs` indexes the blobs of every version (parts keep their blob in `parts.blob_id`), so "is this blob
 * referenced?" is a lookup. Releasing a blob moves it into `released_blobs` in the caller's transaction; the blob
 * reaper deletes the bytes and then forgets the row.
 */
/** Bytes of inline blobs kept in memory for repeated reads (hot small objects); least recently read go first. */
const INLINE_CACHE_BYTES = 32 * 1024 * 1024;

export class BlobLedger {
  /**
   * Inline blobs are immutable (an id's bytes never change; the id is deleted with its version), so caching them by id
   * is safe. Only committed rows are cached (filled outside transactions), and a deletion drops the entry. The
   * buffers are shared by every reader and must never be written to.
   */
  private readonly inlineCache = new Map<string, Buffer>();
  private inlineCacheBytes = 0;

  private readonly addVersionBlob: Statement<[string, number]>;
  private readonly dropVersionBlob: Statement<[string]>;
  private readonly addReleased: Statement<[string, number]>;
  private readonly selectReleased: Statement<[number], string>;
  private readonly deleteReleased: Statement<[string]>;
  private readonly versionHolds: Statement<[string], number>;
  private readonly partHolds: Statement<[string], number>;
  private readonly insertInline: Statement<[string, Buffer]>;
  private readonly deleteInline: Statement<[string]>;
  private readonly selectInline: Statement<[string], Buffer>;

  constructor(private readonly db: Database, private readonly now: () => number = Date.now) {
    this.addVersionBlob = db.prepare('INSERT INTO version_blobs (blob_id, version_row) VALUES (?, ?)');
    this.dropVersionBlob = db.prepare('DELETE FROM version_blobs WHERE blob_id = ?');
    this.addReleased = db.prepare('INSERT INTO released_blobs (blob_id, released_at) VALUES (?, ?) ON CONFLICT (blob_id) DO NOTHING');
    this.selectReleased = db.prepare<[number], string>('SELECT blob_id FROM released_blobs LIMIT ?').pluck();
    this.deleteReleased = db.prepare('DELETE FROM released_blobs WHERE blob_id = ?');
    this.versionHolds = db.prepare<[string], number>('SELECT 1 FROM version_blobs WHERE blob_id = ?').pluck();
    this.partHolds = db.prepare<[string], number>('SELECT 1 FROM parts WHERE blob_id = ?').pluck();
    this.insertInline = db.prepare('INSERT INTO inline_blobs (blob_id, data) VALUES (?, ?)');
    this.deleteInline = db.prepare('DELETE FROM inline_blobs WHERE blob_id = ?');
    this.selectInline = db.prepare<[string], Buffer>('SELECT data FROM inline_blobs WHERE blob_id = ?').pluck();
  }

  /**
   * Record that a new version holds these segments. Inline segments get their bytes stored here (from `inlineData`),
   * in the caller's transaction; a missing inline payload is a fault.
   */
  holdForVersion(versionRow: number, segments: readonly BlobSegment[], inlineData?: ReadonlyMap<string, Buffer>): void {
    for (const segment of segments) {
      if (segment.inline === true) {
        const data = inlineData?.get(segment.blobId);
        if (data === undefined || data.length !== segment.size) {
          throw new Error(`inline segment ${segment.blobId} has no bytes of size ${segment.size}`);
        }
        this.insertInline.run(segment.blobId, data);
      } else {
        this.addVersionBlob.run(segment.blobId, versionRow);
      }
    }
  }

  /** A version is gone: its file segments go to the outbox, its inline bytes are deleted at once. */
  releaseVersionSegments(segments: readonly BlobSegment[]): void {
    const at = this.now();
    for (const segment of segments) {
      if (segment.inline === true) {
        this.deleteInline.run(segment.blobId);
        this.forgetCachedInline(segment.blobId);
        continue;
      }
      this.dropVersionBlob.run(segment.blobId);
      this.addReleased.run(segment.blobId, at);
    }
  }

  /** The bytes of an inline blob, or undefined when no version holds it (any more). */
  readInline(blobId: string): Buffer | undefined {
    const cached = this.inlineCache.get(blobId);
    if (cached !== undefined) {
      // most recently read last
      this.inlineCache.delete(blobId);
      this.inlineCache.set(blobId, cached);
      return cached;
    }
    const data = this.selectInline.get(blobId);
    if (data !== undefined && !this.db.inTransaction && data.length <= INLINE_CACHE_BYTES / 64) {
      this.inlineCache.set(blobId, data);
      this.inlineCacheBytes += data.length;
      for (const [oldest, bytes] of this.inlineCache) {
        if (this.inlineCacheBytes <= INLINE_CACHE_BYTES) break;
        this.inlineCache.delete(oldest);
        this.inlineCacheBytes -= bytes.length;
      }
    }
    return data;
  }

  private forgetCachedInline(blobId: string): void {
    const cached = this.inlineCache.get(blobId);
    if (cached === undefined) return;
    this.inlineCache.delete(blobId);
    this.inlineCacheBytes -= cached.length;
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
