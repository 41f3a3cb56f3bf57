import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EMPTY_NOTIFICATION_CONFIGURATION, type NotificationConfiguration } from '../../../src/core/notifications/NotificationConfiguration.js';
import type { ReplicationConfiguration } from '../../../src/core/replication/ReplicationRule.js';
import { PostgresDatabase } from '../../../src/storage/metadata/postgres/PostgresDatabase.js';
import { PostgresChangeFeed } from '../../../src/storage/metadata/postgres/changes/PostgresChangeFeed.js';
import { PostgresNotificationStore } from '../../../src/storage/metadata/postgres/notifications/PostgresNotificationStore.js';
import { PostgresReplicationStore } from '../../../src/storage/metadata/postgres/replication/PostgresReplicationStore.js';
import { createTestDatabase } from '../../support/postgresCluster.js';

/**
 * Replication and notification stores on two nodes (two pools on one database): what SQLite, one writer, never has
 * to face. Buckets and outbox rows are written with plain SQL, as the metadata store writes them.
 */

const REPLICATION: ReplicationConfiguration = {
  role: 'arn:aws:iam::000000000000:role/r',
  rules: [
    {
      id: 'all',
      priority: 1,
      status: 'Enabled',
      scope: { kind: 'filter', filter: { kind: 'all' } },
      destination: { bucketArn: 'arn:aws:s3:::dst', bucket: 'dst' },
      deleteMarkerReplication: 'Enabled',
    },
  ],
};
const NOTIFICATIONS: NotificationConfiguration = {
  ...EMPTY_NOTIFICATION_CONFIGURATION,
  queues: [{ id: 'q', arn: 'arn:aws:sqs:us-east-1:000000000000:hook', events: ['s3:ObjectCreated:*'], filter: { prefix: 'in/' } }],
};

describe('PostgreSQL replication and notification stores on two nodes', () => {
  let db: { url: string; dispose(): Promise<void> };
  let one: PostgresDatabase;
  let two: PostgresDatabase;
  let buckets = 0;

  before(async () => {
    db = await createTestDatabase();
    one = await PostgresDatabase.open(db.url, { max: 8 });
    two = await PostgresDatabase.open(db.url, { max: 8 });
  });
  after(async () => {
    await one.close();
    await two.close();
    await db.dispose();
  });

  async function bucket(): Promise<string> {
    const name = `b${buckets++}`;
    await one.query(`INSERT INTO buckets (name, owner_account_id, region, created_at, versioning) VALUES ($1, 'o', 'us-east-1', 0, 'Enabled')`, [name]);
    return name;
  }
  const logPut = (name: string, key: string): Promise<unknown> =>
    one.query(`INSERT INTO change_outbox (bucket, key, version_id, kind, event, at) VALUES ($1, $2, 'v', 'put', 's3:ObjectCreated:Put', 0)`, [name, key]);

  it('failures recorded by both nodes at once are all counted', async () => {
    const name = await bucket();
    const [a, b] = [new PostgresReplicationStore(one), new PostgresReplicationStore(two)];
    await a.putReplication(name, REPLICATION);
    await logPut(name, 'k');
    const [change] = await new PostgresChangeFeed(one).pending('replication', name, 10);
    const next = new Date(Date.now() + 1000);
    const counts = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).recordFailure(change!, `e${i}`, next)));
    assert.deepEqual([...counts].sort((x, y) => x - y), Array.from({ length: 20 }, (_, i) => i + 1), 'each attempt saw its own count');
    assert.equal((await b.failureOf(change!.seq))?.attempts, 20);
    assert.ok(await a.isPending(name, 'k', 'v'));
    await b.completeChanges([{ change: change!, status: undefined }]);
    assert.equal(await a.isPending(name, 'k', 'v'), false);
    assert.equal(await a.failureOf(change!.seq), undefined);
  });

  it('a version not sequenced yet is pending; the cursor never moves back when nodes complete out of order', async () => {
    const name = await bucket();
    const [a, b] = [new PostgresReplicationStore(one), new PostgresReplicationStore(two)];
    await b.putReplication(name, REPLICATION);
    for (const key of ['x', 'y', 'z']) await logPut(name, key);
    assert.ok(await a.isPending(name, 'z', 'v'), 'before any read gave it a seq');
    const feed = new PostgresChangeFeed(two);
    const [x, y, z] = await feed.pending('replication', name, 10);
    await Promise.all([a.completeChanges([{ change: z!, status: undefined }]), b.completeChanges([{ change: x!, status: undefined }, { change: y!, status: undefined }])]);
    assert.deepEqual(await feed.pending('replication', name, 10), []);
    assert.equal(await a.isPending(name, 'x', 'v'), false);
    assert.equal(await a.enqueueExisting(name), 0, 'no versions to queue');
  });

  it('a configuration stored while its bucket is deleted leaves nothing behind', async () => {
    for (let i = 0; i < 5; i++) {
      const name = await bucket();
      const store = new PostgresReplicationStore(two);
      const notifications = new PostgresNotificationStore(two);
      const [put, notified] = await Promise.all([
        store.putReplication(name, REPLICATION),
        notifications.putNotification(name, NOTIFICATIONS),
        one.transaction(async (tx) => {
          await tx.query('DELETE FROM buckets WHERE name = $1', [name]);
        }),
      ]);
      assert.ok(put === 'ok' || put === 'missing');
      assert.ok(notified === 'ok' || notified === 'missing');
      assert.equal(await store.getReplication(name), undefined);
      assert.equal(await notifications.getNotification(name), undefined);
      assert.ok(!(await new PostgresChangeFeed(one).followed('replication')).includes(name));
      assert.ok(!(await new PostgresChangeFeed(one).followed('notifications')).includes(name));
    }
  });

  it('notifications: attempts from both nodes are counted; completing a change on one node is seen by the other', async () => {
    const name = await bucket();
    const [a, b] = [new PostgresNotificationStore(one), new PostgresNotificationStore(two)];
    assert.equal(await a.putNotification(name, NOTIFICATIONS), 'ok');
    assert.deepEqual(await b.getNotification(name), NOTIFICATIONS);
    await logPut(name, 'in/a');
    const [change] = await new PostgresChangeFeed(two).pending('notifications', name, 10);
    const next = new Date(Date.now() + 5000);
    await Promise.all([a.recordAttempt(change!, 'HTTP 500', next), b.recordAttempt(change!, 'HTTP 503', next)]);
    assert.deepEqual(await b.attemptsOf(change!.seq), { attempts: 2, nextAt: next });
    await a.completeChange(change!, [{ bucket: name, seq: change!.seq, target: 'hook', event: change!.event, key: 'in/a', attempts: 2, lastError: 'x'.repeat(2000), message: '{}' }]);
    assert.equal(await b.attemptsOf(change!.seq), undefined);
    assert.deepEqual(await new PostgresChangeFeed(one).pending('notifications', name, 10), []);
    const [letter] = await b.deadLetters(name, 10);
    assert.equal(letter?.lastError.length, 1000);
    await b.putNotification(name, EMPTY_NOTIFICATION_CONFIGURATION);
    assert.equal(await a.getNotification(name), undefined);
    assert.deepEqual(await new PostgresChangeFeed(one).followed('notifications'), []);
  });
});
