import { initial } from './001_initial.js';
import { storageStats } from './002_storage_stats.js';
import type { PostgresMigration } from './PostgresMigration.js';

/** Every step of the PostgreSQL schema, in order (see PostgresMigration). */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [initial, storageStats];
