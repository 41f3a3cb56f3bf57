import type { WorkLeases } from '../../../core/ports/WorkLeases.js';

/** One process owns the SQLite file, so it holds every lease. */
export const SINGLE_PROCESS_LEASES: WorkLeases = {
  hold: () => Promise.resolve(true),
  releaseAll: () => Promise.resolve(),
};
