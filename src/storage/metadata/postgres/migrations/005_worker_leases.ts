import type { PostgresMigration } from './PostgresMigration.js';

/** Which node runs each one-at-a-time background worker, until when (PostgresWorkLeases). */
export const workerLeases: PostgresMigration = {
  version: 5,
  name: 'worker_leases',
  sql: `
CREATE TABLE worker_leases (
  name      TEXT PRIMARY KEY,
  holder    TEXT NOT NULL,
  until_ms  BIGINT NOT NULL
);
`,
};
