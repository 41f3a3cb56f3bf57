import type { PostgresMigration } from './PostgresMigration.js';

/** Placeholder for step 2 (storage statistics), written on another branch: it replaces this file when they merge. */
export const storageStats: PostgresMigration = {
  version: 2,
  name: 'storage_stats',
  sql: 'SELECT 1',
};
