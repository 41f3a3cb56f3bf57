import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import type { Job } from '../../../src/core/batch/Job.js';
import { JobService } from '../../../src/core/batch/JobService.js';
import { validateOperationTags } from '../../../src/core/batch/jobTags.js';
import type { RoleInfo } from '../../../src/core/identity/RoleDirectory.js';
import { NULL_VERSION_ID } from '../../../src/core/objects/ObjectVersion.js';
import type { Services } from '../../../src/core/Services.js';
import { PostgresDatabase } from '../../../src/storage/metadata/postgres/PostgresDatabase.js';
import { PostgresMetadataStore } from '../../../src/storage/metadata/postgres/PostgresMetadataStore.js';
import { PostgresJobStore } from '../../../src/storage/metadata/postgres/jobs/PostgresJobStore.js';
import { BatchJobWorker } from '../../../src/workers/BatchJobWorker.js';
import { createTestDatabase } from '../../support/postgresCluster.js';
import { newVersion } from '../metadata/contractKit.js';

const ACCT = '000000000000';
const ROLE_ARN = `arn:aws:iam::${ACCT}:role/batch-tagger`;
const ROLE: RoleInfo = {
  accountId: ACCT,
  roleName: 'batch-tagger',
  arn: ROLE_ARN,
  trustPolicy: JSON.stringify({
    Statement: [{ Effect: 'Allow', Principal: { Service: 'batchoperations.s3.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  }),
  policies: [JSON.stringify({ Statement: [{ Effect: 'Allow', Action: ['s3:PutObjectTagging'], Resource: '*' }] })],
};
const roles = { roleByArn: (arn: string) => Promise.resolve(arn === ROLE_ARN ? ROLE : undefined) };
const OBJECTS = 120;

/** One Tessera node's batch machinery: its own pool, stores, JobService and worker. */
interface Node {
  readonly db: PostgresDatabase;
  readonly jobs: JobService;
  readonly metadata: PostgresMetadataStore;
  worker(holder: string, leaseMs: number, jobs?: JobService): BatchJobWorker;
}

async function node(url: string): Promise<Node> {
  const db = await PostgresDatabase.open(url, { max: 4 });
  const metadata = new PostgresMetadataStore(db);
  const buckets = { get: (name: string) => metadata.getBucket(name) };
  const jobs = new JobService({ store: new PostgresJobStore(db), buckets, roles, settings: { region: 'us-east-1' }, clock: () => new Date() });
  return {
    db,
    jobs,
    metadata,
    worker: (holder, leaseMs, withJobs = jobs) =>
      new BatchJobWorker({
        jobs: withJobs,
        services: { buckets } as unknown as Services,
        versions: metadata,
        roles,
        log: pino({ level: 'silent' }),
        clock: () => new Date(),
        unitSize: 7,
        pollMs: 10,
        holder,
        leaseMs,
      }),
  };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('BatchJobWorker on PostgreSQL: several nodes, one database', () => {
  let database: { url: string; dispose(): Promise<void> };
  let a: Node;
  let b: Node;
  let n = 0;

  before(async () => {
    database = await createTestDatabase();
    a = await node(database.url);
    b = await node(database.url);
  });

  after(async () => {
    await a.db.close();
    await b.db.close();
    await database.dispose();
  });

  /** A bucket of OBJECTS objects, followed (each tag write leaves one change-outbox row), and a job tagging them all. */
  async function job(): Promise<{ bucket: string; job: Job }> {
    const bucket = `src-${++n}`;
    await a.metadata.createBucket({ name: bucket, ownerAccountId: ACCT, region: 'us-east-1', createdAt: new Date(), versioning: 'Unversioned' });
    for (let i = 0; i < OBJECTS; i++) {
      await a.metadata.putVersion(newVersion(bucket, `k${String(i).padStart(4, '0')}`, { versionId: NULL_VERSION_ID, ownerAccountId: ACCT }), { replaceNull: true });
    }
    await a.db.query("INSERT INTO change_feeds (bucket, consumer) VALUES ($1, 'test')", [bucket]);
    const created = await a.jobs.create(ACCT, {
      spec: {
        operation: { kind: 'S3PutObjectTagging', tags: validateOperationTags([{ key: 'done', value: String(n) }]) },
        report: { enabled: false },
        generator: { sourceBucket: bucket, enableManifestOutput: false, filter: {} },
      },
      priority: 10,
      roleArn: ROLE_ARN,
      confirmationRequired: false,
      clientRequestToken: `token-${n}`,
      tags: [],
    });
    return { bucket, job: created };
  }

  /** Every object tagged once: the counters exact, one outbox row per object, every version carrying the tag. */
  async function assertExactlyOnce(bucket: string, jobId: string): Promise<void> {
    const done = (await a.jobs.byId(jobId))!;
    assert.equal(done.status, 'Complete');
    assert.deepEqual([done.succeeded, done.failed, done.cursor, done.totalTasks], [OBJECTS, 0, OBJECTS, OBJECTS]);
    const logged = await a.db.query<{ key: string; n: number }>(
      "SELECT key, count(*)::integer AS n FROM change_outbox WHERE bucket = $1 AND kind = 'tags' GROUP BY key",
      [bucket],
    );
    assert.equal(logged.rows.length, OBJECTS, 'every object written');
    assert.ok(logged.rows.every((r) => r.n === 1), 'no object written twice');
    const tagged = await a.db.query<{ n: number }>(
      `SELECT count(*)::integer AS n FROM versions v JOIN object_tags o ON o.version_row = v.id
        WHERE v.bucket = $1 AND o.key = 'done' AND v.tag_count = 1`,
      [bucket],
    );
    assert.equal(tagged.rows[0]!.n, OBJECTS);
  }

  it('two workers on two nodes run one job, its ranges spread over both: every row applied exactly once', async () => {
    const { bucket, job: j } = await job();
    const workers = [a.worker('node-a', 5_000), b.worker('node-b', 5_000)];
    for (const w of workers) w.start();
    try {
      await until('the job to complete', async () => ((await a.jobs.byId(j.id))?.status === 'Complete' ? true : undefined));
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
    await assertExactlyOnce(bucket, j.id);
    const holders = await a.db.query<{ holder: string }>('SELECT DISTINCT holder FROM batch_job_ranges WHERE job_id = $1 ORDER BY holder', [j.id]);
    assert.deepEqual(holders.rows.map((r) => r.holder), ['node-a', 'node-b'], "the job's ranges ran on both nodes");
  });

  it("a node killed mid-unit loses the job after the lease's TTL; another resumes from the cursor, and the dead node's late unit applies nothing", async () => {
    const { bucket, job: j } = await job();
    let killed = false;
    let lateCommit: Promise<Job | undefined> | undefined;
    let reviveDead: () => void = () => undefined;
    const revived = new Promise<void>((resolve) => (reviveDead = resolve));
    // node A's view of the jobs: once "killed" it renews nothing, releases nothing, and its unit in flight reaches
    // the database only after B has finished the job (a frozen process that wakes up late)
    const dying = new Proxy(a.jobs, {
      get(target, prop, receiver) {
        const value: unknown = Reflect.get(target, prop, receiver);
        if (prop === 'renewLease') return (...args: Parameters<JobService['renewLease']>) => (killed ? Promise.resolve(true) : target.renewLease(...args));
        if (prop === 'releaseLease') return (...args: Parameters<JobService['releaseLease']>) => (killed ? Promise.resolve() : target.releaseLease(...args));
        if (prop === 'commitUnit') {
          return (...args: Parameters<JobService['commitUnit']>) => {
            if (!killed) return target.commitUnit(...args);
            lateCommit ??= revived.then(() => target.commitUnit(...args));
            return lateCommit;
          };
        }
        return typeof value === 'function' ? (value as (...x: unknown[]) => unknown).bind(target) : value;
      },
    });
    const dead = a.worker('node-a', 300, dying);
    dead.start();
    const cursorAtKill = await until('some units to commit', async () => {
      const cursor = (await a.jobs.byId(j.id))?.cursor ?? 0;
      return cursor > 0 ? cursor : undefined;
    });
    killed = true;
    const survivor = b.worker('node-b', 5_000);
    survivor.start();
    try {
      await until('the job to complete on the other node', async () => ((await b.jobs.byId(j.id))?.status === 'Complete' ? true : undefined));
    } finally {
      await survivor.stop();
    }
    assert.ok(cursorAtKill < OBJECTS, 'killed while tasks remained');
    reviveDead();
    assert.ok(lateCommit !== undefined, 'the dead node had a unit in flight');
    assert.equal(await lateCommit, undefined, "the dead node's late unit applies nothing");
    await dead.stop();
    await assertExactlyOnce(bucket, j.id);
  });
});
