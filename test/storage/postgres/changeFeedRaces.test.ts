import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { PostgresDatabase } from '../../../src/storage/metadata/postgres/PostgresDatabase.js';
import { PostgresChangeFeed } from '../../../src/storage/metadata/postgres/changes/PostgresChangeFeed.js';
import { createTestDatabase } from '../../support/postgresCluster.js';

/**
 * The PostgreSQL change feed where SQLite has nothing to test: writers commit concurrently, in any order, on several
 * nodes (two PostgresDatabase pools on one database). Outbox rows are written here with plain SQL, as the metadata
 * store writes them (seq NULL; txid by default).
 */

const INSERT_ROW = `INSERT INTO change_outbox (bucket, key, version_id, kind, event, at) VALUES ($1, $2, 'v', 'put', 's3:ObjectCreated:Put', 0)`;

async function client(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  return c;
}

describe('PostgreSQL change feed: commit order across concurrent writers and nodes', () => {
  let db: { url: string; dispose(): Promise<void> };
  let one: PostgresDatabase;
  let two: PostgresDatabase;
  let feedOne: PostgresChangeFeed;
  let feedTwo: PostgresChangeFeed;
  let buckets = 0;

  before(async () => {
    db = await createTestDatabase();
    one = await PostgresDatabase.open(db.url, { max: 8 });
    two = await PostgresDatabase.open(db.url, { max: 8 });
    feedOne = new PostgresChangeFeed(one);
    feedTwo = new PostgresChangeFeed(two);
  });
  after(async () => {
    await one.close();
    await two.close();
    await db.dispose();
  });

  /** A new followed bucket. */
  async function followedBucket(...consumers: string[]): Promise<string> {
    const bucket = `b${buckets++}`;
    await one.query(`INSERT INTO buckets (name, owner_account_id, region, created_at, versioning) VALUES ($1, 'o', 'us-east-1', 0, 'Enabled')`, [bucket]);
    for (const consumer of consumers) assert.equal(await feedOne.follow(bucket, consumer), 'ok');
    return bucket;
  }

  const keys = async (feed: PostgresChangeFeed, consumer: string, bucket: string): Promise<string[]> =>
    (await feed.pending(consumer, bucket, 1000)).map((c) => c.key);

  it('a row that commits after a consumer passed a later-numbered one is served after the cursor, never skipped', async () => {
    const bucket = await followedBucket('c');
    const early = await client(db.url);
    const late = await client(db.url);
    try {
      await early.query('BEGIN');
      await early.query(INSERT_ROW, [bucket, 'early']); // the smaller id and txid, committed last
      await late.query('BEGIN');
      await late.query(INSERT_ROW, [bucket, 'late']);
      await late.query('COMMIT');
      const first = await feedOne.pending('c', bucket, 10);
      assert.deepEqual(first.map((c) => c.key), ['late'], 'what has committed');
      assert.deepEqual(await feedTwo.pending('c', bucket, 10), first, 'the same seq on every node');
      await feedTwo.advance('c', bucket, first[0]!.seq);
      assert.deepEqual(await keys(feedOne, 'c', bucket), []);
      await early.query('COMMIT');
      const second = await feedTwo.pending('c', bucket, 10);
      assert.deepEqual(second.map((c) => c.key), ['early'], 'after the cursor, though written first');
      assert.ok(second[0]!.seq > first[0]!.seq);
      assert.equal((await feedOne.backlog('c', bucket)).count, 1);
    } finally {
      await early.end();
      await late.end();
    }
  });

  it('rows committed together are served in the order they were written, not by transaction id', async () => {
    const bucket = await followedBucket('c');
    const early = await client(db.url);
    try {
      await early.query('BEGIN');
      await early.query('SELECT pg_current_xact_id()'); // the smaller txid, taken before the other writes
      await one.query(INSERT_ROW, [bucket, 'first-written']);
      await early.query(INSERT_ROW, [bucket, 'written-last']);
      await early.query('COMMIT');
      const changes = await feedOne.pending('c', bucket, 10);
      assert.deepEqual(changes.map((c) => c.key), ['first-written', 'written-last']);
      assert.ok(changes[0]!.seq < changes[1]!.seq);
    } finally {
      await early.end();
    }
  });

  it('rows of an aborted transaction never appear, and an open one holds nothing back', async () => {
    const bucket = await followedBucket('c');
    const aborted = await client(db.url);
    try {
      await aborted.query('BEGIN');
      await aborted.query(INSERT_ROW, [bucket, 'aborted']);
      await one.query(INSERT_ROW, [bucket, 'kept']);
      assert.deepEqual(await keys(feedOne, 'c', bucket), ['kept'], 'an open transaction holds nothing back');
      await aborted.query('ROLLBACK');
      assert.deepEqual(await keys(feedOne, 'c', bucket), ['kept']);
      assert.deepEqual((await feedTwo.backlog('c', bucket)).count, 1);
    } finally {
      await aborted.end();
    }
  });

  it('many writers on two nodes, consumers on both: every change once, in each key\'s write order', async () => {
    const bucket = await followedBucket('c');
    const keyCount = 8;
    const perKey = 40;
    await one.query('CREATE TABLE IF NOT EXISTS test_key_locks (bucket TEXT, key TEXT, n INTEGER NOT NULL, PRIMARY KEY (bucket, key))');
    for (let k = 0; k < keyCount; k++) await one.query('INSERT INTO test_key_locks VALUES ($1, $2, 0)', [bucket, `k${k}`]);
    // a writer of a key takes the key's row lock first (as the metadata store does), then logs its change: n in order
    const write = (database: PostgresDatabase, key: string): Promise<void> =>
      database.transaction(async (tx) => {
        // a row lock, as the metadata store takes: the transaction gets its id before it waits, so txid order is not
        // write order here; the feed's order must still be
        const row = await tx.query<{ n: number }>('UPDATE test_key_locks SET n = n + 1 WHERE bucket = $1 AND key = $2 RETURNING n', [bucket, key]);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
        await tx.query(`INSERT INTO change_outbox (bucket, key, version_id, kind, event, at) VALUES ($1, $2, $3, 'put', 's3:ObjectCreated:Put', 0)`, [
          bucket,
          key,
          String(row.rows[0]!.n),
        ]);
      });
    const writers = Array.from({ length: keyCount * 2 }, async (_, w) => {
      const database = w % 2 === 0 ? one : two;
      const key = `k${w % keyCount}`;
      for (let i = 0; i < perKey / 2; i++) await write(database, key);
    });
    const seen: { seq: number; key: string; n: number }[] = [];
    let writing = true;
    // one consumer, polling from either node in turn, advancing as it goes
    const consumer = (async () => {
      let turn = 0;
      for (;;) {
        const feed = turn++ % 2 === 0 ? feedOne : feedTwo;
        const done = !writing;
        const batch = await feed.pending('c', bucket, 7);
        for (const c of batch) seen.push({ seq: c.seq, key: c.key, n: Number(c.versionId) });
        if (batch.length > 0) await feed.advance('c', bucket, batch[batch.length - 1]!.seq);
        else if (done) return;
        else await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    await Promise.all(writers);
    writing = false;
    await consumer;
    assert.equal(seen.length, keyCount * perKey, 'every change, once');
    assert.ok(seen.every((c, i) => i === 0 || c.seq > seen[i - 1]!.seq), 'in seq order');
    for (let k = 0; k < keyCount; k++) {
      const ns = seen.filter((c) => c.key === `k${k}`).map((c) => c.n);
      assert.deepEqual(ns, Array.from({ length: perKey }, (_, i) => i + 1), `key k${k} in write order`);
    }
    const left = await one.query<{ count: number }>('SELECT count(*)::integer AS count FROM change_outbox WHERE bucket = $1', [bucket]);
    assert.equal(left.rows[0]!.count, 0, 'every passed change is dropped');
  });

  it('a new follower starts after what is already there; the last one to go takes what is left', async () => {
    const bucket = await followedBucket('first');
    await one.query(INSERT_ROW, [bucket, 'before']);
    assert.equal(await feedTwo.follow(bucket, 'second'), 'ok');
    await one.query(INSERT_ROW, [bucket, 'after']);
    assert.deepEqual(await keys(feedOne, 'first', bucket), ['before', 'after']);
    assert.deepEqual(await keys(feedOne, 'second', bucket), ['after']);
    assert.equal(await feedOne.follow(bucket, 'second'), 'ok', 'following again keeps the cursor');
    assert.deepEqual(await keys(feedOne, 'second', bucket), ['after']);
    assert.deepEqual(await feedTwo.followed('second'), [bucket]);
    await feedOne.unfollow(bucket, 'first');
    await feedOne.unfollow(bucket, 'second');
    const left = await one.query<{ count: number }>('SELECT count(*)::integer AS count FROM change_outbox WHERE bucket = $1', [bucket]);
    assert.equal(left.rows[0]!.count, 0);
    assert.equal(await feedOne.follow('no-such-bucket', 'c'), 'missing');
  });

  it('a bucket deleted while followed and created again: its old changes and cursors neither come back nor hold pruning back', async () => {
    const bucket = await followedBucket('one', 'two');
    await one.query(INSERT_ROW, [bucket, 'old']);
    assert.deepEqual(await keys(feedOne, 'two', bucket), ['old']);
    await one.query('DELETE FROM buckets WHERE name = $1', [bucket]); // its feeds go with it (ON DELETE CASCADE)
    await one.query(`INSERT INTO buckets (name, owner_account_id, region, created_at, versioning) VALUES ($1, 'o', 'us-east-1', 1, 'Enabled')`, [bucket]);
    assert.equal(await feedTwo.follow(bucket, 'one'), 'ok');
    await one.query(INSERT_ROW, [bucket, 'new']);
    const changes = await feedOne.pending('one', bucket, 10);
    assert.deepEqual(changes.map((c) => c.key), ['new']);
    await feedOne.advance('one', bucket, changes[0]!.seq);
    const left = await one.query<{ count: number }>('SELECT count(*)::integer AS count FROM change_outbox WHERE bucket = $1', [bucket]);
    assert.equal(left.rows[0]!.count, 0, 'the old follower\'s cursor does not keep the change');
  });
});
