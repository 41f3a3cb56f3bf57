import assert from 'node:assert/strict';
import { it } from 'node:test';
import { PostgresDatabase } from '../../../src/storage/metadata/postgres/PostgresDatabase.js';
import { PostgresMetadataStore } from '../../../src/storage/metadata/postgres/PostgresMetadataStore.js';
import { PostgresChangeFeed } from '../../../src/storage/metadata/postgres/changes/PostgresChangeFeed.js';
import { createTestDatabase } from '../../support/postgresCluster.js';
import { changeFeedContract } from '../changeFeedContract.js';
import { bucketOf, newVersion } from '../metadata/contractKit.js';
import { openPostgres } from './postgresFeedFixtures.js';

changeFeedContract('PostgreSQL', () => openPostgres(() => undefined));

void it('PostgreSQL: two nodes writing the same keys, a consumer reading on both: each key\'s versions in the order they were written', async () => {
  const created = await createTestDatabase();
  const [one, two] = [await PostgresDatabase.open(created.url, { max: 6 }), await PostgresDatabase.open(created.url, { max: 6 })];
  try {
    const nodes = [one, two].map((d) => ({ metadata: new PostgresMetadataStore(d), feed: new PostgresChangeFeed(d) }));
    await nodes[0]!.metadata.createBucket(bucketOf('b', undefined, 'Enabled'));
    assert.equal(await nodes[1]!.feed.follow('b', 'c'), 'ok');
    const keys = ['k0', 'k1', 'k2'];
    let writing = true;
    const writers = Promise.all(
      Array.from({ length: 6 }, async (_, w) => {
        const node = nodes[w % 2]!;
        for (let i = 0; i < 15; i++) await node.metadata.putVersion(newVersion('b', keys[w % keys.length]!), { replaceNull: false });
      }),
    ).finally(() => {
      writing = false;
    });
    const seen: { key: string; versionId: string }[] = [];
    for (let turn = 0; ; turn++) {
      const done = !writing;
      const { feed } = nodes[turn % 2]!;
      const batch = await feed.pending('c', 'b', 5);
      seen.push(...batch.map((c) => ({ key: c.key, versionId: c.versionId })));
      if (batch.length > 0) await feed.advance('c', 'b', batch[batch.length - 1]!.seq);
      else if (done) break;
    }
    await writers;
    assert.equal(seen.length, 90, 'every version, once');
    for (const key of keys) {
      const versionSeqs: number[] = [];
      for (const c of seen.filter((s) => s.key === key)) versionSeqs.push((await nodes[0]!.metadata.getVersion('b', key, c.versionId))!.seq);
      assert.ok(versionSeqs.every((s, i) => i === 0 || s > versionSeqs[i - 1]!), `${key}: the feed follows the versions' order`);
    }
  } finally {
    await one.close();
    await two.close();
    await created.dispose();
  }
});
