import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PostgresDatabase } from '../../../src/storage/metadata/postgres/PostgresDatabase.js';
import { PostgresWorkLeases } from '../../../src/storage/metadata/postgres/leases/PostgresWorkLeases.js';
import { createTestDatabase } from '../../support/postgresCluster.js';

/** Two nodes' leases on one database, on one clock the test moves. */
describe('PostgresWorkLeases: one node at a time runs a worker', () => {
  let database: { url: string; dispose(): Promise<void> };
  let dbA: PostgresDatabase;
  let dbB: PostgresDatabase;
  let now = 1_000_000;
  const TTL = 10_000;

  before(async () => {
    database = await createTestDatabase();
    dbA = await PostgresDatabase.open(database.url);
    dbB = await PostgresDatabase.open(database.url);
  });

  after(async () => {
    await dbA.close();
    await dbB.close();
    await database.dispose();
  });

  it('one holder; the other is refused, asks again only after a quarter TTL, and takes over once the lease expires', async () => {
    const a = new PostgresWorkLeases(dbA, TTL, () => now);
    const b = new PostgresWorkLeases(dbB, TTL, () => now);
    assert.equal(await a.hold('replication'), true);
    assert.equal(await b.hold('replication'), false);
    assert.equal(await a.hold('replication'), true, 'the holder keeps it');
    // b refused: within a quarter TTL it answers from memory, even though the lease is free by then
    await dbA.query("UPDATE worker_leases SET until_ms = 0 WHERE name = 'replication'");
    now += TTL / 4 - 1;
    assert.equal(await b.hold('replication'), false, 'refused a moment ago: not asked again yet');
    now += 1;
    assert.equal(await b.hold('replication'), true, 'asked again after a quarter TTL: the expired lease is taken over');
    // a still thinks it holds it until half its TTL, then asks, and is refused
    now += TTL / 2;
    assert.equal(await b.hold('replication'), true, 'b renews');
    assert.equal(await a.hold('replication'), false, 'a lost it');
    const holder = await dbA.query<{ holder: string }>("SELECT holder FROM worker_leases WHERE name = 'replication'");
    assert.equal(holder.rows[0]?.holder, b.holder);
  });

  it('releaseAll gives the leases up at once; the other node takes them at its next ask', async () => {
    const a = new PostgresWorkLeases(dbA, TTL, () => now);
    const b = new PostgresWorkLeases(dbB, TTL, () => now);
    assert.equal(await a.hold('notifications'), true);
    assert.equal(await a.hold('lifecycle'), true);
    assert.equal(await b.hold('notifications'), false);
    await a.releaseAll();
    now += TTL / 4;
    assert.equal(await b.hold('notifications'), true);
    assert.equal(await b.hold('lifecycle'), true);
    assert.equal(await a.hold('lifecycle'), false);
    await b.releaseAll();
  });
});
