import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AclGrant } from '../../src/core/access/AccessControlList.js';
import type { AccessKey } from '../../src/core/identity/Account.js';
import type { ObjectVersion } from '../../src/core/objects/ObjectVersion.js';
import type { AccessStore } from '../../src/core/ports/AccessStore.js';
import type { AccountStore } from '../../src/core/ports/AccountStore.js';
import type { VersionStore } from '../../src/core/ports/VersionStore.js';
import { CachedAccessStore } from '../../src/storage/cache/CachedAccessStore.js';
import { CachedAccountStore } from '../../src/storage/cache/CachedAccountStore.js';
import { CachedVersionStore } from '../../src/storage/cache/CachedVersionStore.js';
import { MISS, ObjectLookups } from '../../src/storage/cache/readCaches.js';
import type { WriteSignal } from '../../src/storage/cache/WriteSignal.js';

/** A write signal the test moves by hand (`keyWrite` announces a key-scoped write as the group commit does). */
function signal(): { -readonly [K in keyof WriteSignal]: WriteSignal[K] } & { keyWrite(bucket: string, key: string): void } {
  const listeners: ((bucket: string, key: string) => void)[] = [];
  return {
    writes: 0,
    keyedWrites: 0,
    identityWrites: 0,
    inWrite: false,
    onKeyWrite(listener) {
      listeners.push(listener);
    },
    keyWrite(bucket, key) {
      this.keyedWrites++;
      for (const listener of listeners) listener(bucket, key);
    },
  };
}

function version(etag: string): ObjectVersion {
  return {
    bucket: 'b',
    key: 'k',
    versionId: 'null',
    seq: 1,
    isLatest: true,
    isDeleteMarker: false,
    lastModified: new Date(0),
    ownerAccountId: '111111111111',
    size: 0,
    etag,
    storageClass: 'STANDARD',
    contentHeaders: {},
    userMetadata: {},
    segments: [],
    tagCount: 0,
  };
}

/** A VersionStore whose getVersion answers when the test says so, counting the reads that reach it. */
class SlowVersions {
  reads = 0;
  current = version('one');
  private pending: (() => void)[] = [];

  getVersion(): Promise<ObjectVersion | undefined> {
    this.reads++;
    const answer = this.current;
    return new Promise((resolve) => this.pending.push(() => resolve(answer)));
  }

  settle(): void {
    for (const resolve of this.pending.splice(0)) resolve();
  }
}

async function read(cache: CachedVersionStore, inner: SlowVersions): Promise<ObjectVersion | undefined> {
  const result = cache.getVersion('b', 'k');
  inner.settle();
  return result;
}

void describe('read cache decorators', () => {
  void it('CachedVersionStore: remembered until the next write; a load overtaken by a write is not remembered', async () => {
    const writes = signal();
    const inner = new SlowVersions();
    const cache = new CachedVersionStore(inner as unknown as VersionStore, writes);
    const first = await read(cache, inner);
    assert.equal(first?.etag, 'one');
    assert.ok(Object.isFrozen(first), 'shared versions are frozen');
    assert.equal(await cache.getVersion('b', 'k'), first, 'served from memory');
    assert.equal(inner.reads, 1);

    writes.writes++;
    inner.current = version('two');
    assert.equal((await read(cache, inner))?.etag, 'two', 'a write drops what was remembered');
    assert.equal(inner.reads, 2);

    // a write begins while a load is in flight: what the load read may be stale, so it is handed out but not kept
    writes.writes++;
    const racing = cache.getVersion('b', 'k');
    writes.writes++;
    inner.current = version('three');
    inner.settle();
    assert.equal((await racing)?.etag, 'two');
    assert.equal((await read(cache, inner))?.etag, 'three');
    assert.equal(inner.reads, 4);

    // reads made while a write is open are never kept
    writes.inWrite = true;
    await read(cache, inner);
    writes.inWrite = false;
    assert.equal((await cache.getVersion('b', 'k'))?.etag, 'three');
    assert.equal(inner.reads, 5, 'the read made inside the write was not remembered; the earlier one still is');
  });

  void it('CachedVersionStore: a write to one key forgets that key (every version of it) only; a load it overtakes is not kept', async () => {
    const writes = signal();
    const reads: string[] = [];
    const inner = {
      getVersion(bucket: string, key: string, versionId?: string): Promise<ObjectVersion | undefined> {
        reads.push(`${key}@${versionId ?? 'latest'}`);
        return Promise.resolve({ ...version(`${key}-${reads.length}`), key, bucket });
      },
    };
    const cache = new CachedVersionStore(inner as unknown as VersionStore, writes);
    const all = async (): Promise<(string | undefined)[]> =>
      Promise.all([cache.getVersion('b', 'a'), cache.getVersion('b', 'a', 'v1'), cache.getVersion('b', 'c'), cache.getVersion('b2', 'a')]).then(
        (found) => found.map((v) => v?.etag),
      );
    const first = await all();
    assert.deepEqual(await all(), first);
    assert.equal(reads.length, 4);

    writes.keyWrite('b', 'a');
    const second = await all();
    assert.deepEqual(reads.slice(4), ['a@latest', 'a@v1'], "only b/a's lookups, latest and by id, are read again");
    assert.deepEqual(second.slice(2), first.slice(2));
    assert.deepEqual(await all(), second);

    // a key write while a load is in flight: the load's answer is handed out but not kept
    const racing = cache.getVersion('b', 'd');
    writes.keyWrite('b', 'd');
    await racing;
    await cache.getVersion('b', 'd');
    assert.deepEqual(reads.slice(6), ['d@latest', 'd@latest']);

    writes.writes++;
    await all();
    assert.equal(reads.length, 12, 'a write naming no key drops everything');
  });

  void it('CachedAccountStore: follows identity writes only; an absent key is read again every time', async () => {
    const writes = signal();
    let reads = 0;
    let secret = 's1';
    const inner = {
      getAccessKey(accessKeyId: string): Promise<AccessKey | undefined> {
        reads++;
        if (accessKeyId === 'AKIANONE') return Promise.resolve(undefined);
        return Promise.resolve({ accessKeyId, secretAccessKey: secret, accountId: '111111111111', status: 'Active', createdAt: new Date(0) });
      },
    };
    const cache = new CachedAccountStore(inner as unknown as AccountStore, writes);
    assert.equal((await cache.getAccessKey('AKIA1'))?.secretAccessKey, 's1');
    writes.writes++; // an object write does not touch identity data
    assert.equal((await cache.getAccessKey('AKIA1'))?.secretAccessKey, 's1');
    assert.equal(reads, 1);
    secret = 's2';
    writes.identityWrites++;
    assert.equal((await cache.getAccessKey('AKIA1'))?.secretAccessKey, 's2');
    assert.equal(reads, 2);
    assert.equal(await cache.getAccessKey('AKIANONE'), undefined);
    assert.equal(await cache.getAccessKey('AKIANONE'), undefined);
    assert.equal(reads, 4);
  });

  void it('CachedAccessStore: each caller gets its own grant list', async () => {
    const writes = signal();
    const grants: AclGrant[] = [{ grantee: { type: 'Group', uri: 'http://acs.amazonaws.com/groups/global/AllUsers' }, permission: 'READ' }];
    let reads = 0;
    const inner = {
      getBucketAccess(): Promise<{ policy: string | undefined; acl: AclGrant[] | undefined }> {
        reads++;
        return Promise.resolve({ policy: '{}', acl: [...grants] });
      },
    };
    const cache = new CachedAccessStore(inner as unknown as AccessStore, writes);
    const first = await cache.getBucketAccess('b');
    first.acl?.pop();
    assert.deepEqual((await cache.getBucketAccess('b')).acl, grants);
    assert.equal(reads, 1);
    writes.writes++;
    await cache.getBucketAccess('b');
    assert.equal(reads, 2);
  });

  void it('ObjectLookups: kinds of lookup share one entry per key, each with its own values; a key write forgets them all', () => {
    const sig = signal();
    const table = new ObjectLookups(sig);
    // as CachedVersionStore does: a key write forgets the key
    sig.onKeyWrite((bucket, key) => table.forget(bucket, key));
    const versions = table.slot<string | undefined>((v) => v);
    const tags = table.slot<string | undefined>((v) => v);
    const token = versions.token();
    versions.remember('b', 'k', undefined, 'v-latest', token);
    versions.remember('b', 'k', 'id1', 'v-id1', token);
    assert.equal(versions.find('b', 'k', undefined), 'v-latest');
    assert.equal(versions.find('b', 'k', 'id1'), 'v-id1');
    // the other kind of the same key: not remembered yet, then its own value
    assert.equal(tags.find('b', 'k', undefined), MISS);
    assert.equal(tags.find('b', 'k', 'id1'), MISS);
    tags.remember('b', 'k', undefined, undefined, tags.token());
    assert.equal(tags.find('b', 'k', undefined), undefined, 'a lookup that found nothing is remembered');
    assert.equal(versions.find('b', 'k', undefined), 'v-latest');
    assert.throws(() => table.slot((v) => v), /before the first lookup/);
    // a write to the key forgets every kind; other keys stay
    versions.remember('b', 'other', undefined, 'o', versions.token());
    sig.keyWrite('b', 'k');
    assert.equal(versions.find('b', 'k', undefined), MISS);
    assert.equal(versions.find('b', 'k', 'id1'), MISS);
    assert.equal(tags.find('b', 'k', undefined), MISS);
    assert.equal(versions.find('b', 'other', undefined), 'o');
    // any other write: everything
    sig.writes++;
    assert.equal(versions.find('b', 'other', undefined), MISS);
  });

  void it('ObjectLookups: counts what it holds, so forgetting keeps it from starting over early, and it starts over when full', () => {
    const sig = signal();
    const table = new ObjectLookups(sig);
    // as CachedVersionStore does: a key write forgets the key
    sig.onKeyWrite((bucket, key) => table.forget(bucket, key));
    const a = table.slot<number>((v) => v);
    const b = table.slot<number>((v) => v);
    // far more lookups over time than the limit (10,000 per kind), but few at once: never starts over
    for (let round = 0; round < 5_000; round++) {
      const key = `k${round % 7}`;
      a.remember('b', key, undefined, round, a.token());
      a.remember('b', key, `v${round}`, round, a.token());
      b.remember('b', key, undefined, round, b.token());
      b.remember('b', key, `v${round}`, round, b.token());
      sig.keyWrite('b', key);
    }
    a.remember('b', 'kept', undefined, 1, a.token());
    for (let i = 0; i < 1_000; i++) b.remember('b', `x${i}`, undefined, i, b.token());
    assert.equal(a.find('b', 'kept', undefined), 1, 'not dropped by a count that forgetting did not lower');
    // full: 20,000 lookups (10,000 per kind) held, the next new key starts over
    for (let i = 1_000; i < 19_999; i++) b.remember('b', `x${i}`, undefined, i, b.token());
    assert.equal(a.find('b', 'kept', undefined), 1);
    b.remember('b', 'one-more', undefined, 0, b.token());
    assert.equal(a.find('b', 'kept', undefined), MISS, 'started over when full');
    assert.equal(b.find('b', 'one-more', undefined), 0);
  });
});
