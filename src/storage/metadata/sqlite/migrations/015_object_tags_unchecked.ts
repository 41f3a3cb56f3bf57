import type { Migration } from './Migration.js';
import { TAG_ROW_TRIGGERS, TAG_VERSION_TRIGGERS } from './012_storage_stats.js';

/**
 * `object_tags` without its foreign key. The key made SQLite look the version row up again for every tag row
 * inserted (half the cost of writing tag rows in a batch unit), though every writer inserts tags only for a version
 * row it has just read or written in the same transaction. What the key also did, deleting a version's tags with the
 * version, is now the trigger `object_tags_version_delete`. It runs where the cascade ran, after the version row is
 * gone, so the order 012 describes holds: the tags are subtracted from `tag_stats` once, by the BEFORE DELETE trigger
 * on `versions`, and the tag rows' own delete trigger then finds no version row (a no-op).
 * `SqliteDatabase.checkIntegrity` looks for tag rows without a version, which `foreign_key_check` no longer does.
 *
 * The table is rebuilt (SQLite cannot drop a constraint in place): the triggers that read it are dropped first, so
 * the rename meets no trigger naming a missing table, and are created again from 012's texts.
 */
export const objectTagsUncheckedSchema: Migration = {
  version: 15,
  name: 'object_tags_unchecked',
  sql: `
DROP TRIGGER tag_stats_version_delete;
DROP TRIGGER tag_stats_version_update;

CREATE TABLE object_tags_unchecked (
  version_row  INTEGER NOT NULL,
  key          TEXT NOT NULL,
  value        TEXT NOT NULL,
  PRIMARY KEY (version_row, key)
) STRICT, WITHOUT ROWID;
INSERT INTO object_tags_unchecked (version_row, key, value) SELECT version_row, key, value FROM object_tags;
DROP TABLE object_tags;
ALTER TABLE object_tags_unchecked RENAME TO object_tags;
CREATE INDEX object_tags_by_key_value ON object_tags (key, value);

${TAG_ROW_TRIGGERS}${TAG_VERSION_TRIGGERS}
CREATE TRIGGER object_tags_version_delete AFTER DELETE ON versions
BEGIN
  DELETE FROM object_tags WHERE version_row = OLD.id;
END;
`,
};
