import { initial } from './001_initial.js';
import type { PostgresMigration } from './PostgresMigration.js';

/** Every step of the PostgreSQL schema, in order (see PostgresMigration). */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [initial];
