import type { Database, Statement } from 'better-sqlite3';
import type { BucketStats, StorageStatsStore, TagStats, TagValueCount } from '../../../../core/ports/StorageStatsStore.js';
import type { GroupCommit } from '../GroupCommit.js';
import { settle } from '../settle.js';
import type { SqliteDatabase } from '../SqliteDatabase.js';
import { toBucketStats, type BucketStatsRow } from '../../rows/statsRows.js';

const BUCKET_STATS = `SELECT b.name AS bucket, coalesce(s.objects, 0) AS objects, coalesce(s.object_bytes, 0) AS object_bytes,
    coalesce(s.versions, 0) AS versions, coalesce(s.version_bytes, 0) AS version_bytes,
    coalesce(s.delete_markers, 0) AS delete_markers
  FROM buckets b LEFT JOIN bucket_stats s ON s.bucket = b.name`;

/**
 * The values of one tag key on the current objects of one bucket, counted from the tag index: every object_tags row
 * with that key in the whole store (index object_tags_by_key_value), each joined to its version row by id and kept
 * when it is a current non-delete-marker version of the bucket. Its cost grows with the number of versions carrying
 * the key in every bucket, so it serves `tessera stats --by-tag` for an untracked key, never a scrape.
 */
const COUNT_BY_TAG_FROM_INDEX = `SELECT t.value AS value, count(*) AS objects, sum(v.size) AS bytes
  FROM object_tags t JOIN versions v ON v.id = t.version_row
  WHERE t.key = ? AND v.bucket = ? AND v.is_latest = 1 AND v.is_delete_marker = 0
  GROUP BY t.value ORDER BY t.value`;

/** A newly tracked key's figures, counted once from the tag index (same cost as above, over every bucket). */
const BACKFILL_KEY = `INSERT INTO tag_stats (bucket, key, value, objects, bytes)
  SELECT v.bucket, t.key, t.value, count(*), sum(v.size)
  FROM object_tags t JOIN versions v ON v.id = t.version_row
  WHERE t.key = ? AND v.is_latest = 1 AND v.is_delete_marker = 0
  GROUP BY v.bucket, t.value`;

/**
 * StorageStatsStore on the shared SQLite file: reads of the tables migration 012's triggers keep current
 * (bucket_stats, tag_stats), and the tracked keys (metrics_tag_keys).
 */
export class SqliteStorageStats implements StorageStatsStore {
  private readonly commits: GroupCommit;
  private readonly selectAll: Statement<[], BucketStatsRow>;
  private readonly selectOne: Statement<[string], BucketStatsRow>;
  private readonly selectTagStats: Statement<[], TagStats>;
  private readonly selectKeys: Statement<[], string>;
  private readonly isTracked: Statement<[string], number>;
  private readonly selectTracked: Statement<[string, string], TagValueCount>;
  private readonly selectFromIndex: Statement<[string, string], TagValueCount>;
  private readonly insertKey: Statement<[string]>;
  private readonly deleteKey: Statement<[string]>;
  private readonly deleteKeyStats: Statement<[string]>;
  private readonly backfill: Statement<[string]>;

  constructor(database: SqliteDatabase) {
    const db: Database = database.db;
    this.commits = database.commits;
    this.selectAll = db.prepare(`${BUCKET_STATS} ORDER BY b.name`);
    this.selectOne = db.prepare(`${BUCKET_STATS} WHERE b.name = ?`);
    this.selectTagStats = db.prepare('SELECT bucket, key, value, objects, bytes FROM tag_stats ORDER BY bucket, key, value');
    this.selectKeys = db.prepare<[], string>('SELECT key FROM metrics_tag_keys ORDER BY key').pluck();
    this.isTracked = db.prepare<[string], number>('SELECT 1 FROM metrics_tag_keys WHERE key = ?').pluck();
    this.selectTracked = db.prepare(
      'SELECT value, objects, bytes FROM tag_stats WHERE bucket = ? AND key = ? ORDER BY value',
    );
    this.selectFromIndex = db.prepare(COUNT_BY_TAG_FROM_INDEX);
    this.insertKey = db.prepare('INSERT INTO metrics_tag_keys (key) VALUES (?)');
    this.deleteKey = db.prepare('DELETE FROM metrics_tag_keys WHERE key = ?');
    this.deleteKeyStats = db.prepare('DELETE FROM tag_stats WHERE key = ?');
    this.backfill = db.prepare(BACKFILL_KEY);
  }

  bucketStats(): Promise<BucketStats[]> {
    return settle(() => this.selectAll.all().map(toBucketStats));
  }

  bucketStatsOf(bucket: string): Promise<BucketStats | undefined> {
    return settle(() => {
      const row = this.selectOne.get(bucket);
      return row === undefined ? undefined : toBucketStats(row);
    });
  }

  trackedTagStats(): Promise<TagStats[]> {
    return settle(() => this.selectTagStats.all());
  }

  trackedTagKeys(): Promise<string[]> {
    return settle(() => this.selectKeys.all());
  }

  setTrackedTagKeys(keys: readonly string[]): Promise<void> {
    return this.commits.run(() => {
      const wanted = new Set(keys);
      const current = new Set(this.selectKeys.all());
      for (const key of current) {
        if (wanted.has(key)) continue;
        this.deleteKey.run(key);
        this.deleteKeyStats.run(key);
      }
      for (const key of wanted) {
        if (current.has(key)) continue;
        // counted before the key is tracked, so no trigger adds to what the back-fill wrote
        this.backfill.run(key);
        this.insertKey.run(key);
      }
    });
  }

  countByTag(bucket: string, key: string): Promise<TagValueCount[]> {
    return settle(() =>
      this.isTracked.get(key) !== undefined ? this.selectTracked.all(bucket, key) : this.selectFromIndex.all(key, bucket),
    );
  }
}
