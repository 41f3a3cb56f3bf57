import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { ChangeFeed } from '../../src/core/ports/ChangeFeed.js';
import type { MetadataStore } from '../../src/core/ports/MetadataStore.js';
import { bucketOf, deleteMarker, newVersion } from './metadata/contractKit.js';

/** A fresh backend: the metadata store (whose writes are the changes) and the change feed over the same data. */
export interface ChangeFeedFixture {
  readonly metadata: MetadataStore;
  readonly feed: ChangeFeed;
  close(): Promise<void>;
}

/** The ChangeFeed contract: every backend runs it (test/storage/sqliteChangeFeed.test.ts for SQLite). */
export function changeFeedContract(name: string, open: () => Promise<ChangeFeedFixture>): void {
  const test = (title: string, body: (f: ChangeFeedFixture) => Promise<void>): void => {
    void it(`${name}: ${title}`, async () => {
      const f = await open();
      try {
        await body(f);
      } finally {
        await f.close();
      }
    });
  };
  const summary = async (feed: ChangeFeed, consumer: string, bucket: string): Promise<string[]> =>
    (await feed.pending(consumer, bucket, 100)).map((c) => `${c.kind} ${c.key}`);
  const events = async (feed: ChangeFeed, consumer: string, bucket: string): Promise<string[]> =>
    (await feed.pending(consumer, bucket, 100)).map((c) => c.event);

  test('every change of a followed bucket is in the feed, in order, from the moment it is followed', async ({ metadata, feed }) => {
    await metadata.createBucket(bucketOf('b', undefined, 'Enabled'));
    await metadata.createBucket(bucketOf('quiet'));
    assert.equal(await feed.follow('nope', 'replication'), 'missing');
    await metadata.putVersion(newVersion('b', 'before'), { replaceNull: false });
    assert.equal(await feed.follow('b', 'replication'), 'ok');
    const v1 = await metadata.putVersion(newVersion('b', 'k', { tags: [{ key: 'a', value: '1' }] }), { replaceNull: false });
    await metadata.replaceTags('b', 'k', undefined, [{ key: 'a', value: '2' }, { key: 'b', value: '3' }]);
    await metadata.replaceTags('b', 'k', undefined, []);
    await metadata.putVersion(deleteMarker('b', 'k'), { replaceNull: false });
    await metadata.deleteVersion('b', 'k', v1.versionId);
    await metadata.putVersion(newVersion('quiet', 'x'), { replaceNull: true });
    assert.deepEqual(await summary(feed, 'replication', 'b'), ['put k', 'tags k', 'tags k', 'delete-marker k', 'delete-version k']);
    assert.deepEqual(await events(feed, 'replication', 'b'), [
      's3:ObjectCreated:Put',
      's3:ObjectTagging:Put',
      's3:ObjectTagging:Delete',
      's3:ObjectRemoved:DeleteMarkerCreated',
      's3:ObjectRemoved:Delete',
    ]);
    assert.deepEqual(await summary(feed, 'replication', 'quiet'), []);
    assert.deepEqual(await feed.followed('replication'), ['b']);
    const changes = await feed.pending('replication', 'b', 100);
    assert.equal(changes[0]!.versionId, v1.versionId);
    assert.ok(changes.every((c, i) => i === 0 || c.seq > changes[i - 1]!.seq));
  });

  test('a consumer moves its own cursor; changes go once every follower has passed them', async ({ metadata, feed }) => {
    await metadata.createBucket(bucketOf('b'));
    await feed.follow('b', 'one');
    await feed.follow('b', 'two');
    for (const key of ['a', 'b', 'c']) await metadata.putVersion(newVersion('b', key, { versionId: 'null' }), { replaceNull: true });
    const all = await feed.pending('one', 'b', 100);
    await feed.advance('one', 'b', all[1]!.seq);
    assert.deepEqual(await summary(feed, 'one', 'b'), ['put c']);
    assert.deepEqual(await summary(feed, 'two', 'b'), ['put a', 'put b', 'put c']);
    assert.equal((await feed.backlog('two', 'b')).count, 3);
    assert.ok((await feed.backlog('two', 'b')).oldest instanceof Date);
    await feed.advance('one', 'b', all[0]!.seq); // never backwards
    assert.deepEqual(await summary(feed, 'one', 'b'), ['put c']);
    // every change passed and dropped: the next one still comes after the cursor (no seq is used twice)
    await feed.advance('two', 'b', all[2]!.seq);
    await feed.advance('one', 'b', all[2]!.seq);
    await metadata.putVersion(newVersion('b', 'e', { versionId: 'null' }), { replaceNull: true });
    assert.deepEqual(await summary(feed, 'one', 'b'), ['put e']);
    assert.deepEqual(await summary(feed, 'two', 'b'), ['put e']);
    await feed.unfollow('b', 'two');
    assert.deepEqual(await summary(feed, 'one', 'b'), ['put e']);
    await feed.unfollow('b', 'one');
    assert.deepEqual(await feed.followed('one'), []);
    await metadata.putVersion(newVersion('b', 'd', { versionId: 'null' }), { replaceNull: true });
    assert.deepEqual(await summary(feed, 'one', 'b'), [], 'an unfollowed bucket logs nothing');
  });
}
