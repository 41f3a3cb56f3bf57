import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Tag } from '../../src/core/tags/Tag.js';
import { SqliteDatabase } from '../../src/storage/metadata/sqlite/SqliteDatabase.js';
import { SqliteMetadataStore } from '../../src/storage/metadata/sqlite/SqliteMetadataStore.js';
import { SqliteJobStore } from '../../src/storage/metadata/sqlite/jobs/SqliteJobStore.js';
import { jobStoreContract, type OutboxRow } from './jobContract.js';
import { bucketOf, deleteMarker, newVersion } from './metadata/contractKit.js';

jobStoreContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-jobstore-'));
  const database = await SqliteDatabase.open(dir);
  const metadata = new SqliteMetadataStore(database, true);
  const db = database.db;
  return {
    store: new SqliteJobStore(database),
    versions: {
      async put(bucket, key, versionId, options = {}) {
        if ((await metadata.getBucket(bucket)) === undefined) await metadata.createBucket(bucketOf(bucket, '111111111111', 'Enabled'));
        const version = options.deleteMarker === true ? deleteMarker(bucket, key, versionId) : newVersion(bucket, key, { versionId, tags: [...(options.tags ?? [])] });
        await metadata.putVersion(version, { replaceNull: false });
      },
      async tags(bucket, key, versionId) {
        // the count as the store reads it (counted from the tag rows since migration 016), the rows straight from the table
        const version = await metadata.getVersion(bucket, key, versionId);
        const row = db.prepare('SELECT id FROM versions WHERE bucket = ? AND key = ? AND version_id = ?').get(bucket, key, versionId) as { id: number };
        const tags = db.prepare('SELECT key, value FROM object_tags WHERE version_row = ? ORDER BY key').all(row.id) as Tag[];
        return { tagCount: version!.tagCount, tags };
      },
      follow(bucket) {
        return database.commits.run(() => {
          db.prepare("INSERT INTO change_feeds (bucket, consumer) VALUES (?, 'contract')").run(bucket);
        });
      },
      outbox() {
        return Promise.resolve(
          db.prepare('SELECT bucket, key, version_id AS versionId, kind, event FROM change_outbox ORDER BY seq').all() as OutboxRow[],
        );
      },
    },
    async close() {
      await metadata.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
