/**
 * node dist/bench/stats/triggerCost.js [--ops N] [--rounds R] — what migration 011's triggers cost a write, measured
 * on the metadata store itself (no HTTP, no blob files: the trigger work is all that differs), in one process:
 *
 * - `no triggers`: the store with the storage-figure triggers dropped (what a write cost before migration 011);
 * - `triggers`: as shipped, no tag key tracked (the default);
 * - `triggers + 2 keys`: TESSERA_METRICS_TAG_KEYS set to two of the four tag keys every write carries.
 *
 * Each configuration has its own store; rounds alternate between them so a busy moment hits all alike. Each round
 * writes N versions in groups of 32 concurrent writes (the group commit batches them as under load) for three
 * workloads: a new key with 4 tags (unversioned PUT), a new version of an existing tagged key in a versioned bucket
 * (the previous version demoted), and a tag-set replace. Reported: main-thread CPU µs per write (the steadiest figure
 * on a shared machine) and writes/s, median of the rounds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { NULL_VERSION_ID, type NewObjectVersion } from '../../src/core/objects/ObjectVersion.js';
import { SqliteDatabase } from '../../src/storage/metadata/sqlite/SqliteDatabase.js';
import { SqliteMetadataStore } from '../../src/storage/metadata/sqlite/SqliteMetadataStore.js';
import { SqliteStorageStats } from '../../src/storage/metadata/sqlite/stats/SqliteStorageStats.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
}

const OPS = arg('ops', 4000);
const ROUNDS = arg('rounds', 5);
const GROUP = 32;
const TAGS = [
  { key: 'project', value: 'apollo' },
  { key: 'classification', value: 'internal' },
  { key: 'owner', value: 'team-a' },
  { key: 'env', value: 'prod' },
];
const STATS_TRIGGERS = [
  'bucket_stats_version_insert', 'bucket_stats_version_delete', 'bucket_stats_version_update', 'tag_stats_tag_insert',
  'tag_stats_tag_delete', 'tag_stats_tag_update', 'tag_stats_version_delete', 'tag_stats_version_update',
];

interface Setup {
  readonly name: string;
  readonly dir: string;
  readonly store: SqliteMetadataStore;
  n: number;
}

function version(bucket: string, key: string, versionId: string): NewObjectVersion {
  return {
    bucket, key, versionId, isDeleteMarker: false, lastModified: new Date(), ownerAccountId: '000000000000', size: 4096,
    etag: 'e', storageClass: 'STANDARD', contentHeaders: {}, userMetadata: {}, segments: [{ blobId: `${bucket}-${key}-${versionId}`, size: 4096 }],
    tags: TAGS,
  };
}

async function setup(name: string, dropTriggers: boolean, keys: readonly string[]): Promise<Setup> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-trigger-cost-'));
  const database = await SqliteDatabase.open(dir);
  if (dropTriggers) for (const t of STATS_TRIGGERS) database.db.exec(`DROP TRIGGER ${t}`);
  await new SqliteStorageStats(database).setTrackedTagKeys(keys);
  const store = new SqliteMetadataStore(database, true);
  for (const [bucket, versioning] of [['plain', 'Unversioned'], ['versioned', 'Enabled']] as const) {
    await store.createBucket({ name: bucket, ownerAccountId: '000000000000', region: 'us-east-1', createdAt: new Date(), versioning });
  }
  // keys the overwrite and retag workloads cycle over
  for (let i = 0; i < 1024; i += GROUP) {
    await Promise.all(Array.from({ length: GROUP }, (_, j) => store.putVersion(version('versioned', `obj/${i + j}`, `seed${i + j}`), { replaceNull: false })));
  }
  return { name, dir, store, n: 0 };
}

type Workload = (s: Setup, i: number) => Promise<unknown>;
const WORKLOADS: Record<string, Workload> = {
  'PUT new key, 4 tags': (s, i) => s.store.putVersion(version('plain', `put/${s.n}-${i}`, NULL_VERSION_ID), { replaceNull: true }),
  'PUT new version (versioned)': (s, i) => s.store.putVersion(version('versioned', `obj/${i % 1024}`, `v${s.n}-${i}`), { replaceNull: false }),
  'replace 4 tags': (s, i) =>
    s.store.replaceTags('versioned', `obj/${i % 1024}`, undefined, TAGS.map((t) => ({ key: t.key, value: `${t.value}-${(s.n + i) % 3}` }))),
};

async function measure(s: Setup, workload: Workload): Promise<{ cpuUs: number; opsPerSec: number }> {
  s.n++;
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < OPS; i += GROUP) await Promise.all(Array.from({ length: GROUP }, (_, j) => workload(s, i + j)));
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  return { cpuUs: (used.user + used.system) / OPS, opsPerSec: OPS / seconds };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

const setups = [
  await setup('no triggers', true, []),
  await setup('triggers', false, []),
  await setup('triggers + 2 keys', false, ['project', 'classification']),
];
console.log(`${OPS} writes per round, ${ROUNDS} rounds, groups of ${GROUP}; median of rounds (CPU µs/write, writes/s)`);
for (const [label, workload] of Object.entries(WORKLOADS)) {
  const results = new Map(setups.map((s) => [s.name, { cpu: [] as number[], ops: [] as number[] }]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? setups : [...setups].reverse();
    for (const s of order) {
      const r = await measure(s, workload);
      results.get(s.name)?.cpu.push(r.cpuUs);
      results.get(s.name)?.ops.push(r.opsPerSec);
    }
  }
  const base = results.get('no triggers');
  const baseCpu = median(base?.cpu ?? []);
  const baseOps = median(base?.ops ?? []);
  console.log(`\n${label}`);
  for (const s of setups) {
    const r = results.get(s.name);
    const cpu = median(r?.cpu ?? []);
    const ops = median(r?.ops ?? []);
    console.log(
      `  ${s.name.padEnd(18)} ${cpu.toFixed(1).padStart(7)} µs/write (${((cpu / baseCpu) * 100).toFixed(0).padStart(3)}%)` +
        `  ${ops.toFixed(0).padStart(6)} writes/s (${((ops / baseOps) * 100).toFixed(0).padStart(3)}%)`,
    );
  }
}
for (const s of setups) {
  await s.store.close();
  rmSync(s.dir, { recursive: true, force: true });
}
