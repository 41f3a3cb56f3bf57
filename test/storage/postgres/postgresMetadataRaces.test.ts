import assert from 'node:assert/strict';
import type pg from 'pg';
import { after, before, describe, it } from 'node:test';
import { NULL_VERSION_ID } from '../../../src/core/objects/ObjectVersion.js';
import { S3Error } from '../../../src/errors/S3Error.js';
import { PostgresMetadataStore } from '../../../src/storage/metadata/postgres/PostgresMetadataStore.js';
import { VersionRepo } from '../../../src/storage/metadata/postgres/VersionRepo.js';
import { TOUCH_VERSION } from '../../../src/storage/metadata/postgres/versionSql.js';
import { applyUnitTagWrites } from '../../../src/storage/metadata/postgres/jobs/unitTagWrites.js';
import { validateTagSet } from '../../../src/core/tags/TagSet.js';
import { createTestDatabase } from '../../support/postgresCluster.js';
import { bucketOf, deleteMarker, newVersion } from '../metadata/contractKit.js';
import { untilSomeoneWaitsForALock } from './untilLockWait.js';

/** Two stores on one database, each with its own pool: two Tessera nodes. */
interface Nodes {
  readonly a: PostgresMetadataStore;
  readonly b: PostgresMetadataStore;
  dispose(): Promise<void>;
}

async function twoNodes(): Promise<Nodes> {
  const database = await createTestDatabase();
  const a = await PostgresMetadataStore.open(database.url);
  const b = await PostgresMetadataStore.open(database.url);
  return {
    a,
    b,
    async dispose() {
      await a.close();
      await b.close();
      await database.dispose();
    },
  };
}

async function count(store: PostgresMetadataStore, sql: string, values: unknown[]): Promise<number> {
  const result = await store.database.query<{ n: number }>(sql, values);
  return Number(result.rows[0]!.n);
}

describe('PostgresMetadataStore across nodes (two stores on one database)', () => {
  let nodes: Nodes;
  before(async () => {
    nodes = await twoNodes();
  });
  after(async () => {
    await nodes.dispose();
  });

  it("a bucket's policy and ACL changed on one node are what the other node's next bucket read answers the access check with", async () => {
    const { a, b } = nodes;
    await a.createBucket(bucketOf('guarded'));
    const read = async (): Promise<unknown> => {
      const bucket = await b.getBucket('guarded');
      assert.ok(bucket !== undefined);
      return b.getBucketAccess('guarded', bucket);
    };
    assert.deepEqual(await read(), { policy: undefined, acl: undefined });
    const policies = ['{"Statement":[1]}', '{"Statement":[2]}', undefined, '{"Statement":[3]}'];
    for (const policy of policies) {
      const revision = (await b.getBucket('guarded'))?.configRevision ?? 0;
      await a.setBucketPolicy('guarded', policy);
      // what the memo of bucket reads relies on: a change of the access is a new bucket generation
      assert.ok(((await b.getBucket('guarded'))?.configRevision ?? 0) > revision, 'the policy change moved the revision');
      assert.deepEqual(await read(), { policy, acl: undefined }, `policy ${policy}`);
    }
    const grants = [{ grantee: { type: 'Group' as const, uri: 'http://acs.amazonaws.com/groups/global/AllUsers' }, permission: 'READ' as const }];
    await a.setBucketAcl('guarded', grants);
    assert.deepEqual(await read(), { policy: policies.at(-1), acl: grants });
    // an old bucket read asks for a generation the memo no longer holds: the current access, never an older one
    const before = (await b.getBucket('guarded'))!;
    await a.setBucketAcl('guarded', undefined);
    await b.getBucket('guarded');
    assert.deepEqual(await b.getBucketAccess('guarded', before), { policy: policies.at(-1), acl: undefined });
    // deleted and created again: the new bucket's access, not the old one's of the same revision
    await a.setBucketPolicy('guarded', undefined);
    assert.equal(await a.deleteBucket('guarded'), 'deleted');
    await a.createBucket(bucketOf('guarded'));
    assert.deepEqual(await read(), { policy: undefined, acl: undefined });
  });

  it('50 concurrent PUTs of one key in a versioned bucket: 50 versions, exactly one latest, the newest', async () => {
    const { a, b } = nodes;
    await a.createBucket(bucketOf('enabled', undefined, 'Enabled'));
    const inputs = Array.from({ length: 50 }, () => newVersion('enabled', 'hot'));
    const written = await Promise.all(inputs.map((v, i) => (i % 2 === 0 ? a : b).putVersion(v, { replaceNull: false })));
    assert.equal(new Set(written.map((v) => v.seq)).size, 50);
    const listed = await b.listVersions('enabled', { prefix: '', limit: 1000 });
    assert.equal(listed.length, 50);
    assert.deepEqual(new Set(listed.map((v) => v.versionId)), new Set(inputs.map((v) => v.versionId)));
    const latest = listed.filter((v) => v.isLatest);
    assert.equal(latest.length, 1);
    assert.equal(latest[0]!.seq, Math.max(...written.map((v) => v.seq)), 'the latest is the one written last');
    assert.equal((await a.getVersion('enabled', 'hot'))?.versionId, latest[0]!.versionId);
    assert.equal((await a.listLatest('enabled', { prefix: '', limit: 10 })).length, 1);
  });

  it('50 concurrent PUTs of one key in an unversioned bucket: one version, the 49 overwritten blobs released', async () => {
    const { a, b } = nodes;
    await a.createBucket(bucketOf('plain'));
    await a.forgetReleasedBlobs(await a.takeReleasedBlobs(100_000));
    const inputs = Array.from({ length: 50 }, () => newVersion('plain', 'hot', { versionId: NULL_VERSION_ID }));
    await Promise.all(inputs.map((v, i) => (i % 2 === 0 ? a : b).putVersion(v, { replaceNull: true })));
    const listed = await b.listVersions('plain', { prefix: '', limit: 1000 });
    assert.equal(listed.length, 1);
    assert.equal(listed[0]!.isLatest, true);
    const survivor = listed[0]!.segments[0]!.blobId;
    const released = new Set(await a.takeReleasedBlobs(100_000));
    const others = inputs.map((v) => v.segments[0]!.blobId).filter((id) => id !== survivor);
    assert.equal(others.length, 49);
    for (const id of others) assert.ok(released.has(id), `blob ${id} of an overwritten version is released`);
    assert.equal(released.has(survivor), false);
    assert.equal(await b.isBlobReferenced(survivor), true);
  });

  it('concurrent PUTs and version deletes of one key keep exactly one latest, the newest remaining', async () => {
    const { a, b } = nodes;
    await a.createBucket(bucketOf('mixed', undefined, 'Enabled'));
    const first = await Promise.all(Array.from({ length: 10 }, () => a.putVersion(newVersion('mixed', 'k'), { replaceNull: false })));
    await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? b : a).putVersion(i % 5 === 0 ? deleteMarker('mixed', 'k') : newVersion('mixed', 'k'), { replaceNull: false })),
      ...first.map((v, i) => (i % 2 === 0 ? a : b).deleteVersion('mixed', 'k', v.versionId)),
    ]);
    const listed = await a.listVersions('mixed', { prefix: '', limit: 1000 });
    assert.equal(listed.length, 20);
    assert.equal(listed.filter((v) => v.isLatest).length, 1);
    assert.equal(listed[0]!.isLatest, true, 'the newest version is the latest');
    assert.equal(await count(a, "SELECT count(*) AS n FROM versions WHERE bucket = 'mixed' AND is_latest = 1", []), 1);
  });

  it('concurrent tag writes and PUTs of one key keep every tag count equal to its tag rows', async () => {
    const { a, b } = nodes;
    await a.createBucket(bucketOf('tagged', undefined, 'Enabled'));
    await a.database.query("INSERT INTO change_feeds (bucket, consumer) VALUES ('tagged', 'test')");
    await a.putVersion(newVersion('tagged', 'k'), { replaceNull: false });
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => {
        const node = i % 2 === 0 ? a : b;
        if (i % 4 === 0) return node.putVersion(newVersion('tagged', 'k', { tags: [{ key: 'p', value: String(i) }] }), { replaceNull: false });
        const tags = Array.from({ length: i % 3 }, (_, j) => ({ key: `t${j}`, value: String(i) }));
        return node.replaceTags('tagged', 'k', undefined, tags);
      }),
    );
    assert.ok(results.every((r) => r !== undefined));
    const mismatched = await count(
      a,
      `SELECT count(*) AS n FROM versions v WHERE v.bucket = 'tagged'
       AND v.tag_count <> (SELECT count(*) FROM object_tags t WHERE t.version_row = v.id)`,
      [],
    );
    assert.equal(mismatched, 0);
    const latest = await b.getTags('tagged', 'k');
    assert.equal(latest?.version.tagCount, latest?.tags.length);
    assert.equal(await count(a, "SELECT count(*) AS n FROM change_outbox WHERE bucket = 'tagged'", []), 41);
  });

  it('a one-statement tag write that waited for its version\'s row lock sees the tags committed meanwhile, and replaces them all', async () => {
    const { a } = nodes;
    await a.createBucket(bucketOf('stale-tags'));
    await a.putVersion(newVersion('stale-tags', 'k', { versionId: NULL_VERSION_ID }), { replaceNull: true });
    const written = await underAnotherWriter(a, 'stale-tags', 'k', async (client, row) => {
      // PutObjectTagging's statements, without the key's lock: so it commits after the next write's statement began
      await client.query('UPDATE versions SET tag_count = 2 WHERE id = $1', [row]);
      await client.query("INSERT INTO object_tags (version_row, key, value) VALUES ($1, 'a', '1'), ($1, 'b', '2')", [row]);
    }, () => a.replaceTags('stale-tags', 'k', undefined, [{ key: 'c', value: '3' }]));
    assert.equal(written.status, 'ok');
    assert.deepEqual((await a.getTags('stale-tags', 'k'))?.tags, [{ key: 'c', value: '3' }]);
    assert.equal(
      await count(a, "SELECT count(*) AS n FROM versions v WHERE v.bucket = 'stale-tags' AND v.tag_count = 1 AND (SELECT count(*) FROM object_tags t WHERE t.version_row = v.id) = 1", []),
      1,
    );
  });

  it('a one-statement overwrite that waited for its version\'s row lock drops the ACL committed meanwhile', async () => {
    const { a } = nodes;
    await a.createBucket(bucketOf('stale-acl'));
    await a.putVersion(newVersion('stale-acl', 'k', { versionId: NULL_VERSION_ID }), { replaceNull: true });
    await underAnotherWriter(a, 'stale-acl', 'k', async (client, row) => {
      // PutObjectAcl's statements, without the key's lock
      await client.query(TOUCH_VERSION, [row]);
      await client.query('INSERT INTO object_acls (version_row, acl) VALUES ($1, $2)', [row, JSON.stringify([{ grantee: { type: 'Group', uri: 'http://acs.amazonaws.com/groups/global/AllUsers' }, permission: 'READ' }])]);
    }, () => a.putVersion(newVersion('stale-acl', 'k', { versionId: NULL_VERSION_ID }), { replaceNull: true }));
    assert.equal((await a.getObjectAcl('stale-acl', 'k'))?.acl, undefined, 'the overwrite dropped the ACL');
  });

  it('every write that adds a tag or an ACL to a version rewrites its row, even when no column changes (what the two tests above rely on)', async () => {
    const { a } = nodes;
    await a.createBucket(bucketOf('touched', undefined, 'Enabled'));
    const v = await a.putVersion(newVersion('touched', 'k', { tags: [{ key: 't', value: '1' }] }), { replaceNull: false });
    const xmin = async (): Promise<string> =>
      (await a.database.query<{ x: string }>("SELECT xmin::text AS x FROM versions WHERE bucket = 'touched' AND key = 'k'")).rows[0]!.x;
    const writes: [string, () => Promise<unknown>][] = [
      ['PutObjectTagging in one statement, same count', () => a.replaceTags('touched', 'k', undefined, [{ key: 't', value: '2' }])],
      ['PutObjectTagging by version id, same count', () => a.replaceTags('touched', 'k', v.versionId, [{ key: 'u', value: '3' }])],
      [
        'PutObjectTagging in a transaction, same count',
        () => a.database.transaction(async (tx) => {
          const repo = new VersionRepo();
          const row = await repo.lockTarget(tx, 'touched', 'k', undefined);
          await repo.replaceTags(tx, row!, [{ key: 'u', value: '4' }]);
        }),
      ],
      ['PutObjectAcl', () => a.setObjectAcl('touched', 'k', undefined, [{ grantee: { type: 'Group', uri: 'http://acs.amazonaws.com/groups/global/AllUsers' }, permission: 'READ' }])],
      ['PutObjectAcl, reset', () => a.setObjectAcl('touched', 'k', undefined, undefined)],
      [
        'a batch unit, same count',
        () => a.database.transaction((tx) =>
          applyUnitTagWrites(tx, { tags: validateTagSet([{ key: 'w', value: '5' }], 'object'), targets: [{ bucket: 'touched', key: 'k' }] }, 0),
        ),
      ],
    ];
    for (const [what, write] of writes) {
      const before = await xmin();
      await write();
      assert.notEqual(await xmin(), before, what);
    }
    assert.deepEqual((await a.getTags('touched', 'k'))?.tags, [{ key: 'w', value: '5' }]);
  });

  it('PutBucketAcl and PutBucketPolicy of one bucket, many at once on two nodes, all commit (no deadlock with the revision trigger)', async () => {
    const { a, b } = nodes;
    await a.createBucket(bucketOf('contended'));
    const revision = (await a.getBucket('contended'))?.configRevision ?? 0;
    const grants = [{ grantee: { type: 'Group' as const, uri: 'http://acs.amazonaws.com/groups/global/AllUsers' }, permission: 'READ' as const }];
    const writes = Array.from({ length: 24 }, (_, i) => {
      const node = i % 2 === 0 ? a : b;
      return i % 3 === 0 ? node.setBucketPolicy('contended', `{"Statement":[${i}]}`) : node.setBucketAcl('contended', i % 3 === 1 ? grants : undefined);
    });
    const timeout = new Promise<'stuck'>((resolve) => setTimeout(() => resolve('stuck'), 20_000).unref());
    assert.deepEqual(await Promise.race([Promise.all(writes), timeout]), writes.map(() => 'ok'));
    assert.ok(((await b.getBucket('contended'))?.configRevision ?? 0) >= revision + 24, 'each write moved the revision');
  });

  it('DeleteBucket racing PutObject never leaves a version in a deleted bucket', async () => {
    const { a, b } = nodes;
    for (let round = 0; round < 20; round++) {
      const name = `race-${round}`;
      await a.createBucket(bucketOf(name));
      const [deleted, put] = await Promise.allSettled([
        a.deleteBucket(name),
        b.putVersion(newVersion(name, 'k', { versionId: NULL_VERSION_ID }), { replaceNull: true }),
      ]);
      assert.equal(deleted.status, 'fulfilled');
      const outcome = (deleted as PromiseFulfilledResult<string>).value;
      if (outcome === 'deleted') {
        assert.equal(put.status, 'rejected', 'a PUT into a deleted bucket fails');
        assert.equal(await b.getBucket(name), undefined);
      } else {
        assert.equal(outcome, 'not-empty');
        assert.equal(put.status, 'fulfilled');
      }
      assert.equal(await count(a, 'SELECT count(*) AS n FROM versions v WHERE NOT EXISTS (SELECT 1 FROM buckets b WHERE b.name = v.bucket)', []), 0);
    }
  });

  it('a write on one node is read by the other at once', async () => {
    const { a, b } = nodes;
    await a.createBucket(bucketOf('seen', undefined, 'Enabled'));
    assert.equal((await b.getBucket('seen'))?.versioning, 'Enabled');
    const v = await a.putVersion(newVersion('seen', 'k'), { replaceNull: false });
    assert.equal((await b.getVersion('seen', 'k'))?.versionId, v.versionId);
    await a.replaceTags('seen', 'k', undefined, [{ key: 't', value: '1' }]);
    assert.deepEqual(await b.getTagsOnly('seen', 'k'), [{ key: 't', value: '1' }]);
    await b.setBucketVersioning('seen', 'Suspended');
    assert.equal((await a.getBucket('seen'))?.versioning, 'Suspended');
    await b.deleteVersion('seen', 'k', v.versionId);
    assert.equal(await a.getVersion('seen', 'k'), undefined);
  });

  it('change outbox: rows of one key, in (txid, id) order, follow the versions\' write order', async () => {
    const { a, b } = nodes;
    await a.createBucket(bucketOf('fed', undefined, 'Enabled'));
    await a.database.query("INSERT INTO change_feeds (bucket, consumer) VALUES ('fed', 'test')");
    const written = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : b).putVersion(newVersion('fed', 'k'), { replaceNull: false })),
    );
    const rows = await a.database.query<{ version_id: string; kind: string; seq: number | null }>(
      "SELECT version_id, kind, seq FROM change_outbox WHERE bucket = 'fed' ORDER BY txid, id",
    );
    assert.equal(rows.rows.length, 40);
    assert.ok(rows.rows.every((r) => r.kind === 'put' && r.seq === null));
    const bySeq = [...written].sort((x, y) => x.seq - y.seq).map((v) => v.versionId);
    assert.deepEqual(rows.rows.map((r) => r.version_id), bySeq);
    // a bucket nobody follows gets no rows
    await a.putVersion(newVersion('seen', 'quiet'), { replaceNull: false });
    assert.equal(await count(a, "SELECT count(*) AS n FROM change_outbox WHERE bucket = 'seen'", []), 0);
  });

  it('change outbox: every version and tag change of a followed bucket, in order, and nothing for others', async () => {
    const { a, b } = nodes;
    await a.createBucket(bucketOf('feed2', undefined, 'Suspended'));
    await a.createBucket(bucketOf('quiet2'));
    await a.database.query("INSERT INTO change_feeds (bucket, consumer) VALUES ('feed2', 'test')");
    const nul = await a.putVersion(newVersion('feed2', 'k', { versionId: NULL_VERSION_ID, tags: [{ key: 't', value: '1' }] }), { replaceNull: true });
    await b.putVersion(newVersion('feed2', 'k', { versionId: NULL_VERSION_ID }), { replaceNull: true }); // overwrite in place
    const kept = await a.putVersion(newVersion('feed2', 'k'), { replaceNull: false });
    await b.replaceTags('feed2', 'k', undefined, [{ key: 'x', value: 'y' }]);
    await a.putVersion(deleteMarker('feed2', 'k', NULL_VERSION_ID), { replaceNull: true }); // removes the older null version
    await b.deleteVersion('feed2', 'k', kept.versionId);
    await a.putVersion(newVersion('quiet2', 'k', { versionId: NULL_VERSION_ID }), { replaceNull: true });
    await a.replaceTags('quiet2', 'k', undefined, [{ key: 'x', value: 'y' }]);
    const rows = await a.database.query<{ bucket: string; version_id: string; kind: string; event: string }>(
      'SELECT bucket, version_id, kind, event FROM change_outbox WHERE bucket IN ($1, $2) ORDER BY txid, id',
      ['feed2', 'quiet2'],
    );
    assert.deepEqual(
      rows.rows.map((r) => [r.bucket, r.version_id === kept.versionId ? 'kept' : r.version_id, r.kind, r.event]),
      [
        ['feed2', 'null', 'put', 's3:ObjectCreated:Put'],
        ['feed2', 'null', 'put', 's3:ObjectCreated:Put'],
        ['feed2', 'kept', 'put', 's3:ObjectCreated:Put'],
        ['feed2', 'kept', 'tags', 's3:ObjectTagging:Put'],
        ['feed2', 'null', 'delete-version', 's3:ObjectRemoved:Delete'],
        ['feed2', 'null', 'delete-marker', 's3:ObjectRemoved:DeleteMarkerCreated'],
        ['feed2', 'kept', 'delete-version', 's3:ObjectRemoved:Delete'],
      ],
    );
    assert.equal(nul.versionId, NULL_VERSION_ID);
    const latest = await b.getVersion('feed2', 'k');
    assert.equal(latest?.isDeleteMarker, true);
    assert.equal(latest?.isLatest, true);
  });

  it('a transaction writing several keys takes their locks first; a writer of one of them waits its turn', async () => {
    const { a, b } = nodes;
    await a.createBucket(bucketOf('bulk', undefined, 'Enabled'));
    const repo = new VersionRepo();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const lockedNow = new Promise<void>((resolve) => (locked = resolve));
    const bulk = a.database.transaction(async (tx) => {
      await repo.lockKeys(tx, [
        { bucket: 'bulk', key: 'k2' },
        { bucket: 'bulk', key: 'k1' },
        { bucket: 'bulk', key: 'k2' },
      ]);
      locked();
      await gate;
      const written = [];
      for (const key of ['k1', 'k2']) {
        const latest = await repo.lockLatest(tx, 'bulk', key);
        written.push(await repo.insert(tx, newVersion('bulk', key), false, latest));
      }
      return written;
    });
    await lockedNow;
    const other = b.putVersion(newVersion('bulk', 'k1'), { replaceNull: false });
    await new Promise((resolve) => setTimeout(resolve, 100));
    release();
    const [written, later] = await Promise.all([bulk, other]);
    assert.ok(later.seq > written[0]!.seq, 'the single writer came after the bulk writer that held the key');
    assert.equal((await a.getVersion('bulk', 'k1'))?.versionId, later.versionId);
  });

  it('a key, prefix or marker holding U+0000 is refused with 400 InvalidArgument, not a fault', async () => {
    const { a } = nodes;
    await a.createBucket(bucketOf('nul'));
    const refused = (error: unknown): boolean => error instanceof S3Error && error.code === 'InvalidArgument' && error.status === 400;
    await assert.rejects(a.putVersion(newVersion('nul', 'a\u0000b', { versionId: NULL_VERSION_ID }), { replaceNull: true }), refused);
    await assert.rejects(a.getVersion('nul', 'a\u0000b'), refused);
    await assert.rejects(a.listLatest('nul', { prefix: '\u0000', limit: 10 }), refused);
    await assert.rejects(a.listVersions('nul', { prefix: '', after: { key: 'x\u0000' }, limit: 10 }), refused);
    assert.deepEqual(await a.listLatest('nul', { prefix: '', limit: 10 }), []);
  });
});

/**
 * Run `write` while another connection holds the version row of bucket/key locked and makes its own change
 * (`change`): `write` starts (its statement's snapshot taken), waits for the row lock, and goes on once the change
 * has committed. That is the window a one-statement write has in service between its snapshot and its try of the
 * key's lock, held open here.
 */
async function underAnotherWriter<T>(
  store: PostgresMetadataStore,
  bucket: string,
  key: string,
  change: (client: pg.PoolClient, row: number) => Promise<void>,
  write: () => Promise<T>,
): Promise<T> {
  const client = await store.database.pool.connect();
  try {
    await client.query('BEGIN');
    const row = (await client.query<{ id: number }>('SELECT id FROM versions WHERE bucket = $1 AND key = $2 AND is_latest = 1 FOR UPDATE', [bucket, key])).rows[0]!.id;
    const written = write();
    await untilSomeoneWaitsForALock(store.database); // the write waits for the row lock
    await change(client, row);
    await client.query('COMMIT');
    return await written;
  } finally {
    client.release();
  }
}
