import { compareUtf8, listingLowerBound, prefixUpperBound } from '../../../core/keys/keyOrder.js';
import type { AclGrant } from '../../../core/access/AccessControlList.js';
import type { MultipartUpload, UploadPart } from '../../../core/objects/MultipartUpload.js';
import { PART_COLUMNS, UPLOAD_COLUMNS, partParams, toPart, toUpload, uploadParams, type PartRow, type UploadRow } from '../rows/uploadRows.js';
import type { Queryable } from './Queryable.js';

/** Thrown when a part appeared between two statements of putPart (its transaction is run again). */
export class PartRace extends Error {}

/** Multipart uploads and their parts. Parts hold their blob directly (parts.blob_id). */
export class UploadRepo {
  constructor(private readonly now: () => number = Date.now) {}

  /** Create the upload with its ACL, in one statement. */
  async create(sql: Queryable, upload: MultipartUpload, acl: readonly AclGrant[] | undefined): Promise<void> {
    await sql.query(
      `WITH u AS (
         INSERT INTO uploads (${UPLOAD_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING upload_id
       )
       INSERT INTO upload_acls (upload_id, acl) SELECT upload_id, $13::text FROM u WHERE $13::text IS NOT NULL`,
      [...uploadParams(upload), acl === undefined ? null : JSON.stringify(acl)],
      'tessera_upload_create',
    );
  }

  async get(sql: Queryable, uploadId: string): Promise<MultipartUpload | undefined> {
    const result = await sql.query<UploadRow>(`SELECT ${UPLOAD_COLUMNS} FROM uploads WHERE upload_id = $1`, [uploadId], 'tessera_upload');
    const row = result.rows[0];
    return row === undefined ? undefined : toUpload(row);
  }

  /** The upload, locked against completion, abort and new parts, with its ACL. */
  async lock(sql: Queryable, uploadId: string): Promise<{ upload: MultipartUpload; acl: AclGrant[] | undefined } | undefined> {
    const result = await sql.query<UploadRow & { acl: string | null }>(
      `SELECT ${UPLOAD_COLUMNS}, (SELECT a.acl FROM upload_acls a WHERE a.upload_id = u.upload_id) AS acl
       FROM uploads u WHERE upload_id = $1 FOR UPDATE OF u`,
      [uploadId],
      'tessera_upload_lock',
    );
    const row = result.rows[0];
    if (row === undefined) return undefined;
    return { upload: toUpload(row), acl: row.acl === null ? undefined : (JSON.parse(row.acl) as AclGrant[]) };
  }

  /** Remember a completion (for retried completions), forgetting those older than `keepMs`. */
  async recordCompletion(sql: Queryable, uploadId: string, bucket: string, key: string, versionId: string, at: number, keepMs: number): Promise<void> {
    await sql.query(
      `WITH pruned AS (DELETE FROM completed_uploads WHERE completed_at < $6)
       INSERT INTO completed_uploads (upload_id, bucket, key, version_id, completed_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (upload_id) DO UPDATE SET bucket = excluded.bucket, key = excluded.key,
         version_id = excluded.version_id, completed_at = excluded.completed_at`,
      [uploadId, bucket, key, versionId, at, at - keepMs],
      'tessera_upload_completed',
    );
  }

  /** The version id a remembered completion produced. */
  async completion(sql: Queryable, bucket: string, key: string, uploadId: string): Promise<string | undefined> {
    const result = await sql.query<{ version_id: string }>(
      'SELECT version_id FROM completed_uploads WHERE upload_id = $1 AND bucket = $2 AND key = $3',
      [uploadId, bucket, key],
    );
    return result.rows[0]?.version_id;
  }

  /** Abort every upload of a bucket, releasing their parts' blobs (inside DeleteBucket's transaction). */
  async removeAllInBucket(tx: Queryable, bucket: string): Promise<void> {
    // lock them first: a part being added to one of them has committed (or waits) once this returns
    await tx.query('SELECT 1 FROM uploads WHERE bucket = $1 FOR UPDATE', [bucket]);
    await tx.query(
      `WITH blobs AS (
         SELECT p.blob_id FROM parts p JOIN uploads u ON u.upload_id = p.upload_id WHERE u.bucket = $1
       ), gone AS (
         DELETE FROM uploads WHERE bucket = $1
       )
       INSERT INTO released_blobs (blob_id, released_at) SELECT blob_id, $2 FROM blobs ON CONFLICT (blob_id) DO NOTHING`,
      [bucket, this.now()],
    );
  }

  /**
   * Adding or replacing a part (the replaced part's blob, when different, is released): the first write of a part
   * number is one statement (insertPartIfNew, which may run alone); a replacement locks the part row (replacePart,
   * in a transaction). A missing upload: 'no-upload' (or a foreign-key violation when it went meanwhile).
   */
  /** The first write of a part number; false when the part exists or there is no upload. */
  async insertPartIfNew(sql: Queryable, part: UploadPart): Promise<boolean> {
    const inserted = await sql.query(
      `INSERT INTO parts (${PART_COLUMNS}) SELECT $1, $2, $3, $4, $5, $6, $7, $8 FROM uploads WHERE upload_id = $1
       ON CONFLICT (upload_id, part_number) DO NOTHING`,
      partParams(part),
      'tessera_part_insert',
    );
    return inserted.rowCount === 1;
  }

  /** Replace an existing part (inside a transaction), or insert it when it went meanwhile. */
  async replacePart(tx: Queryable, part: UploadPart): Promise<'ok' | 'no-upload'> {
    const previous = await tx.query<{ blob_id: string }>(
      'SELECT blob_id FROM parts WHERE upload_id = $1 AND part_number = $2 FOR UPDATE',
      [part.uploadId, part.partNumber],
      'tessera_part_lock',
    );
    const prior = previous.rows[0];
    if (prior === undefined) {
      if (await this.insertPartIfNew(tx, part)) return 'ok';
      const upload = await tx.query('SELECT 1 FROM uploads WHERE upload_id = $1', [part.uploadId]);
      if (upload.rowCount === 0) return 'no-upload';
      throw new PartRace(`part ${part.partNumber} of ${part.uploadId} changed meanwhile`);
    }
    await tx.query(
      `UPDATE parts SET size = $3, etag = $4, last_modified = $5, blob_id = $6, blob_size = $7, checksum = $8
       WHERE upload_id = $1 AND part_number = $2`,
      partParams(part),
      'tessera_part_update',
    );
    if (prior.blob_id !== part.segment.blobId) {
      await tx.query(
        'INSERT INTO released_blobs (blob_id, released_at) VALUES ($1, $2) ON CONFLICT (blob_id) DO NOTHING',
        [prior.blob_id, this.now()],
      );
    }
    return 'ok';
  }

  async listParts(sql: Queryable, uploadId: string, afterPartNumber: number, limit: number): Promise<UploadPart[]> {
    if (limit <= 0) return [];
    const result = await sql.query<PartRow>(
      `SELECT ${PART_COLUMNS} FROM parts WHERE upload_id = $1 AND part_number > $2 ORDER BY part_number LIMIT $3`,
      [uploadId, afterPartNumber, limit],
      'tessera_parts_list',
    );
    return result.rows.map(toPart);
  }

  /** Uploads in ListMultipartUploads order after its markers (see the SQLite twin for the marker rules). */
  async list(
    sql: Queryable,
    bucket: string,
    prefix: string,
    keyMarker: string | undefined,
    uploadIdMarker: string | undefined,
    limit: number,
  ): Promise<MultipartUpload[]> {
    if (limit <= 0) return [];
    const rows: UploadRow[] = [];
    let lower = listingLowerBound(prefix, keyMarker);
    if (keyMarker !== undefined && uploadIdMarker !== undefined && keyMarker.startsWith(prefix)) {
      const marker = (await sql.query<UploadRow>(`SELECT ${UPLOAD_COLUMNS} FROM uploads WHERE upload_id = $1`, [uploadIdMarker])).rows[0];
      if (marker !== undefined && marker.bucket === bucket && marker.key === keyMarker) {
        const same = await sql.query<UploadRow>(
          `SELECT ${UPLOAD_COLUMNS} FROM uploads WHERE bucket = $1 AND key = $2 AND (initiated, upload_id) > ($3, $4)
           ORDER BY initiated, upload_id LIMIT $5`,
          [bucket, keyMarker, marker.initiated, marker.upload_id, limit],
        );
        rows.push(...same.rows);
      } else {
        lower = { value: keyMarker, inclusive: true };
      }
    }
    const upper = prefixUpperBound(prefix);
    if (rows.length < limit && (upper === undefined || compareUtf8(lower.value, upper) < 0)) {
      const op = lower.inclusive ? '>=' : '>';
      const result =
        upper === undefined
          ? await sql.query<UploadRow>(
              `SELECT ${UPLOAD_COLUMNS} FROM uploads WHERE bucket = $1 AND key ${op} $2 ORDER BY key, initiated, upload_id LIMIT $3`,
              [bucket, lower.value, limit - rows.length],
            )
          : await sql.query<UploadRow>(
              `SELECT ${UPLOAD_COLUMNS} FROM uploads WHERE bucket = $1 AND key ${op} $2 AND key < $3
               ORDER BY key, initiated, upload_id LIMIT $4`,
              [bucket, lower.value, upper, limit - rows.length],
            );
      rows.push(...result.rows);
    }
    return rows.map(toUpload);
  }

  /**
   * Remove a locked upload and its parts; release the parts' blobs except `keep`. False when there was no upload.
   */
  async remove(tx: Queryable, uploadId: string, keep: readonly string[] = []): Promise<boolean> {
    const result = await tx.query<{ gone: number }>(
      `WITH blobs AS (
         SELECT blob_id FROM parts WHERE upload_id = $1
       ), gone AS (
         DELETE FROM uploads WHERE upload_id = $1 RETURNING 1
       ), released AS (
         INSERT INTO released_blobs (blob_id, released_at)
         SELECT blob_id, $3 FROM blobs WHERE EXISTS (SELECT 1 FROM gone) AND NOT (blob_id = ANY ($2::text[]))
         ON CONFLICT (blob_id) DO NOTHING
       )
       SELECT count(*)::int AS gone FROM gone`,
      [uploadId, keep, this.now()],
      'tessera_upload_remove',
    );
    return result.rows[0]?.gone === 1;
  }
}
