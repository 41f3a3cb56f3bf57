import type { PostgresMigration } from './PostgresMigration.js';

/** Placeholder for migration 2 (storage statistics), built on another branch: replaced by the real one at merge. */
export const storageStats: PostgresMigration = { version: 2, name: 'storage_stats', sql: 'SELECT 1' };
