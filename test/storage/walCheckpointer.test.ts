import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { METADATA_FILE } from '../../src/storage/metadata/sqlite/openDatabase.js';
import { SqliteDatabase } from '../../src/storage/metadata/sqlite/SqliteDatabase.js';

async function until(what: string, done: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('WAL checkpoints on their own thread', () => {
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("copies committed frames into the database file while the main connection's own checkpoint stays far off", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-ckpt-'));
    dirs.push(dir);
    const database = await SqliteDatabase.open(dir);
    const file = join(dir, METADATA_FILE);
    assert.ok(database.checkpointer !== undefined, 'a file database has a checkpointer');
    assert.equal(Number(database.db.pragma('wal_autocheckpoint', { simple: true })), 20_000);
    await database.commits.run(() => database.db.exec('CREATE TABLE ckpt_rows (n INTEGER PRIMARY KEY, body BLOB NOT NULL)'));
    const before = statSync(file).size;
    const insert = database.db.prepare('INSERT INTO ckpt_rows (n, body) VALUES (?, ?)');
    // 4 MiB in 64 writes: about 1,000 pages, under 20,000, so only the thread checkpoints them
    for (let n = 0; n < 64; n++) {
      await database.commits.run(() => {
        for (let i = 0; i < 16; i++) insert.run(n * 16 + i, Buffer.alloc(4096, n));
      });
    }
    await until('a checkpoint by the thread', () => (database.checkpointer?.stats.checkpoints ?? 0) > 0);
    await until('the rows in the database file', () => statSync(file).size >= before + 4 * 1024 * 1024);
    assert.equal(database.checkpointer?.stats.failures, 0);
    await database.close();

    const reopened = await SqliteDatabase.open(dir);
    assert.equal(reopened.db.prepare('SELECT count(*) FROM ckpt_rows').pluck().get(), 1024);
    await reopened.close();
  });

  it('closes with its database: the thread ends before the main connection closes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-ckpt-'));
    dirs.push(dir);
    const database = await SqliteDatabase.open(dir);
    await database.commits.run(() => database.db.exec('CREATE TABLE t (x)'));
    await database.close();
    await database.close(); // idempotent
    // the last connection closed: SQLite checkpointed and removed the WAL
    assert.throws(() => statSync(join(dir, `${METADATA_FILE}-wal`)), /ENOENT/);
  });
});
