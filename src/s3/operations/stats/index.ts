import type { AnyOperation } from '../Operation.js';
import { StorageStats } from './tessera/StorageStats.js';

/** Tessera's storage figures (`tessera stats`). */
export const statsOperations: readonly AnyOperation[] = [StorageStats];
