import type { Migration } from './Migration.js';
import { initialSchema } from './001_initial.js';

/** Every schema step in order. A new feature adds a file `NNN_name.ts` and appends it here. */
export const MIGRATIONS: readonly Migration[] = [initialSchema];
