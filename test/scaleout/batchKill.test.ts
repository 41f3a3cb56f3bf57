import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateBucketCommand, GetObjectCommand, GetObjectTaggingCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateJobCommand, DescribeJobCommand, type JobDescriptor, type S3ControlClient } from '@aws-sdk/client-s3-control';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import pg from 'pg';
import { emptyVersion } from '../../bench/support/emptyVersion.js';
import { PostgresMetadataStore } from '../../src/storage/metadata/postgres/PostgresMetadataStore.js';
import { ACCOUNT, controlClient, until } from '../conformance/batchSupport.js';
import { createTestDatabase } from '../support/postgresCluster.js';
import { clientFor, CREDENTIALS, kill9, startServer, type Running } from '../support/serverProcess.js';

/**
 * Two `tessera server` processes on one PostgreSQL database and one blob directory (shared as an NFS mount would be).
 * A tagging job's ranges of rows run on both nodes at once; a node is killed with SIGKILL in the middle of a range,
 * and the other node takes that range over once its lease expires and finishes the job: every row applied and
 * reported exactly once.
 */

/**
 * Manifest rows: at most 1,000 per unit on PostgreSQL and four units per range, so the job is 8 ranges of about 30
 * units, and a node is killed among them.
 */
const ROWS = 30_000;
/**
 * Objects written through the nodes' S3 API (both nodes, 32 in flight); the rest are written straight into the shared
 * metadata tables through the metadata store's putVersion (as bench/batch seeds): on a busy two-core machine PUTs
 * through S3 ran at 60 to 220 a second, putVersion at over 1,000.
 */
const THROUGH_S3 = 500;
/** TESSERA_BATCH_LEASE_SECONDS of both nodes: the takeover comes this long after the killed node's last renewal. */
const LEASE_SECONDS = 4;
const BUCKET = 'fleet';
const TAG = { Key: 'swept', Value: 'by-batch' };
const keyOf = (i: number): string => `obj/${String(i).padStart(6, '0')}`;

interface JobRow {
  status: string;
  cursor: number;
  succeeded: number;
  failed: number;
}

/** A range of the job's rows (batch_job_ranges) with the worker that holds or last held it. */
interface RangeRow {
  first_row: number;
  end_row: number;
  cursor: number;
  holder: string | null;
  lease_until: number | null;
}

/** The pid in a worker's lease holder (`host:pid:uuid`, BatchJobWorker). */
function pidOf(holder: string | null): number | undefined {
  const m = holder === null ? null : /:(\d+):[0-9a-f-]{36}$/.exec(holder);
  return m ? Number(m[1]) : undefined;
}

describe('a batch job on two nodes sharing PostgreSQL', () => {
  let database: { url: string; dispose(): Promise<void> };
  let dataDir: string;
  let sql: pg.Client;
  const nodes: Running[] = [];
  const clients: { destroy(): void }[] = [];

  before(async () => {
    database = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'tessera-batch-kill-'));
    const env = { TESSERA_METADATA_URL: database.url, TESSERA_BATCH_LEASE_SECONDS: String(LEASE_SECONDS) };
    // one after the other: the first applies the schema
    nodes.push(await startServer(dataDir, env));
    nodes.push(await startServer(dataDir, env));
    sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
  });

  after(async () => {
    for (const c of clients) c.destroy();
    for (const node of nodes) await kill9(node);
    await sql?.end();
    await database?.dispose();
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  });

  it('kill -9 of the node holding the lease mid-run: the other node takes the job over and finishes it exactly once', { timeout: 150_000 }, async () => {
    const started = Date.now();
    const [a, b] = nodes as [Running, Running];
    const s3 = [clientFor(a.endpoint), clientFor(b.endpoint)] as const;
    clients.push(...s3);

    // seed: buckets and the first objects through both nodes, the rest through the metadata store on the same database
    await s3[0].send(new CreateBucketCommand({ Bucket: BUCKET }));
    await s3[1].send(new CreateBucketCommand({ Bucket: 'manifests' }));
    await s3[0].send(new CreateBucketCommand({ Bucket: 'reports' }));
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        for (let i = next++; i < THROUGH_S3; i = next++) {
          await s3[i % 2]!.send(new PutObjectCommand({ Bucket: BUCKET, Key: keyOf(i), Body: `object ${i}` }));
        }
      }),
    );
    const throughS3 = Date.now();
    const store = await PostgresMetadataStore.open(database.url);
    try {
      for (let first = THROUGH_S3; first < ROWS; first += 2_000) {
        const writes: Promise<unknown>[] = [];
        for (let i = first; i < Math.min(ROWS, first + 2_000); i++) {
          writes.push(store.putVersion(emptyVersion(BUCKET, keyOf(i), ACCOUNT), { replaceNull: true }));
        }
        await Promise.all(writes);
      }
    } finally {
      await store.close();
    }
    const seeded = Date.now();

    // the job's role, created through IAM like a user would: trusted by S3 Batch Operations, allowed to tag
    const iam = new IAMClient({ endpoint: a.endpoint, region: 'us-east-1', credentials: CREDENTIALS });
    clients.push(iam);
    const role = await iam.send(
      new CreateRoleCommand({
        RoleName: 'batch-kill',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'batchoperations.s3.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'batch-kill',
        PolicyName: 'tag-and-report',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: ['s3:PutObjectTagging', 's3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::*/*' }],
        }),
      }),
    );

    const manifest = Array.from({ length: ROWS }, (_, i) => `${BUCKET},${keyOf(i)}\n`).join('');
    const put = await s3[1].send(new PutObjectCommand({ Bucket: 'manifests', Key: 'all.csv', Body: manifest }));
    const controls: [S3ControlClient, S3ControlClient] = [controlClient(a.endpoint, CREDENTIALS), controlClient(b.endpoint, CREDENTIALS)];
    clients.push(...controls);
    const { JobId } = await controls[1].send(
      new CreateJobCommand({
        AccountId: ACCOUNT,
        Operation: { S3PutObjectTagging: { TagSet: [TAG] } },
        Manifest: {
          Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key'] },
          Location: { ObjectArn: 'arn:aws:s3:::manifests/all.csv', ETag: put.ETag! },
        },
        Report: { Enabled: true, Bucket: 'arn:aws:s3:::reports', Format: 'Report_CSV_20180820', Prefix: 'kill', ReportScope: 'AllTasks' },
        Priority: 10,
        RoleArn: role.Role!.Arn!,
        ClientRequestToken: 'batch-kill-1',
        ConfirmationRequired: false,
      }),
    );
    assert.ok(JobId);
    const describeJob = async (via: S3ControlClient): Promise<JobDescriptor> =>
      (await via.send(new DescribeJobCommand({ AccountId: ACCOUNT, JobId }))).Job!;
    const jobRow = async (): Promise<JobRow> =>
      (await sql.query<JobRow>('SELECT status, cursor, succeeded, failed FROM batch_jobs WHERE id = $1', [JobId])).rows[0]!;
    const ranges = async (): Promise<RangeRow[]> =>
      (
        await sql.query<RangeRow>('SELECT first_row, end_row, cursor, holder, lease_until FROM batch_job_ranges WHERE job_id = $1 ORDER BY first_row', [
          JobId,
        ])
      ).rows;
    const pids = (rows: readonly RangeRow[]): Set<number | undefined> => new Set(rows.filter((r) => r.holder !== null).map((r) => pidOf(r.holder)));

    // units committed on both nodes, rows left: kill a node in the middle of a range it holds (polled in the database,
    // cheap queries, so the poll keeps up with units of a few tens of milliseconds)
    const { victimHolder, done: doneBeforeKill, before: rangesBefore } = await until(
      async () => {
        const row = await jobRow();
        if (row.status !== 'Active' && row.status !== 'Ready' && row.status !== 'Preparing' && row.status !== 'New') {
          throw new Error(`the job reached ${row.status} before it could be killed mid-run: raise ROWS`);
        }
        const done = Number(row.succeeded) + Number(row.failed);
        if (row.status !== 'Active' || done < 1_000) return undefined;
        const rows = await ranges();
        const working = rows.find((r) => r.holder !== null && r.lease_until !== null && Number(r.cursor) > Number(r.first_row) && Number(r.cursor) < Number(r.end_row));
        return pids(rows).size === 2 && working !== undefined ? { victimHolder: working.holder!, done, before: rows } : undefined;
      },
      'units of the job to commit on both nodes',
      60_000,
    );
    const victimIndex = nodes.findIndex((n) => n.proc.pid === pidOf(victimHolder));
    assert.ok(victimIndex >= 0, `the range's holder ${victimHolder} is one of the two nodes (${a.proc.pid}, ${b.proc.pid})`);
    assert.deepEqual([...pids(rangesBefore)].sort(), [a.proc.pid, b.proc.pid].sort(), "the job's ranges ran on both nodes at once");
    const victim = nodes[victimIndex]!;
    const survivor = nodes[1 - victimIndex]!;
    const survivorControl = controls[1 - victimIndex]!;
    const survivorS3 = s3[1 - victimIndex]!;
    await kill9(victim);
    const killedAt = Date.now();

    // the kill landed mid-run, as a user sees it: the job is Active with tasks left
    const progress = await describeJob(survivorControl);
    const shownDone = (progress.ProgressSummary?.NumberOfTasksSucceeded ?? 0) + (progress.ProgressSummary?.NumberOfTasksFailed ?? 0);
    assert.equal(progress.Status, 'Active');
    assert.ok(shownDone >= doneBeforeKill && shownDone < ROWS, `killed mid-run: ${shownDone} of ${ROWS} tasks done`);
    // the dead node still holds a range with rows left (a dead process claims nothing, so it held it when it died)
    const atKill = await jobRow();
    const orphaned = (await ranges()).filter((r) => r.holder === victimHolder && Number(r.cursor) < Number(r.end_row));
    assert.equal(atKill.status, 'Active');
    assert.ok(Number(atKill.cursor) < ROWS, `killed with rows left (${atKill.cursor} of ${ROWS} applied)`);
    assert.ok(Number(atKill.succeeded) >= doneBeforeKill, 'units committed before the kill stay committed');
    assert.ok(orphaned.length >= 1, 'the killed node held a range with rows left when it died');

    // the survivor takes the dead node's range over once its lease expires, and finishes the job
    const takenOver = await until(
      async () => {
        const now = (await ranges()).filter((r) => orphaned.some((o) => o.first_row === r.first_row));
        return now.every((r) => r.holder !== victimHolder) ? now : undefined;
      },
      "the other node to take the dead node's range over",
      LEASE_SECONDS * 1000 + 20_000,
    );
    const takenOverAt = Date.now();
    for (const r of takenOver) assert.equal(pidOf(r.holder), survivor.proc.pid, `the survivor took range ${r.first_row} over (holder ${r.holder})`);
    const job = await until(
      async () => {
        const j = await describeJob(survivorControl);
        return j.Status === 'Complete' || j.Status === 'Failed' ? j : undefined;
      },
      'the job to finish on the surviving node',
      60_000,
    );
    const finishedAt = Date.now();
    assert.equal(job.Status, 'Complete', JSON.stringify(job.FailureReasons));
    assert.equal(job.ProgressSummary?.TotalNumberOfTasks, ROWS);
    assert.equal(job.ProgressSummary?.NumberOfTasksSucceeded, ROWS);
    assert.equal(job.ProgressSummary?.NumberOfTasksFailed, 0);
    assert.equal(victim.proc.signalCode, 'SIGKILL');
    const finalRanges = await ranges();
    assert.ok(finalRanges.length >= 2, `the job ran as several ranges (${finalRanges.length})`);
    assert.ok(finalRanges.every((r) => Number(r.cursor) === Number(r.end_row)), 'every range done');
    assert.equal(finalRanges.reduce((n, r) => n + Number(r.end_row) - Number(r.first_row), 0), ROWS, 'the ranges cover the rows once');
    assert.equal(survivor.proc.exitCode, null, 'the surviving node still runs');

    // the completion report lists every row exactly once, as succeeded
    const text = async (bucket: string, key: string): Promise<string> =>
      (await survivorS3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();
    const report = JSON.parse(await text('reports', `kill/job-${JobId}/manifest.json`)) as {
      Results: { TaskExecutionStatus: string; Bucket: string; Key: string }[];
    };
    const seen = new Map<string, number>();
    let reportRows = 0;
    for (const result of report.Results) {
      for (const line of (await text(result.Bucket, result.Key)).trim().split('\n')) {
        if (line === '') continue;
        reportRows++;
        const [bucket, key, , status] = line.split(',');
        assert.equal(bucket, BUCKET);
        assert.equal(status, 'succeeded', line);
        const k = decodeURIComponent(key!);
        seen.set(k, (seen.get(k) ?? 0) + 1);
      }
    }
    assert.equal(reportRows, ROWS, 'one report row per manifest row');
    assert.equal(seen.size, ROWS, 'no row reported twice');
    for (let i = 0; i < ROWS; i++) assert.equal(seen.get(keyOf(i)), 1, `${keyOf(i)} reported once`);

    // every object carries the tag: all of them in the metadata tables, a sample through S3 on the survivor
    // fresh statistics first: on the planner's guess of empty tables this join is a nested loop of seq scans
    await sql.query('ANALYZE versions, object_tags');
    const tagged = await sql.query<{ n: string }>(
      `SELECT count(*) AS n FROM versions v JOIN object_tags t ON t.version_row = v.id
        WHERE v.bucket = $1 AND v.is_latest = 1 AND v.is_delete_marker = 0 AND t.key = $2 AND t.value = $3`,
      [BUCKET, TAG.Key, TAG.Value],
    );
    assert.equal(Number(tagged.rows[0]!.n), ROWS);
    const versions = await sql.query<{ n: string }>('SELECT count(*) AS n FROM versions WHERE bucket = $1', [BUCKET]);
    assert.equal(Number(versions.rows[0]!.n), ROWS, 'tagging added no versions');
    for (let i = 0; i < ROWS; i += Math.floor(ROWS / 40)) {
      const tags = await survivorS3.send(new GetObjectTaggingCommand({ Bucket: BUCKET, Key: keyOf(i) }));
      assert.deepEqual(tags.TagSet, [TAG], keyOf(i));
    }

    const seconds = (from: number, to: number): string => `${((to - from) / 1000).toFixed(1)} s`;
    console.log(
      `# ${ROWS} rows: seeded in ${seconds(started, seeded)} (${THROUGH_S3} through S3 in ${seconds(started, throughS3)}); ` +
        `killed pid ${victim.proc.pid} ${seconds(seeded, killedAt)} later with ${doneBeforeKill}+ tasks done (${atKill.cursor} rows applied, ` +
        `ranges held by ${pids(rangesBefore).size} nodes); ` +
        `pid ${survivor.proc.pid} took over ${seconds(killedAt, takenOverAt)} after the kill and completed the job ` +
        `${seconds(takenOverAt, finishedAt)} after that; checks ${seconds(finishedAt, Date.now())}`,
    );
  });
});
