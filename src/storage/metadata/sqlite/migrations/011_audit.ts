import type { Migration } from './Migration.js';

/** Buckets' audit configurations (docs/audit-log.md); each goes with its bucket. */
export const auditSchema: Migration = {
  version: 11,
  name: 'audit',
  sql: `
CREATE TABLE bucket_audit (
  bucket         TEXT PRIMARY KEY REFERENCES buckets (name) ON DELETE CASCADE,
  configuration  TEXT NOT NULL
) STRICT;
`,
};
