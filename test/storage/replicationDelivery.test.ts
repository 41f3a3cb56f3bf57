import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import type { ReplicaObject, ReplicationTarget } from '../../src/core/ports/ReplicationTarget.js';
import type { ReplicationConfiguration } from '../../src/core/replication/ReplicationRule.js';
import { MAX_ATTEMPTS, ReplicationService } from '../../src/core/replication/ReplicationService.js';
import { SqliteDatabase } from '../../src/storage/metadata/sqlite/SqliteDatabase.js';
import { SqliteMetadataStore } from '../../src/storage/metadata/sqlite/SqliteMetadataStore.js';
import { SqliteChangeFeed } from '../../src/storage/metadata/sqlite/changes/SqliteChangeFeed.js';
import { SqliteReplicationStore } from '../../src/storage/metadata/sqlite/replication/SqliteReplicationStore.js';
import { bucketOf, newVersion } from './metadata/contractKit.js';

const CONFIG: ReplicationConfiguration = {
  role: 'arn:aws:iam::000000000000:role/r',
  rules: [
    {
      id: 'raw',
      priority: 1,
      status: 'Enabled',
      scope: { kind: 'filter', filter: { kind: 'tag', tag: { key: 'type', value: 'raw' } } },
      destination: { bucketArn: 'arn:aws:s3:::dst', bucket: 'dst' },
      deleteMarkerReplication: 'Disabled',
    },
  ],
};

/** A destination that records what it is sent and refuses keys it is told to. */
class RecordingTarget implements ReplicationTarget {
  readonly label = 'test';
  readonly sent: string[] = [];
  failing = new Set<string>();
  putReplica(r: ReplicaObject): Promise<void> {
    r.body.resume();
    return this.record(`put ${r.key} ${r.tags.map((t) => `${t.key}=${t.value}`).join(',')}`, r.key);
  }
  putReplicaTags(_b: string, key: string, _v: string, tags: readonly { key: string; value: string }[]): Promise<void> {
    return this.record(`tags ${key} ${tags.map((t) => `${t.key}=${t.value}`).join(',')}`, key);
  }
  putReplicaDeleteMarker(_b: string, key: string): Promise<void> {
    return this.record(`marker ${key}`, key);
  }
  private record(what: string, key: string): Promise<void> {
    if (this.failing.has(key)) return Promise.reject(new Error(`refused ${key}`));
    this.sent.push(what);
    return Promise.resolve();
  }
}

describe('replication delivery (ReplicationService on SQLite, a recording destination)', () => {
  it('delivers matching changes once, in order per key; a failing key holds the cursor, and is given up on after the last attempt', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-delivery-'));
    const database = await SqliteDatabase.open(dir);
    const metadata = new SqliteMetadataStore(database, true);
    const target = new RecordingTarget();
    let now = Date.now();
    const service = new ReplicationService({
      store: new SqliteReplicationStore(database),
      feed: new SqliteChangeFeed(database),
      versions: metadata,
      targets: { resolve: (bucket) => Promise.resolve(bucket === 'dst' ? target : undefined) },
      content: () => Readable.from([Buffer.from('x')]),
      clock: () => new Date(now),
    });
    try {
      const bucket = bucketOf('src', undefined, 'Enabled');
      await metadata.createBucket(bucket);
      await service.putConfiguration(bucket, {
        role: CONFIG.role,
        rules: [{ id: 'raw', priority: 1, status: 'Enabled', filter: { tags: [{ key: 'type', value: 'raw' }] }, destination: { bucket: 'arn:aws:s3:::dst' }, deleteMarkerReplication: { status: 'Disabled' } }],
      });
      const raw = [{ key: 'type', value: 'raw' }];
      const a = await metadata.putVersion(newVersion('src', 'a', { tags: raw }), { replaceNull: false });
      await metadata.putVersion(newVersion('src', 'skip', { tags: [{ key: 'type', value: 'done' }] }), { replaceNull: false });
      await metadata.replaceTags('src', 'a', a.versionId, [{ key: 'type', value: 'raw' }, { key: 'n', value: '1' }]);
      const b = await metadata.putVersion(newVersion('src', 'b', { tags: raw }), { replaceNull: false });
      assert.equal(await service.statusOf(bucket, b), 'PENDING');
      target.failing.add('b');
      await service.deliver('src', 100);
      assert.deepEqual(target.sent, ['put a n=1,type=raw'], 'the tag edit is carried by the put that read it; skip is not covered');
      assert.equal(await service.statusOf(bucket, (await metadata.getVersion('src', 'a', a.versionId))!), 'COMPLETED');
      assert.equal((await service.backlog('src')).failures[0]?.lastError, 'refused b');
      assert.equal(await service.deliver('src', 100), 0, 'b waits for its backoff');
      for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
        now += 10 * 60_000;
        await service.deliver('src', 100);
      }
      assert.equal((await metadata.getVersion('src', 'b', b.versionId))?.replicationStatus, 'FAILED');
      assert.equal((await service.backlog('src')).pending, 0);
      target.failing.clear();
      await metadata.replaceTags('src', 'a', a.versionId, []);
      await service.deliver('src', 100);
      assert.deepEqual(target.sent.slice(1), ['tags a '], 'a tag edit of a delivered version follows it');
    } finally {
      await metadata.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
