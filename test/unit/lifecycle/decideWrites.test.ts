import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { VersioningState } from '../../../src/core/buckets/Bucket.js';
import { decideWrites, versionFacts } from '../../../src/core/lifecycle/decideWrites.js';
import { planScans } from '../../../src/core/lifecycle/planScans.js';
import type { LifecycleKey, LifecycleVersion } from '../../../src/core/ports/LifecycleStore.js';
import { rulesOf } from './support.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
const raw = [{ key: 'type', value: 'raw' }];

function version(overrides: Partial<LifecycleVersion> & { versionId: string; seq: number }): LifecycleVersion {
  return {
    isLatest: true,
    isDeleteMarker: false,
    lastModified: new Date(T0),
    size: 10,
    storageClass: 'STANDARD',
    segments: [],
    tags: [],
    ...overrides,
  };
}

function decide(rules: string[], keys: LifecycleKey[], versioning: VersioningState, nowDays: number, scanIndex = 0) {
  const parsed = rulesOf(...rules);
  return decideWrites(keys, {
    rules: parsed,
    scans: planScans(parsed).versions,
    scanIndex,
    context: { versioning, now: new Date(T0 + nowDays * DAY) },
    bucket: 'b',
    ownerAccountId: '111111111111',
  }).map((w) => ({ kind: w.kind, action: w.action, key: w.key, ...('versionId' in w ? { versionId: w.versionId } : {}), ...('replaceNull' in w ? { replaceNull: w.replaceNull } : {}) }));
}

const EXPIRE_RAW = `<ID>raw</ID><Filter><And><Prefix>photos/</Prefix><Tag><Key>type</Key><Value>raw</Value></Tag></And></Filter><Status>Enabled</Status><Expiration><Days>3</Days></Expiration>`;

describe('decideWrites: the one action due on each version, as a guarded write', () => {
  const photo = (tags = raw): LifecycleKey => ({ key: 'photos/1', versions: [version({ versionId: 'null', seq: 5, tags })] });

  it('unversioned: an expired object is deleted', () => {
    assert.deepEqual(decide([EXPIRE_RAW], [photo()], 'Unversioned', 4), [{ kind: 'deleteVersion', action: 'expire', key: 'photos/1', versionId: 'null' }]);
  });
  it('not yet due: nothing (3 days from creation, rounded up to midnight)', () => {
    assert.deepEqual(decide([EXPIRE_RAW], [photo()], 'Unversioned', 2.99), []);
  });
  it('a version re-tagged out of the filter is left alone', () => {
    assert.deepEqual(decide([EXPIRE_RAW], [photo([{ key: 'type', value: 'finished' }])], 'Unversioned', 10), []);
  });
  it('versioned: expiry adds a delete marker with a new id', () => {
    const [w] = decide([EXPIRE_RAW], [photo()], 'Enabled', 4);
    assert.deepEqual(w, { kind: 'addDeleteMarker', action: 'expire', key: 'photos/1', replaceNull: false });
  });
  it('suspended: the delete marker replaces the null version', () => {
    const [w] = decide([EXPIRE_RAW], [photo()], 'Suspended', 4);
    assert.equal(w?.replaceNull, true);
  });
  it('noncurrent versions: NewerNoncurrentVersions keeps the newest ones', () => {
    const rule = '<ID>nc</ID><Filter/><Status>Enabled</Status><NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays><NewerNoncurrentVersions>1</NewerNoncurrentVersions></NoncurrentVersionExpiration>';
    const key: LifecycleKey = {
      key: 'k',
      versions: [
        version({ versionId: 'v4', seq: 4, lastModified: new Date(T0 + 3 * DAY) }),
        version({ versionId: 'v3', seq: 3, isLatest: false, lastModified: new Date(T0 + 2 * DAY) }),
        version({ versionId: 'v2', seq: 2, isLatest: false, lastModified: new Date(T0 + DAY) }),
        version({ versionId: 'v1', seq: 1, isLatest: false, lastModified: new Date(T0) }),
      ],
    };
    assert.deepEqual(decide([rule], [key], 'Enabled', 10).map((w) => w.versionId), ['v2', 'v1']);
  });
  it('a delete marker with no versions left goes with ExpiredObjectDeleteMarker', () => {
    const rule = '<ID>m</ID><Filter/><Status>Enabled</Status><Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>';
    const alone: LifecycleKey = { key: 'k', versions: [version({ versionId: 'dm', seq: 9, isDeleteMarker: true, size: 0 })] };
    const notAlone: LifecycleKey = { key: 'j', versions: [version({ versionId: 'dm', seq: 9, isDeleteMarker: true, size: 0 }), version({ versionId: 'v', seq: 1, isLatest: false })] };
    assert.deepEqual(decide([rule], [alone, notAlone], 'Enabled', 1), [{ kind: 'deleteVersion', action: 'remove-delete-marker', key: 'k', versionId: 'dm' }]);
  });
  it('a transition is due before the expiration, and carries the class it was read in', () => {
    const rule = '<ID>t</ID><Filter/><Status>Enabled</Status><Transition><Days>1</Days><StorageClass>GLACIER</StorageClass></Transition><Expiration><Days>30</Days></Expiration>';
    const parsed = rulesOf(rule);
    const writes = decideWrites([{ key: 'k', versions: [version({ versionId: 'null', seq: 1, size: 200_000 })] }], {
      rules: parsed,
      scans: planScans(parsed).versions,
      scanIndex: 0,
      context: { versioning: 'Unversioned', now: new Date(T0 + 2 * DAY) },
      bucket: 'b',
      ownerAccountId: '1',
    });
    const [w] = writes;
    assert.equal(writes.length, 1);
    assert.ok(w !== undefined && w.kind === 'transition' && w.storageClass === 'GLACIER' && w.fromStorageClass === 'STANDARD');
  });
  it('a tag scan decides only the versions it found, and none an earlier scan read', () => {
    const rules = [
      '<ID>logs</ID><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>',
      `<ID>raw</ID><Filter><Tag><Key>type</Key><Value>raw</Value></Tag></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>`,
    ];
    const keys: LifecycleKey[] = [
      { key: 'logs/1', versions: [version({ versionId: 'null', seq: 1, tags: raw })], found: ['null'] },
      { key: 'photos/1', versions: [version({ versionId: 'null', seq: 2, tags: raw })], found: ['null'] },
    ];
    // scan 1 is the tag scan; logs/1 was read by scan 0 (the keys under logs/)
    assert.deepEqual(decide(rules, keys, 'Unversioned', 5, 1).map((w) => w.key), ['photos/1']);
  });
  it('versionFacts: noncurrent since its successor was written, newer noncurrent versions counted', () => {
    const stack = [
      version({ versionId: 'v3', seq: 3, lastModified: new Date(T0 + 2 * DAY) }),
      version({ versionId: 'v2', seq: 2, isLatest: false, lastModified: new Date(T0 + DAY) }),
      version({ versionId: 'v1', seq: 1, isLatest: false, lastModified: new Date(T0) }),
    ];
    const f = versionFacts('k', stack, 2);
    assert.equal(f.noncurrentSince?.getTime(), T0 + DAY);
    assert.equal(f.newerNoncurrentVersions, 1);
    assert.equal(versionFacts('k', stack, 0).noncurrentVersions, 2);
  });
});
