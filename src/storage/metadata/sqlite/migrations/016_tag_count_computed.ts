import type { Migration } from './Migration.js';
import { TAG_VERSION_TRIGGERS } from './012_storage_stats.js';

/** `text` with `from` replaced by `to`, which must occur exactly once (a released text that changed fails loudly). */
function replaceOnce(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`migration 016: expected one "${from}" in 012's triggers`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/**
 * `versions.tag_count` goes: a version's number of tags is counted from its `object_tags` rows when read
 * (versionSql.tagCountOf: one seek on their primary key). Keeping the count meant updating the version's wide row
 * on every tag write that changed the number of tags: a third of a batch unit's page writes, and one more row write
 * per PutObjectTagging.
 *
 * The two triggers on `versions` that skipped untagged versions by their tag_count (012) now ask whether the
 * version has a tag row; their bodies are unchanged. They are dropped before the column (SQLite refuses to drop a
 * column a trigger names) and created again after it.
 */
const VERSION_TRIGGERS = replaceOnce(
  replaceOnce(TAG_VERSION_TRIGGERS, 'WHEN OLD.tag_count > 0 AND', 'WHEN EXISTS (SELECT 1 FROM object_tags WHERE version_row = OLD.id) AND'),
  'WHEN NEW.tag_count > 0 AND',
  'WHEN EXISTS (SELECT 1 FROM object_tags WHERE version_row = NEW.id) AND',
);

export const tagCountComputedSchema: Migration = {
  version: 16,
  name: 'tag_count_computed',
  sql: `
DROP TRIGGER tag_stats_version_delete;
DROP TRIGGER tag_stats_version_update;
ALTER TABLE versions DROP COLUMN tag_count;
${VERSION_TRIGGERS}`,
};
