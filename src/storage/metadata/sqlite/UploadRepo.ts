import type { Database, Statement } from 'better-sqlite3';
import type { MultipartUpload, UploadPart } from '../../../core/objects/MultipartUpload.js';
import { compareUtf8, listingLowerBound, prefixUpperBound } from '../../../core/keys/keyOrder.js';
import type { BlobLedger } from './BlobLedger.js';
import { PART_COLUMNS, UPLOAD_COLUMNS, partParams, toPart, toUpload, uploadParams, type PartRow, type UploadRow } from '../rows/uploadRows.js';

const UPLOAD_ORDER = 'ORDER BY key, initiated, upload_id';

type RangeStatements = Record<'from' | 'fromTo', Record<'inclusive' | 'exclusive', Statement<unknown[], UploadRow>>>;

/** Multipart uploads and their parts. Parts hold their blob directly (parts.blob_id). */
export class UploadRepo {
  private readonly insertUpload: Statement<unknown[]>;
  private readonly selectUpload: Statement<[string], UploadRow>;
  private readonly deleteUpload: Statement<[string]>;
  private readonly selectPart: Statement<[string, number], PartRow>;
  private readonly upsertPart: Statement<unknown[]>;
  private readonly selectParts: Statement<[string, number, number], PartRow>;
  private readonly selectPartBlobs: Statement<[string], string>;
  private readonly anyInBucket: Statement<[string], number>;
  private readonly uploadIdsInBucket: Statement<[string], string>;
  private readonly insertCompletion: Statement<[string, string, string, string, number]>;
  private readonly selectCompletion: Statement<[string, string, string], string>;
  private readonly pruneCompletions: Statement<[number]>;
  private readonly sameKeyAfter: Statement<[string, string, number, string, number], UploadRow>;
  private readonly range: RangeStatements;

  constructor(
    db: Database,
    private readonly ledger: BlobLedger,
  ) {
    this.insertUpload = db.prepare(`INSERT INTO uploads (${UPLOAD_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.selectUpload = db.prepare(`SELECT ${UPLOAD_COLUMNS} FROM uploads WHERE upload_id = ?`);
    this.deleteUpload = db.prepare('DELETE FROM uploads WHERE upload_id = ?');
    this.selectPart = db.prepare(`SELECT ${PART_COLUMNS} FROM parts WHERE upload_id = ? AND part_number = ?`);
    this.upsertPart = db.prepare(`INSERT INTO parts (${PART_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (upload_id, part_number) DO UPDATE SET size = excluded.size, etag = excluded.etag,
        last_modified = excluded.last_modified, blob_id = excluded.blob_id, blob_size = excluded.blob_size,
        checksum = excluded.checksum`);
    this.selectParts = db.prepare(
      `SELECT ${PART_COLUMNS} FROM parts WHERE upload_id = ? AND part_number > ? ORDER BY part_number LIMIT ?`,
    );
    this.selectPartBlobs = db.prepare<[string], string>('SELECT blob_id FROM parts WHERE upload_id = ?').pluck();
    this.anyInBucket = db.prepare<[string], number>('SELECT 1 FROM uploads WHERE bucket = ? LIMIT 1').pluck();
    this.uploadIdsInBucket = db.prepare<[string], string>('SELECT upload_id FROM uploads WHERE bucket = ?').pluck();
    this.insertCompletion = db.prepare(
      'INSERT OR REPLACE INTO completed_uploads (upload_id, bucket, key, version_id, completed_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.selectCompletion = db
      .prepare<[string, string, string], string>('SELECT version_id FROM completed_uploads WHERE upload_id = ? AND bucket = ? AND key = ?')
      .pluck();
    this.pruneCompletions = db.prepare('DELETE FROM completed_uploads WHERE completed_at < ?');
    this.sameKeyAfter = db.prepare(`SELECT ${UPLOAD_COLUMNS} FROM uploads
      WHERE bucket = ? AND key = ? AND (initiated, upload_id) > (?, ?) ORDER BY initiated, upload_id LIMIT ?`);
    const make = (lower: string, upper: string): Statement<unknown[], UploadRow> =>
      db.prepare(
        `SELECT ${UPLOAD_COLUMNS} FROM uploads WHERE bucket = ? AND key ${lower} ? ${upper} ${UPLOAD_ORDER} LIMIT ?`,
      );
    this.range = {
      from: { inclusive: make('>=', ''), exclusive: make('>', '') },
      fromTo: { inclusive: make('>=', 'AND key < ?'), exclusive: make('>', 'AND key < ?') },
    };
  }

  create(upload: MultipartUpload): void {
    this.insertUpload.run(...uploadParams(upload));
  }

  get(uploadId: string): MultipartUpload | undefined {
    const row = this.selectUpload.get(uploadId);
    return row === undefined ? undefined : toUpload(row);
  }

  bucketHasUploads(bucket: string): boolean {
    return this.anyInBucket.get(bucket) !== undefined;
  }

  /** Remember a completion (for retried completions), forgetting those older than `keepMs`. */
  recordCompletion(uploadId: string, bucket: string, key: string, versionId: string, at: number, keepMs: number): void {
    this.pruneCompletions.run(at - keepMs);
    this.insertCompletion.run(uploadId, bucket, key, versionId, at);
  }

  /** The version id a remembered completion produced. */
  completion(bucket: string, key: string, uploadId: string): string | undefined {
    return this.selectCompletion.get(uploadId, bucket, key);
  }

  /** Abort every upload of a bucket (its parts are released). */
  removeAllInBucket(bucket: string): void {
    for (const uploadId of this.uploadIdsInBucket.all(bucket)) this.remove(uploadId);
  }

  putPart(part: UploadPart): 'ok' | 'no-upload' {
    if (this.selectUpload.get(part.uploadId) === undefined) return 'no-upload';
    const previous = this.selectPart.get(part.uploadId, part.partNumber);
    if (previous !== undefined && previous.blob_id !== part.segment.blobId) this.ledger.release([previous.blob_id]);
    this.upsertPart.run(...partParams(part));
    return 'ok';
  }

  listParts(uploadId: string, afterPartNumber: number, limit: number): UploadPart[] {
    if (limit <= 0) return [];
    return this.selectParts.all(uploadId, afterPartNumber, limit).map(toPart);
  }

  /**
   * Uploads ordered by key, then initiation time (upload id breaks ties), after the ListMultipartUploads position:
   * no keyMarker → from the start; keyMarker alone → keys after it; keyMarker + uploadIdMarker → that key's uploads
   * initiated after the marker upload, then later keys. If the marker upload no longer exists (completed or aborted
   * since the previous page), the marker key's remaining uploads are all listed again rather than risk skipping any.
   */
  list(
    bucket: string,
    prefix: string,
    keyMarker: string | undefined,
    uploadIdMarker: string | undefined,
    limit: number,
  ): MultipartUpload[] {
    if (limit <= 0) return [];
    const rows: UploadRow[] = [];
    let lower = listingLowerBound(prefix, keyMarker);
    if (keyMarker !== undefined && uploadIdMarker !== undefined && keyMarker.startsWith(prefix)) {
      const marker = this.selectUpload.get(uploadIdMarker);
      if (marker !== undefined && marker.bucket === bucket && marker.key === keyMarker) {
        rows.push(...this.sameKeyAfter.all(bucket, keyMarker, marker.initiated, marker.upload_id, limit));
      } else {
        lower = { value: keyMarker, inclusive: true };
      }
    }
    if (rows.length < limit) rows.push(...this.rangeQuery(bucket, lower, prefixUpperBound(prefix), limit - rows.length));
    return rows.map(toUpload);
  }

  /** Remove the upload and its parts; release the parts' blobs except `keep`. False when there was no upload. */
  remove(uploadId: string, keep: ReadonlySet<string> = new Set()): boolean {
    const blobs = this.selectPartBlobs.all(uploadId);
    if (this.deleteUpload.run(uploadId).changes === 0) return false; // parts go by ON DELETE CASCADE
    this.ledger.release(blobs.filter((blobId) => !keep.has(blobId)));
    return true;
  }

  private rangeQuery(
    bucket: string,
    lower: { value: string; inclusive: boolean },
    upper: string | undefined,
    limit: number,
  ): UploadRow[] {
    const side = lower.inclusive ? 'inclusive' : 'exclusive';
    if (upper === undefined) return this.range.from[side].all(bucket, lower.value, limit);
    if (compareUtf8(lower.value, upper) >= 0) return [];
    return this.range.fromTo[side].all(bucket, lower.value, upper, limit);
  }
}
