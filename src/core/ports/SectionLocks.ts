/**
 * Mutual exclusion by name for the few check-then-commit sections of the core (a conditional write's precondition
 * and commit on one key, a multipart upload's part writes and its completion): a section runs only while no other
 * section of the same name runs — in this process (core/objects/KeyedMutex, enough for SQLite's one process) or on
 * any node sharing the database (the PostgreSQL backend's advisory locks).
 */
export interface SectionLocks {
  run<T>(name: string, section: () => Promise<T>): Promise<T>;
}
