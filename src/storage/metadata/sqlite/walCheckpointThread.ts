/**
 * The thread of WalCheckpointer: its own connection to the metadata file, copying the WAL's committed frames into
 * the database file (PRAGMA wal_checkpoint(PASSIVE): never waits for the writer or readers, takes what it can) when
 * the main thread says it committed, at most once per `intervalMs`. Runs until the main thread sets the stop flag.
 */
import Database from 'better-sqlite3';
import { workerData } from 'node:worker_threads';
import { CheckpointSlot, type CheckpointThreadData } from './walCheckpointShared.js';

const { path, state: buffer, intervalMs } = workerData as CheckpointThreadData;
const state = new Int32Array(buffer);
const db = new Database(path);
try {
  db.pragma('busy_timeout = 0');
  // this connection never writes: its own auto-checkpoint (on its commits) never runs
  let done = Atomics.load(state, CheckpointSlot.Commits);
  while (Atomics.load(state, CheckpointSlot.Stop) === 0) {
    const commits = Atomics.load(state, CheckpointSlot.Commits);
    if (commits === done) {
      Atomics.wait(state, CheckpointSlot.Commits, commits, 1000);
      continue;
    }
    done = commits;
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
      Atomics.add(state, CheckpointSlot.Checkpoints, 1);
    } catch {
      // SQLITE_BUSY and the like: the next commit asks again (the main connection's own auto-checkpoint is the backstop)
      Atomics.add(state, CheckpointSlot.Failures, 1);
    }
    // let commits gather: one checkpoint (and its fsyncs) per interval at most
    Atomics.wait(state, CheckpointSlot.Stop, 0, intervalMs);
  }
} finally {
  db.close();
}
