import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { after, before, describe, it } from 'node:test';
import { runLifecyclePass, type LifecyclePassDeps } from '../../src/core/lifecycle/LifecyclePass.js';
import type { LifecycleConfiguration } from '../../src/core/lifecycle/LifecycleRule.js';
import { FsBlobStore } from '../../src/storage/blobs/fs/FsBlobStore.js';
import { TieredBlobStore } from '../../src/storage/blobs/tiered/TieredBlobStore.js';
import type { LifecycleStore } from '../../src/core/ports/LifecycleStore.js';
import type { MetadataStore } from '../../src/core/ports/MetadataStore.js';
import { bucketOf, newVersion } from './metadata/contractKit.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
const raw = [{ key: 'type', value: 'raw' }];

const RULES: LifecycleConfiguration = {
  rules: [
    {
      id: 'raw',
      status: 'Enabled',
      scope: { kind: 'filter', filter: { kind: 'and', and: { prefix: 'photos/', tags: raw } } },
      expiration: { kind: 'days', days: 3 },
      transitions: [],
      noncurrentVersionTransitions: [],
    },
    {
      id: 'cold',
      status: 'Enabled',
      scope: { kind: 'filter', filter: { kind: 'prefix', prefix: 'archive/' } },
      transitions: [{ kind: 'days', days: 1, storageClass: 'GLACIER' }],
      noncurrentVersionTransitions: [],
    },
  ],
};

/** A backend for the pass: the metadata store and the lifecycle store on the same data, made in `dir`. */
export interface LifecyclePassFixture {
  readonly metadata: MetadataStore;
  readonly lifecycle: LifecycleStore;
  close(): Promise<void>;
}

/** A whole lifecycle pass, interrupted and resumed, on a backend (test/storage/lifecyclePass.test.ts for SQLite). */
export function lifecyclePassContract(name: string, open: (dir: string) => Promise<LifecyclePassFixture>): void {
  describe(`a lifecycle pass on ${name} with a tier directory`, () => {
    let dir: string;
    let fixture: LifecyclePassFixture;
    let metadata: MetadataStore;
    let lifecycle: LifecycleStore;
    let blobs: TieredBlobStore;
    let deps: LifecyclePassDeps;

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'tessera-lifecycle-pass-'));
      fixture = await open(dir);
      ({ metadata, lifecycle } = fixture);
      blobs = new TieredBlobStore(await FsBlobStore.open({ dataDir: join(dir, 'data') }), await FsBlobStore.open({ dataDir: join(dir, 'tier') }));
      deps = { lifecycle, buckets: metadata, ledger: metadata, blobs, tiering: blobs, clock: () => new Date(T0 + 5 * DAY), dayMs: DAY };
    });
    after(async () => {
      await fixture.close();
      await blobs.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('an interrupted pass resumes at its cursor and acts on every due object once', async () => {
      await metadata.createBucket(bucketOf('b', undefined, 'Enabled'));
      await lifecycle.putLifecycle('b', { configuration: RULES, transitionMinimumSize: 'varies_by_storage_class' });
      const due: string[] = [];
      for (let i = 0; i < 120; i++) {
        const key = `photos/${String(i).padStart(3, '0')}`;
        const tags = i % 3 === 0 ? raw : [{ key: 'type', value: 'finished' }];
        await metadata.putVersion(newVersion('b', key, { lastModified: new Date(T0), tags, segments: [] , size: 0 }), { replaceNull: false });
        if (i % 3 === 0) due.push(key);
      }
      await metadata.putVersion(newVersion('b', 'other/raw', { tags: raw, lastModified: new Date(T0), segments: [], size: 0 }), { replaceNull: false });
      const written = await blobs.write(Readable.from([Buffer.from('cold bytes')]));
      await blobs.publish([written.blobId]);
      const cold = await metadata.putVersion(
        newVersion('b', 'archive/1', { lastModified: new Date(T0), size: written.size, segments: [{ blobId: written.blobId, size: written.size }], tags: raw }),
        { replaceNull: false },
      );

      // the "crash": the pass stops after 3 units of 10
      assert.equal(await runLifecyclePass(deps, 'b', { trigger: 'test', unitSize: 10, maxUnits: 3 }), undefined);
      const partial = (await lifecycle.listPasses('b', 1))[0]!;
      assert.equal(partial.finishedAt, undefined);
      const actedBefore = partial.tally.raw?.objects ?? 0;
      assert.ok(actedBefore > 0 && actedBefore < due.length, `some but not all done before the crash (${actedBefore})`);

      const pass = await runLifecyclePass(deps, 'b', { trigger: 'test', unitSize: 10 });
      assert.equal(pass?.id, partial.id, 'the same pass finished');
      assert.deepEqual(pass?.tally, {
        raw: { objects: due.length, bytes: 0, actions: { expire: due.length } },
        cold: { objects: 1, bytes: written.size, actions: { 'transition:GLACIER': 1 } },
      });
      assert.equal(pass?.stale, 0);
      for (let i = 0; i < 120; i++) {
        const key = `photos/${String(i).padStart(3, '0')}`;
        const page = await metadata.listVersions('b', { prefix: key, limit: 10 });
        const markers = page.filter((v) => v.key === key && v.isDeleteMarker).length;
        assert.equal(markers, i % 3 === 0 ? 1 : 0, `${key}: exactly one delete marker when due`);
      }
      assert.equal((await metadata.getVersion('b', 'other/raw'))?.isDeleteMarker, false, 'outside the prefix');

      const moved = await metadata.getVersion('b', 'archive/1', cold.versionId);
      assert.equal(moved?.storageClass, 'GLACIER');
      assert.equal(moved?.versionId, cold.versionId);
      assert.ok(blobs.inTier(moved.segments[0]!.blobId), 'the bytes are in the tier');
      assert.equal((await buffer(blobs.read(moved.segments[0]!.blobId))).toString(), 'cold bytes');
      assert.deepEqual(await metadata.takeReleasedBlobs(10), [written.blobId], 'the primary copy is released');

      // the next pass (a day later) finds nothing left to do
      const again = await runLifecyclePass({ ...deps, clock: () => new Date(T0 + 6 * DAY) }, 'b', { trigger: 'test', unitSize: 10 });
      assert.deepEqual(again?.tally, {});
    });
  });
}
