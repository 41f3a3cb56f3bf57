import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateJobCommand, DescribeJobCommand } from '@aws-sdk/client-s3-control';
import { ROOT_KEY } from '../support/testServer.js';
import { ACCOUNT, controlClient, startBatchServer, until } from './batchSupport.js';

const OBJECTS = 150_000;
const bucket = 'crash-batch';
const dataDir = mkdtempSync(join(tmpdir(), 'tessera-batch-crash-'));

function startChild(): Promise<{ child: ChildProcess; endpoint: string }> {
  const script = new URL('./batchCrashServer.js', import.meta.url).pathname;
  const child = spawn(process.execPath, [script, dataDir, bucket, String(OBJECTS)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, endpoint: m[1]! });
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
}

after(() => rmSync(dataDir, { recursive: true, force: true }));

describe('S3 Batch Operations survive kill -9', () => {
  it('a job killed mid-run resumes on restart: every row applied and reported exactly once, counters exact', { timeout: 180_000 }, async () => {
    const { child, endpoint } = await startChild();
    const s3 = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: ROOT_KEY });
    const control = controlClient(endpoint);
    await s3.send(new CreateBucketCommand({ Bucket: 'crash-reports' }));
    // every 10th row names a missing key: failures must be counted and reported exactly once too
    const lines: string[] = [];
    let missing = 0;
    for (let i = 0; i < OBJECTS; i++) {
      if (i % 10 === 9) {
        lines.push(`${bucket},missing/${i}`);
        missing++;
      } else lines.push(`${bucket},k/${String(i).padStart(7, '0')}`);
    }
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'manifest.csv', Body: lines.join('\n') + '\n' }));
    const { JobId } = await control.send(
      new CreateJobCommand({
        AccountId: ACCOUNT,
        Operation: { S3PutObjectTagging: { TagSet: [{ Key: 'crash', Value: 'test' }] } },
        Manifest: {
          Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key'] },
          Location: { ObjectArn: `arn:aws:s3:::${bucket}/manifest.csv`, ETag: put.ETag! },
        },
        Report: { Enabled: true, Bucket: 'arn:aws:s3:::crash-reports', Format: 'Report_CSV_20180820', Prefix: 'r', ReportScope: 'AllTasks' },
        Priority: 1,
        RoleArn: `arn:aws:iam::${ACCOUNT}:role/batch-tagger`,
        ClientRequestToken: 'crash-1',
      }),
    );
    // kill -9 once some, not all, tasks have run
    const doneAtKill = await until(async () => {
      const job = (await control.send(new DescribeJobCommand({ AccountId: ACCOUNT, JobId }))).Job!;
      const done = (job.ProgressSummary?.NumberOfTasksSucceeded ?? 0) + (job.ProgressSummary?.NumberOfTasksFailed ?? 0);
      return done > 0 ? done : undefined;
    }, 'the job to start', 60_000);
    child.kill('SIGKILL');
    assert.ok(doneAtKill < OBJECTS, 'killed while tasks remained');
    await new Promise((r) => child.once('exit', r));
    s3.destroy();
    control.destroy();

    const t = await startBatchServer({ dataDir });
    try {
      const job = await until(async () => {
        const j = (await t.control.send(new DescribeJobCommand({ AccountId: ACCOUNT, JobId }))).Job!;
        return j.Status === 'Complete' || j.Status === 'Failed' ? j : undefined;
      }, 'the job to complete after the restart', 120_000);
      assert.equal(job.Status, 'Complete');
      assert.equal(job.ProgressSummary?.TotalNumberOfTasks, OBJECTS);
      assert.equal(job.ProgressSummary?.NumberOfTasksSucceeded, OBJECTS - missing);
      assert.equal(job.ProgressSummary?.NumberOfTasksFailed, missing);
      const text = async (b: string, k: string) => (await (await t.s3.send(new GetObjectCommand({ Bucket: b, Key: k }))).Body!.transformToString());
      const manifest = JSON.parse(await text('crash-reports', `r/job-${JobId}/manifest.json`)) as {
        Results: { TaskExecutionStatus: string; Bucket: string; Key: string }[];
      };
      const seen = new Map<string, number>();
      let rows = 0;
      for (const r of manifest.Results) {
        for (const line of (await text(r.Bucket, r.Key)).trim().split('\n')) {
          rows++;
          const key = line.split(',')[1]!;
          seen.set(key, (seen.get(key) ?? 0) + 1);
          assert.equal(line.split(',')[3], r.TaskExecutionStatus);
        }
      }
      assert.equal(rows, OBJECTS, 'one report row per manifest row');
      assert.equal(seen.size, OBJECTS, 'no row reported twice');
    } finally {
      await t.stop({ keepData: true });
    }
  });
});
