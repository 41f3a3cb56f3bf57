import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { ChangeFeed } from '../../src/core/ports/ChangeFeed.js';
import type { MetadataStore } from '../../src/core/ports/MetadataStore.js';
import type { ReplicationStore } from '../../src/core/ports/ReplicationStore.js';
import type { ReplicationConfiguration } from '../../src/core/replication/ReplicationRule.js';
import { bucketOf, newVersion } from './metadata/contractKit.js';

export interface ReplicationFixture {
  readonly metadata: MetadataStore;
  readonly store: ReplicationStore;
  readonly feed: ChangeFeed;
  close(): Promise<void>;
}

const CONFIG: ReplicationConfiguration = {
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

/** The ReplicationStore contract: every backend runs it (test/storage/sqliteReplication.test.ts for SQLite). */
export function replicationStoreContract(name: string, open: () => Promise<ReplicationFixture>): void {
  const test = (title: string, body: (f: ReplicationFixture) => Promise<void>): void => {
    void it(`${name}: ${title}`, async () => {
      const f = await open();
      try {
        await body(f);
      } finally {
        await f.close();
      }
    });
  };

  test('storing a configuration follows the bucket from then on; deleting it stops and drops what waited', async ({ metadata, store, feed }) => {
    await metadata.createBucket(bucketOf('b', undefined, 'Enabled'));
    assert.equal(await store.putReplication('nope', CONFIG), 'missing');
    await metadata.putVersion(newVersion('b', 'before'), { replaceNull: false });
    assert.equal(await store.putReplication('b', CONFIG), 'ok');
    assert.deepEqual(await store.getReplication('b'), CONFIG);
    await metadata.putVersion(newVersion('b', 'after'), { replaceNull: false });
    assert.deepEqual((await feed.pending('replication', 'b', 10)).map((c) => c.key), ['after']);
    assert.equal(await store.enqueueExisting('b'), 2, 'resync queues every version');
    assert.deepEqual((await feed.pending('replication', 'b', 10)).map((c) => c.key), ['after', 'after', 'before']);
    assert.equal(await store.deleteReplication('b'), 'ok');
    assert.equal(await store.getReplication('b'), undefined);
    assert.deepEqual(await feed.pending('replication', 'b', 10), []);
    assert.equal(await store.enqueueExisting('b'), 0);
  });

  test('completing changes moves the cursor and records statuses in one step; failures are counted and kept when final', async ({ metadata, store, feed }) => {
    await metadata.createBucket(bucketOf('b', undefined, 'Enabled'));
    await store.putReplication('b', CONFIG);
    const v1 = await metadata.putVersion(newVersion('b', 'k1'), { replaceNull: false });
    const v2 = await metadata.putVersion(newVersion('b', 'k2'), { replaceNull: false });
    const [c1, c2] = await feed.pending('replication', 'b', 10);
    const next = new Date(Date.now() + 60_000);
    await store.recordFailure(c2!, 'destination down', next);
    assert.equal(await store.recordFailure(c2!, 'still down', next), 2);
    assert.equal((await store.failureOf(c2!.seq))?.lastError, 'still down');
    await store.completeChanges([
      { change: c1!, status: 'COMPLETED' },
      { change: c2!, status: 'FAILED' },
    ]);
    assert.deepEqual(await feed.pending('replication', 'b', 10), []);
    assert.equal(await store.versionStatus('b', 'k1', v1.versionId), 'COMPLETED');
    assert.equal(await store.versionStatus('b', 'k2', v2.versionId), 'FAILED');
    assert.equal((await metadata.getVersion('b', 'k1', v1.versionId))?.replicationStatus, 'COMPLETED', 'read with the version');
    assert.deepEqual((await store.failures('b', 10)).map((f) => [f.seq, f.attempts]), [[c2!.seq, 2]], 'a final failure stays listed');
    const replica = await metadata.putVersion({ ...newVersion('b', 'r'), replica: true }, { replaceNull: false });
    assert.equal(replica.replicationStatus, 'REPLICA');
    const [cr] = await feed.pending('replication', 'b', 10);
    await store.completeChanges([{ change: cr!, status: 'COMPLETED' }]);
    assert.equal(await store.versionStatus('b', 'r', replica.versionId), 'REPLICA', 'a replica stays a replica');
  });
}
