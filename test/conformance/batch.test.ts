import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import {
  CreateBucketCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
} from '@aws-sdk/client-s3';
import {
  CreateJobCommand,
  DeleteJobTaggingCommand,
  DescribeJobCommand,
  GetJobTaggingCommand,
  ListJobsCommand,
  PutJobTaggingCommand,
  UpdateJobPriorityCommand,
  UpdateJobStatusCommand,
  type CreateJobCommandInput,
  type JobDescriptor,
} from '@aws-sdk/client-s3-control';
import { bucketName } from '../support/names.js';
import { ACCOUNT, controlClient, startBatchServer, until, type BatchServer } from './batchSupport.js';

let t: BatchServer;

function named(name: string): (e: unknown) => boolean {
  return (e) => e instanceof Error && e.name === name;
}

function httpStatus(status: number): (e: unknown) => boolean {
  return (e) => (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === status;
}

interface ReportManifest {
  Format: string;
  ReportSchema: string;
  Results: { TaskExecutionStatus: string; Bucket: string; Key: string; MD5Checksum: string }[];
}
let bucket: string;
let reports: string;
let tokens = 0;

async function put(key: string, body = 'x', b = bucket): Promise<string | undefined> {
  const out = await t.s3.send(new PutObjectCommand({ Bucket: b, Key: key, Body: body, Tagging: 'old=1' }));
  return out.VersionId;
}

/** Upload a manifest and return its Location (ObjectArn + ETag). */
async function manifest(name: string, text: string | Buffer): Promise<{ ObjectArn: string; ETag: string }> {
  const out = await t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: name, Body: text }));
  return { ObjectArn: `arn:aws:s3:::${bucket}/${name}`, ETag: out.ETag! };
}

function csv(rows: string[][]): string {
  return rows.map((r) => r.join(',')).join('\n') + '\n';
}

function jobInput(location: { ObjectArn: string; ETag: string }, overrides: Partial<CreateJobCommandInput> = {}): CreateJobCommandInput {
  tokens += 1;
  return {
    AccountId: ACCOUNT,
    Operation: { S3PutObjectTagging: { TagSet: [{ Key: 'batch', Value: 'done' }] } },
    Manifest: { Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key'] }, Location: location },
    Report: { Enabled: true, Bucket: `arn:aws:s3:::${reports}`, Format: 'Report_CSV_20180820', Prefix: 'reports', ReportScope: 'AllTasks' },
    Priority: 10,
    RoleArn: t.roleArn,
    ConfirmationRequired: false,
    ClientRequestToken: `token-${tokens}-${Date.now()}`,
    ...overrides,
  };
}

async function describe_(jobId: string): Promise<JobDescriptor> {
  const out = await t.control.send(new DescribeJobCommand({ AccountId: ACCOUNT, JobId: jobId }));
  return out.Job!;
}

async function waitStatus(jobId: string, statuses: string[]): Promise<JobDescriptor> {
  return until(async () => {
    const job = await describe_(jobId);
    return statuses.includes(job.Status ?? '') ? job : undefined;
  }, `job ${jobId} to reach ${statuses.join('|')}`);
}

async function tagsOf(key: string, versionId?: string): Promise<Record<string, string>> {
  const out = await t.s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }));
  return Object.fromEntries((out.TagSet ?? []).map((x) => [x.Key!, x.Value!]));
}

async function text(b: string, key: string): Promise<string> {
  const out = await t.s3.send(new GetObjectCommand({ Bucket: b, Key: key }));
  return out.Body!.transformToString();
}

async function report(jobId: string): Promise<{ manifest: ReportManifest; rows: Record<string, string[][]> }> {
  const m = JSON.parse(await text(reports, `reports/job-${jobId}/manifest.json`)) as ReportManifest;
  const rows: Record<string, string[][]> = {};
  for (const r of m.Results) {
    rows[r.TaskExecutionStatus] = (await text(r.Bucket, r.Key)).trim().split('\n').map((l) => l.split(','));
  }
  return { manifest: m, rows };
}

before(async () => {
  t = await startBatchServer();
  bucket = bucketName('batch');
  reports = bucketName('reports');
  await t.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await t.s3.send(new CreateBucketCommand({ Bucket: reports }));
});

after(async () => {
  await t.stop();
});

describe('S3 Batch Operations: S3PutObjectTagging jobs', () => {
  it('replaces the tags of every listed object, reports missing keys, and writes the completion report', async () => {
    for (const k of ['a/1', 'a/2', 'a/with space', 'a/3']) await put(k);
    const loc = await manifest('m1.csv', csv([[bucket, 'a/1'], [bucket, 'a/with%20space'], [bucket, 'a/missing'], [bucket, 'a/2']]));
    const { JobId } = await t.control.send(new CreateJobCommand(jobInput(loc)));
    assert.ok(JobId);
    const job = await waitStatus(JobId, ['Complete', 'Failed']);
    assert.equal(job.Status, 'Complete');
    assert.equal(job.ProgressSummary?.TotalNumberOfTasks, 4);
    assert.equal(job.ProgressSummary?.NumberOfTasksSucceeded, 3);
    assert.equal(job.ProgressSummary?.NumberOfTasksFailed, 1);
    assert.ok(job.TerminationDate instanceof Date);
    assert.equal(job.JobArn, `arn:aws:s3:us-east-1:${ACCOUNT}:job/${JobId}`);
    assert.deepEqual(await tagsOf('a/1'), { batch: 'done' });
    assert.deepEqual(await tagsOf('a/with space'), { batch: 'done' });
    assert.deepEqual(await tagsOf('a/3'), { old: '1' }, 'objects not listed are untouched');
    const r = await report(JobId);
    assert.equal(r.manifest.Format, 'Report_CSV_20180820');
    assert.equal(r.manifest.ReportSchema, 'Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage');
    assert.deepEqual(r.rows.succeeded, [
      [bucket, 'a/1', '', 'succeeded', '200', '', 'Successful'],
      [bucket, 'a/with%20space', '', 'succeeded', '200', '', 'Successful'],
      [bucket, 'a/2', '', 'succeeded', '200', '', 'Successful'],
    ]);
    assert.deepEqual(r.rows.failed, [[bucket, 'a/missing', '', 'failed', '404', 'NoSuchKey', 'The specified key does not exist.']]);
  });

  it('S3DeleteObjectTagging removes every tag; FailedTasksOnly reports only failures', async () => {
    await put('d/1');
    await put('d/2');
    const loc = await manifest('m2.csv', csv([[bucket, 'd/1'], [bucket, 'd/2'], [bucket, 'd/nope']]));
    const input = jobInput(loc, { Operation: { S3DeleteObjectTagging: {} } });
    input.Report = { ...input.Report!, ReportScope: 'FailedTasksOnly' };
    const { JobId } = await t.control.send(new CreateJobCommand(input));
    const job = await waitStatus(JobId!, ['Complete']);
    assert.equal(job.ProgressSummary?.NumberOfTasksSucceeded, 2);
    assert.deepEqual(await tagsOf('d/1'), {});
    const r = await report(JobId!);
    assert.equal(r.manifest.Results.length, 1);
    assert.equal(r.rows.succeeded, undefined);
    assert.equal(r.rows.failed?.length, 1);
  });

  it('ConfirmationRequired suspends the job until UpdateJobStatus Ready', async () => {
    await put('c/1');
    const loc = await manifest('m3.csv', csv([[bucket, 'c/1']]));
    const { JobId } = await t.control.send(new CreateJobCommand(jobInput(loc, { ConfirmationRequired: true })));
    const suspended = await waitStatus(JobId!, ['Suspended']);
    assert.equal(suspended.SuspendedCause, 'AwaitingConfirmation');
    assert.equal(suspended.ProgressSummary?.TotalNumberOfTasks, 1);
    assert.deepEqual(await tagsOf('c/1'), { old: '1' });
    const out = await t.control.send(
      new UpdateJobStatusCommand({ AccountId: ACCOUNT, JobId, RequestedJobStatus: 'Ready', StatusUpdateReason: 'go' }),
    );
    assert.equal(out.Status, 'Ready');
    assert.equal(out.StatusUpdateReason, 'go');
    await waitStatus(JobId!, ['Complete']);
    assert.deepEqual(await tagsOf('c/1'), { batch: 'done' });
  });

  it('cancelling a suspended job ends it; a finished job cannot change status (JobStatusException)', async () => {
    await put('x/1');
    const loc = await manifest('m4.csv', csv([[bucket, 'x/1']]));
    const { JobId } = await t.control.send(new CreateJobCommand(jobInput(loc, { ConfirmationRequired: true })));
    await waitStatus(JobId!, ['Suspended']);
    const out = await t.control.send(
      new UpdateJobStatusCommand({ AccountId: ACCOUNT, JobId, RequestedJobStatus: 'Cancelled', StatusUpdateReason: 'no' }),
    );
    assert.equal(out.Status, 'Cancelled');
    const job = await describe_(JobId!);
    assert.equal(job.Status, 'Cancelled');
    assert.equal(job.StatusUpdateReason, 'no');
    assert.ok(job.TerminationDate);
    await assert.rejects(
      t.control.send(new UpdateJobStatusCommand({ AccountId: ACCOUNT, JobId, RequestedJobStatus: 'Ready' })),
      named('JobStatusException'),
    );
    assert.deepEqual(await tagsOf('x/1'), { old: '1' });
  });

  it('ClientRequestToken makes CreateJob idempotent', async () => {
    const loc = await manifest('m5.csv', csv([[bucket, 'a/1']]));
    const input = jobInput(loc, { ConfirmationRequired: true });
    const first = await t.control.send(new CreateJobCommand(input));
    const second = await t.control.send(new CreateJobCommand(input));
    assert.equal(second.JobId, first.JobId);
    await assert.rejects(
      t.control.send(new CreateJobCommand({ ...input, Priority: 99 })),
      named('IdempotencyException'),
    );
  });

  it('job tags: PutJobTagging / GetJobTagging / DeleteJobTagging, and tags given at CreateJob', async () => {
    const loc = await manifest('m6.csv', csv([[bucket, 'a/1']]));
    const { JobId } = await t.control.send(
      new CreateJobCommand(jobInput(loc, { ConfirmationRequired: true, Tags: [{ Key: 'team', Value: 'data' }] })),
    );
    let tags = await t.control.send(new GetJobTaggingCommand({ AccountId: ACCOUNT, JobId }));
    assert.deepEqual(tags.Tags, [{ Key: 'team', Value: 'data' }]);
    await t.control.send(
      new PutJobTaggingCommand({ AccountId: ACCOUNT, JobId, Tags: [{ Key: 'b', Value: '2' }, { Key: 'a', Value: '1' }] }),
    );
    tags = await t.control.send(new GetJobTaggingCommand({ AccountId: ACCOUNT, JobId }));
    assert.deepEqual(tags.Tags, [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }]);
    await t.control.send(new DeleteJobTaggingCommand({ AccountId: ACCOUNT, JobId }));
    tags = await t.control.send(new GetJobTaggingCommand({ AccountId: ACCOUNT, JobId }));
    assert.deepEqual(tags.Tags ?? [], []);
  });

  it('UpdateJobPriority and ListJobs (status filter, pagination)', async () => {
    const loc = await manifest('m7.csv', csv([[bucket, 'a/1']]));
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { JobId } = await t.control.send(new CreateJobCommand(jobInput(loc, { ConfirmationRequired: true })));
      ids.push(JobId!);
    }
    for (const id of ids) await waitStatus(id, ['Suspended']);
    const p = await t.control.send(new UpdateJobPriorityCommand({ AccountId: ACCOUNT, JobId: ids[0], Priority: 77 }));
    assert.equal(p.Priority, 77);
    assert.equal((await describe_(ids[0]!)).Priority, 77);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await t.control.send(
        new ListJobsCommand({ AccountId: ACCOUNT, JobStatuses: ['Suspended'], MaxResults: 2, ...(token ? { NextToken: token } : {}) }),
      );
      pages++;
      for (const j of page.Jobs ?? []) {
        assert.equal(j.Status, 'Suspended');
        seen.push(j.JobId!);
      }
      token = page.NextToken;
    } while (token);
    assert.ok(pages >= 2);
    for (const id of ids) assert.ok(seen.includes(id));
    const complete = await t.control.send(new ListJobsCommand({ AccountId: ACCOUNT, JobStatuses: ['Complete'] }));
    assert.ok((complete.Jobs ?? []).every((j) => j.Status === 'Complete'));
    assert.ok((complete.Jobs ?? []).length >= 1);
  });

  it('tasks the role may not do fail with AccessDenied in the report; the rest go on', async () => {
    const limited = t.roles.add('only-ok', [
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:PutObjectTagging', Resource: `arn:aws:s3:::${bucket}/ok/*` }],
      }),
    ]);
    await put('ok/1');
    await put('no/1');
    const loc = await manifest('m8.csv', csv([[bucket, 'ok/1'], [bucket, 'no/1']]));
    const { JobId } = await t.control.send(new CreateJobCommand(jobInput(loc, { RoleArn: limited })));
    const job = await waitStatus(JobId!, ['Complete']);
    assert.equal(job.ProgressSummary?.NumberOfTasksSucceeded, 1);
    assert.equal(job.ProgressSummary?.NumberOfTasksFailed, 1);
    assert.deepEqual(await tagsOf('no/1'), { old: '1' });
    const r = await report(JobId!);
    assert.deepEqual(r.rows.failed, [[bucket, 'no/1', '', 'failed', '403', 'AccessDenied', 'Access Denied']]);
  });

  it('role policies may use s3:ExistingObjectTag conditions (loaded only when needed)', async () => {
    const conditional = t.roles.add('only-old', [
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 's3:PutObjectTagging', Resource: '*', Condition: { StringEquals: { 's3:ExistingObjectTag/old': '1' } } },
        ],
      }),
    ]);
    await put('cond/tagged');
    await t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'cond/untagged', Body: 'x' }));
    const loc = await manifest('m-cond.csv', csv([[bucket, 'cond/tagged'], [bucket, 'cond/untagged']]));
    const { JobId } = await t.control.send(new CreateJobCommand(jobInput(loc, { RoleArn: conditional })));
    const job = await waitStatus(JobId!, ['Complete']);
    assert.equal(job.ProgressSummary?.NumberOfTasksSucceeded, 1);
    assert.deepEqual(await tagsOf('cond/tagged'), { batch: 'done' });
    assert.deepEqual(await tagsOf('cond/untagged'), {});
  });

  it('versioned manifests tag the listed version; a manifest with version ids on some rows only fails naming the row', async () => {
    const vb = bucketName('versioned');
    await t.s3.send(new CreateBucketCommand({ Bucket: vb }));
    await t.s3.send(new PutBucketVersioningCommand({ Bucket: vb, VersioningConfiguration: { Status: 'Enabled' } }));
    const v1 = await put('k', 'one', vb);
    const v2 = await put('k', 'two', vb);
    assert.ok(v1 && v2);
    const loc = await manifest('m9.csv', csv([[vb, 'k', v1]]));
    const { JobId } = await t.control.send(
      new CreateJobCommand(jobInput(loc, { Manifest: { Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key', 'VersionId'] }, Location: loc } })),
    );
    await waitStatus(JobId!, ['Complete']);
    const t1 = await t.s3.send(new GetObjectTaggingCommand({ Bucket: vb, Key: 'k', VersionId: v1 }));
    const t2 = await t.s3.send(new GetObjectTaggingCommand({ Bucket: vb, Key: 'k', VersionId: v2 }));
    assert.deepEqual(t1.TagSet, [{ Key: 'batch', Value: 'done' }]);
    assert.deepEqual(t2.TagSet, [{ Key: 'old', Value: '1' }]);
    const r = await report(JobId!);
    assert.deepEqual(r.rows.succeeded, [[vb, 'k', v1, 'succeeded', '200', '', 'Successful']]);

    const mixed = await manifest('m10.csv', csv([[vb, 'k', v1], [vb, 'k', '']]));
    const bad = await t.control.send(
      new CreateJobCommand(jobInput(mixed, { Manifest: { Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key', 'VersionId'] }, Location: mixed } })),
    );
    const failed = await waitStatus(bad.JobId!, ['Failed']);
    assert.match(failed.FailureReasons?.[0]?.FailureReason ?? '', /row 2/);
  });

  it('a manifest whose ETag does not match fails the job with a FailureReason', async () => {
    const loc = await manifest('m11.csv', csv([[bucket, 'a/1']]));
    const { JobId } = await t.control.send(new CreateJobCommand(jobInput({ ...loc, ETag: '"0123456789abcdef0123456789abcdef"' })));
    const job = await waitStatus(JobId!, ['Failed']);
    assert.ok((job.FailureReasons ?? []).length > 0);
    assert.match(job.FailureReasons![0]!.FailureReason!, /ETag/);
  });

  it('inventory manifests (manifest.json + gzip CSV files) are read', async () => {
    await put('inv/1');
    await put('inv/2');
    const file = gzipSync(Buffer.from(`"${bucket}","inv/1","true"\n"${bucket}","inv/2","true"\n`));
    await t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'inventory/data/part-0.csv.gz', Body: file }));
    const doc = {
      sourceBucket: bucket,
      destinationBucket: `arn:aws:s3:::${bucket}`,
      version: '2016-11-30',
      fileFormat: 'CSV',
      fileSchema: 'Bucket, Key, IsLatest',
      files: [{ key: 'inventory/data/part-0.csv.gz', size: file.length, MD5checksum: 'x' }],
    };
    const loc = await manifest('inventory/manifest.json', JSON.stringify(doc));
    const { JobId } = await t.control.send(
      new CreateJobCommand(jobInput(loc, { Manifest: { Spec: { Format: 'S3InventoryReport_CSV_20161130' }, Location: loc } })),
    );
    const job = await waitStatus(JobId!, ['Complete', 'Failed']);
    assert.equal(job.Status, 'Complete', JSON.stringify(job.FailureReasons));
    assert.equal(job.ProgressSummary?.NumberOfTasksSucceeded, 2);
    assert.deepEqual(await tagsOf('inv/2'), { batch: 'done' });
  });

  it('ManifestGenerator tags the objects of a bucket that pass the filter', async () => {
    const gb = bucketName('generated');
    await t.s3.send(new CreateBucketCommand({ Bucket: gb }));
    for (const k of ['logs/a.txt', 'logs/b.csv', 'data/c.txt']) await put(k, 'x', gb);
    await put('logs/big.txt', 'x'.repeat(100), gb);
    const input = jobInput({ ObjectArn: 'unused', ETag: 'unused' });
    delete input.Manifest;
    input.ManifestGenerator = {
      S3JobManifestGenerator: {
        SourceBucket: `arn:aws:s3:::${gb}`,
        EnableManifestOutput: false,
        Filter: { KeyNameConstraint: { MatchAnyPrefix: ['logs/'], MatchAnySuffix: ['.txt'] }, ObjectSizeLessThanBytes: 50 },
      },
    };
    const { JobId } = await t.control.send(new CreateJobCommand(input));
    const job = await waitStatus(JobId!, ['Complete', 'Failed']);
    assert.equal(job.Status, 'Complete');
    assert.equal(job.ProgressSummary?.TotalNumberOfTasks, 1);
    const tagsIn = async (key: string): Promise<Record<string, string>> =>
      Object.fromEntries(((await t.s3.send(new GetObjectTaggingCommand({ Bucket: gb, Key: key }))).TagSet ?? []).map((x) => [x.Key!, x.Value!]));
    assert.deepEqual(await tagsIn('logs/a.txt'), { batch: 'done' });
    assert.deepEqual(await tagsIn('logs/b.csv'), { old: '1' });
    assert.deepEqual(await tagsIn('data/c.txt'), { old: '1' });
    assert.deepEqual(await tagsIn('logs/big.txt'), { old: '1' });

    // EnableManifestOutput: the generated manifest is written, described, and is what the job runs on
    const output = jobInput({ ObjectArn: 'unused', ETag: 'unused' });
    delete output.Manifest;
    output.ManifestGenerator = {
      S3JobManifestGenerator: {
        SourceBucket: `arn:aws:s3:::${gb}`,
        EnableManifestOutput: true,
        ManifestOutputLocation: { Bucket: `arn:aws:s3:::${reports}`, ManifestPrefix: 'generated', ManifestFormat: 'S3InventoryReport_CSV_20211130' },
        Filter: { KeyNameConstraint: { MatchAnySubstring: ['c'] } },
      },
    };
    const second = await t.control.send(new CreateJobCommand(output));
    const done = await waitStatus(second.JobId!, ['Complete', 'Failed']);
    assert.equal(done.Status, 'Complete', JSON.stringify(done.FailureReasons));
    assert.equal(done.ProgressSummary?.TotalNumberOfTasks, 2);
    assert.equal(done.GeneratedManifestDescriptor?.Location?.ObjectArn, `arn:aws:s3:::${reports}/generated/job-${second.JobId}/manifest.csv`);
    assert.equal(await text(reports, `generated/job-${second.JobId}/manifest.csv`), `${gb},data/c.txt\n${gb},logs/b.csv\n`);
    assert.deepEqual(await tagsIn('data/c.txt'), { batch: 'done' });
  });

  it('fails the job once more than half of at least 1,000 tasks failed', async () => {
    const rows: string[][] = [];
    for (let i = 0; i < 1500; i++) rows.push([bucket, `nothing-here/${i}`]);
    const loc = await manifest('m12.csv', csv(rows));
    const { JobId } = await t.control.send(new CreateJobCommand(jobInput(loc)));
    const job = await waitStatus(JobId!, ['Failed', 'Complete']);
    assert.equal(job.Status, 'Failed');
    assert.ok((job.FailureReasons ?? []).some((f) => /threshold/i.test(f.FailureReason ?? '')));
    assert.ok((job.ProgressSummary?.NumberOfTasksFailed ?? 0) >= 1000);
  });

  it('rejects invalid requests: bad tag set, unknown role, account mismatch, unknown job', async () => {
    const loc = await manifest('m13.csv', csv([[bucket, 'a/1']]));
    await assert.rejects(
      t.control.send(new CreateJobCommand(jobInput(loc, { Operation: { S3PutObjectTagging: { TagSet: [{ Key: 'aws:x', Value: '1' }] } } }))),
      named('BadRequestException'),
    );
    await assert.rejects(
      t.control.send(new CreateJobCommand(jobInput(loc, { RoleArn: `arn:aws:iam::${ACCOUNT}:role/nobody` }))),
      named('BadRequestException'),
    );
    const untrusting = t.roles.add('untrusting', [], JSON.stringify({ Version: '2012-10-17', Statement: [] }));
    await assert.rejects(
      t.control.send(new CreateJobCommand(jobInput(loc, { RoleArn: untrusting }))),
      named('BadRequestException'),
    );
    await assert.rejects(
      t.control.send(new DescribeJobCommand({ AccountId: '111111111111', JobId: 'x' })),
      httpStatus(403),
    );
    await assert.rejects(
      t.control.send(new DescribeJobCommand({ AccountId: ACCOUNT, JobId: '00000000-0000-0000-0000-000000000000' })),
      named('NotFoundException'),
    );
    const wrongKey = controlClient(t.endpoint, { accessKeyId: 'TESSERATESTROOTKEY01', secretAccessKey: 'wrong' });
    await assert.rejects(wrongKey.send(new ListJobsCommand({ AccountId: ACCOUNT })), httpStatus(403));
    wrongKey.destroy();
  });

  it('cancelling an Active job goes through Cancelling to Cancelled; the report lists exactly the tasks that ran', async () => {
    const cb = bucketName('cancel');
    await t.s3.send(new CreateBucketCommand({ Bucket: cb }));
    const metadata = t.server.metadata;
    // enough rows that the cancel lands mid-run: SQLite runs ~100,000 tasks a second here, PostgreSQL ~10,000 (and
    // seeds at ~1,000 a second, so a SQLite-sized manifest would cost the PostgreSQL pass a minute and a half)
    const count = process.env.TESSERA_TEST_METADATA === 'postgres' ? 30_000 : 150_000;
    for (let first = 0; first < count; first += 5000) {
      const writes: Promise<unknown>[] = [];
      for (let i = first; i < first + 5000; i++) {
        writes.push(
          metadata.putVersion(
            {
              bucket: cb, key: `k/${String(i).padStart(7, '0')}`, versionId: 'null', isDeleteMarker: false, lastModified: new Date(),
              ownerAccountId: ACCOUNT, size: 0, etag: 'd41d8cd98f00b204e9800998ecf8427e', storageClass: 'STANDARD',
              contentHeaders: {}, userMetadata: {}, segments: [], tags: [],
            },
            { replaceNull: true },
          ),
        );
      }
      await Promise.all(writes);
    }
    const rows: string[][] = [];
    for (let i = 0; i < count; i++) rows.push([cb, `k/${String(i).padStart(7, '0')}`]);
    const loc = await manifest('m-cancel.csv', csv(rows));
    const { JobId } = await t.control.send(new CreateJobCommand(jobInput(loc)));
    await until(async () => {
      const job = await describe_(JobId!);
      return job.Status === 'Active' && (job.ProgressSummary?.NumberOfTasksSucceeded ?? 0) > 0 ? true : undefined;
    }, 'the job to make progress');
    const out = await t.control.send(
      new UpdateJobStatusCommand({ AccountId: ACCOUNT, JobId, RequestedJobStatus: 'Cancelled', StatusUpdateReason: 'stop' }),
    );
    assert.equal(out.Status, 'Cancelling');
    const job = await waitStatus(JobId!, ['Cancelled']);
    const ran = (job.ProgressSummary?.NumberOfTasksSucceeded ?? 0) + (job.ProgressSummary?.NumberOfTasksFailed ?? 0);
    assert.ok(ran > 0 && ran < count, `ran ${ran}`);
    assert.equal(job.StatusUpdateReason, 'stop');
    assert.ok(job.TerminationDate);
    const r = await report(JobId!);
    assert.equal(r.rows.succeeded?.length, job.ProgressSummary?.NumberOfTasksSucceeded);
  });

  it('existing tags of objects not in the manifest and PutObjectTagging still work side by side', async () => {
    await t.s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: 'a/3', Tagging: { TagSet: [{ Key: 'z', Value: '9' }] } }));
    assert.deepEqual(await tagsOf('a/3'), { z: '9' });
  });
});
