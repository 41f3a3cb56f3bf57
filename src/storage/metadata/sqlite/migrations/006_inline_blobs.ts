import type { Migration } from './Migration.js';

/**
 * Small objects stored inline (see INLINE_OBJECT_MAX in src/core/objects/inlineObjects.ts and docs/storage.md): their
 * bytes are a row here, written in the same transaction as the version that holds them, so a small PUT costs no
 * file create, no file fsync and no rename — the group commit's WAL fsync makes it durable.
 *
 * A separate table (not a column of `versions`) so listings and version lookups never read the bytes. Inline blobs
 * are never staged, never in `version_blobs` and never outboxed: removing the version deletes the row directly.
 * A rowid table (not WITHOUT ROWID): rows of kilobytes are what rowid tables are made for; reading a 4 KiB row from a
 * WITHOUT ROWID table measured 2.5 times slower (its b-tree keeps far less of a large row in the leaf page).
 */
export const inlineBlobsSchema: Migration = {
  version: 6,
  name: 'inline_blobs',
  sql: `
    CREATE TABLE inline_blobs (
      blob_id  TEXT PRIMARY KEY,
      data     BLOB NOT NULL
    ) STRICT;
  `,
};
