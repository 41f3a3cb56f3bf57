import assert from 'node:assert/strict';
import { it } from 'node:test';
import { EMPTY_NOTIFICATION_CONFIGURATION, type NotificationConfiguration } from '../../src/core/notifications/NotificationConfiguration.js';
import type { ChangeFeed } from '../../src/core/ports/ChangeFeed.js';
import type { MetadataStore } from '../../src/core/ports/MetadataStore.js';
import type { NotificationStore } from '../../src/core/ports/NotificationStore.js';
import { bucketOf, newVersion } from './metadata/contractKit.js';

export interface NotificationFixture {
  readonly metadata: MetadataStore;
  readonly store: NotificationStore;
  readonly feed: ChangeFeed;
  close(): Promise<void>;
}

const CONFIG: NotificationConfiguration = {
  ...EMPTY_NOTIFICATION_CONFIGURATION,
  queues: [{ id: 'q', arn: 'arn:aws:sqs:us-east-1:000000000000:hook', events: ['s3:ObjectCreated:*'], filter: { prefix: 'in/' } }],
};

/** The NotificationStore contract: every backend runs it (test/storage/sqliteReplication.test.ts for SQLite). */
export function notificationStoreContract(name: string, open: () => Promise<NotificationFixture>): void {
  const test = (title: string, body: (f: NotificationFixture) => Promise<void>): void => {
    void it(`${name}: ${title}`, async () => {
      const f = await open();
      try {
        await body(f);
      } finally {
        await f.close();
      }
    });
  };

  test('a configuration follows the bucket; an empty one removes it and stops following', async ({ metadata, store, feed }) => {
    await metadata.createBucket(bucketOf('b'));
    assert.equal(await store.putNotification('nope', CONFIG), 'missing');
    assert.equal(await store.putNotification('b', CONFIG), 'ok');
    assert.deepEqual(await store.getNotification('b'), CONFIG);
    assert.deepEqual(await feed.followed('notifications'), ['b']);
    await store.putNotification('b', EMPTY_NOTIFICATION_CONFIGURATION);
    assert.equal(await store.getNotification('b'), undefined);
    assert.deepEqual(await feed.followed('notifications'), []);
  });

  test('attempts are counted; completing a change keeps its dead letters and moves the cursor', async ({ metadata, store, feed }) => {
    await metadata.createBucket(bucketOf('b'));
    await store.putNotification('b', CONFIG);
    await metadata.putVersion(newVersion('b', 'in/a', { versionId: 'null' }), { replaceNull: true });
    const [c] = await feed.pending('notifications', 'b', 10);
    const next = new Date(Date.now() + 5000);
    await store.recordAttempt(c!, 'HTTP 500', next);
    await store.recordAttempt(c!, 'HTTP 503', next);
    assert.deepEqual(await store.attemptsOf(c!.seq), { attempts: 2, nextAt: next });
    await store.completeChange(c!, [{ bucket: 'b', seq: c!.seq, target: 'hook', event: c!.event, key: 'in/a', attempts: 2, lastError: 'HTTP 503', message: '{}' }]);
    assert.equal(await store.attemptsOf(c!.seq), undefined);
    assert.deepEqual(await feed.pending('notifications', 'b', 10), []);
    const [letter] = await store.deadLetters('b', 10);
    assert.equal(letter?.event, 's3:ObjectCreated:Put');
    assert.equal(letter?.lastError, 'HTTP 503');
  });
}
