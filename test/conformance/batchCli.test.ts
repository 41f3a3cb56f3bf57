import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { CreateBucketCommand, GetObjectTaggingCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { progressLine } from '../../src/cli/jobs.js';
import { ROOT_KEY } from '../support/testServer.js';
import { bucketName } from '../support/names.js';
import { startBatchServer, type BatchServer } from './batchSupport.js';

const run = promisify(execFile);
let t: BatchServer;
let bucket: string;

async function tessera(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  const cli = new URL('../../src/cli/main.js', import.meta.url).pathname;
  return run(process.execPath, [cli, 'jobs', ...args, '--endpoint', t.endpoint], {
    env: { ...process.env, AWS_ACCESS_KEY_ID: ROOT_KEY.accessKeyId, AWS_SECRET_ACCESS_KEY: ROOT_KEY.secretAccessKey, NODE_NO_WARNINGS: '1' },
  });
}

before(async () => {
  t = await startBatchServer();
  bucket = bucketName('cli');
  await t.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  for (const k of ['one', 'two', 'three']) await t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: k, Body: k }));
  await t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'manifest.csv', Body: `${bucket},one\n${bucket},two\n${bucket},three\n` }));
});

after(async () => {
  await t.stop();
});

describe('tessera jobs', () => {
  it('create, watch (to Complete), describe and list', async () => {
    const { stdout } = await tessera(
      'create', '--manifest', `s3://${bucket}/manifest.csv`, '--tags', 'cli=yes,env=test', '--role-arn', t.roleArn,
      '--report', `s3://${bucket}/reports`,
    );
    const jobId = stdout.trim();
    assert.match(jobId, /^[0-9a-f-]{36}$/);
    const watched = await tessera('watch', jobId);
    assert.match(watched.stdout, /100\.0%\s+3\/3 done, 0 failed/);
    assert.match(watched.stdout, /Complete/);
    const tags = await t.s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'two' }));
    assert.deepEqual(tags.TagSet, [{ Key: 'cli', Value: 'yes' }, { Key: 'env', Value: 'test' }]);
    const described = JSON.parse((await tessera('describe', jobId, '--json')).stdout) as { Job: Record<string, unknown> };
    // what `aws s3control describe-job` prints: lists as arrays, booleans and numbers as such
    assert.equal(described.Job.Status, 'Complete');
    assert.equal(described.Job.ConfirmationRequired, false);
    assert.equal(described.Job.Priority, 10);
    assert.deepEqual((described.Job.Manifest as { Spec: unknown }).Spec, { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key'] });
    assert.deepEqual(described.Job.Operation, { S3PutObjectTagging: { TagSet: [{ Key: 'cli', Value: 'yes' }, { Key: 'env', Value: 'test' }] } });
    assert.deepEqual(
      { ...(described.Job.ProgressSummary as object), Timers: undefined },
      { TotalNumberOfTasks: 3, NumberOfTasksSucceeded: 3, NumberOfTasksFailed: 0, Timers: undefined },
    );
    assert.equal((described.Job.Report as { Enabled: unknown }).Enabled, true);
    const summary = (await tessera('describe', jobId)).stdout;
    assert.match(summary, new RegExp(`^Job: +${jobId}  Complete  priority 10\n`));
    assert.match(summary, /\nOperation: +S3PutObjectTagging \(cli=yes, env=test\)\n/);
    assert.match(summary, /\nProgress: +3 of 3 succeeded, 0 failed/);
    const listed = (await tessera('list', '--status', 'Complete')).stdout;
    assert.ok(listed.includes(jobId));
  });

  it('cancel a job waiting for confirmation', async () => {
    const jobId = (
      await tessera('create', '--manifest', `s3://${bucket}/manifest.csv`, '--delete-tags', '--role-arn', t.roleArn, '--confirmation-required')
    ).stdout.trim();
    for (let i = 0; i < 200; i++) {
      if ((JSON.parse((await tessera('describe', jobId, '--json')).stdout) as { Job: { Status: string } }).Job.Status === 'Suspended') break;
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.equal((await tessera('cancel', jobId, '--reason', 'not today')).stdout.trim(), 'Cancelled');
    await assert.rejects(tessera('watch', jobId), (e: unknown) => {
      const failure = e as { code?: number; stdout?: string };
      return failure.code === 1 && /Cancelled/.test(failure.stdout ?? '');
    });
  });

  it('--bucket with --prefix and --filter-tag: the generator picks the objects, no manifest file', async () => {
    const gen = bucketName('cligen');
    await t.s3.send(new CreateBucketCommand({ Bucket: gen }));
    const objects: [string, string | undefined][] = [['logs/a', 'team=red'], ['logs/b', 'team=blue'], ['logs/c', 'team=red&keep=1'], ['img/d', 'team=red']];
    for (const [key, tagging] of objects) {
      await t.s3.send(new PutObjectCommand({ Bucket: gen, Key: key, Body: key, ...(tagging !== undefined ? { Tagging: tagging } : {}) }));
    }
    const jobId = (
      await tessera('create', '--bucket', gen, '--prefix', 'logs/', '--filter-tag', 'team=red', '--tags', 'picked=yes', '--role-arn', t.roleArn)
    ).stdout.trim();
    assert.equal((await tessera('watch', jobId)).stdout.includes('Complete'), true);
    const picked = async (key: string): Promise<boolean> =>
      ((await t.s3.send(new GetObjectTaggingCommand({ Bucket: gen, Key: key }))).TagSet ?? []).some((tag) => tag.Key === 'picked');
    assert.deepEqual(await Promise.all(['logs/a', 'logs/b', 'logs/c', 'img/d'].map(picked)), [true, false, true, false]);
    const summary = (await tessera('describe', jobId)).stdout;
    assert.match(summary, new RegExp(`Manifest: +generated from s3://${gen} \\(prefix logs/, tag team=red\\)`));
    const described = JSON.parse((await tessera('describe', jobId, '--json')).stdout) as { Job: { ManifestGenerator: unknown } };
    assert.deepEqual(described.Job.ManifestGenerator, {
      S3JobManifestGenerator: {
        SourceBucket: `arn:aws:s3:::${gen}`,
        Filter: { KeyNameConstraint: { MatchAnyPrefix: ['logs/'] }, MatchAllObjectTags: [{ Key: 'team', Value: 'red' }] },
        EnableManifestOutput: false,
      },
    });
  });

  it('errors name the next step', async () => {
    const cli = new URL('../../src/cli/main.js', import.meta.url).pathname;
    const failure = async (args: string[], env: Record<string, string>): Promise<{ code: number; stderr: string }> => {
      try {
        await run(process.execPath, [cli, 'jobs', ...args], { env: { PATH: process.env.PATH ?? '', NODE_NO_WARNINGS: '1', ...env } });
      } catch (e) {
        const err = e as { code: number; stderr: string };
        return { code: err.code, stderr: err.stderr };
      }
      throw new Error(`tessera jobs ${args.join(' ')} succeeded`);
    };
    const creds = { AWS_ACCESS_KEY_ID: ROOT_KEY.accessKeyId, AWS_SECRET_ACCESS_KEY: ROOT_KEY.secretAccessKey };
    const noCreds = await failure(['list', '--endpoint', t.endpoint], {});
    assert.equal(noCreds.code, 2);
    assert.match(noCreds.stderr, /no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or pass --access-key-id/);
    const closed = await failure(['list', '--endpoint', 'http://127.0.0.1:9'], creds);
    assert.equal(closed.code, 1);
    assert.match(closed.stderr, /cannot reach http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\): is `tessera server` running\? set --endpoint/);
    const badKey = await failure(['list', '--endpoint', t.endpoint], { ...creds, AWS_ACCESS_KEY_ID: 'AKIANOTAKEY000000000' });
    assert.match(badKey.stderr, /InvalidAccessKeyId: .*check AWS_ACCESS_KEY_ID/);
    const missingRole = await failure(
      ['create', '--manifest', `s3://${bucket}/manifest.csv`, '--delete-tags', '--role-arn', 'arn:aws:iam::000000000000:role/nobody', '--endpoint', t.endpoint],
      creds,
    );
    assert.match(missingRole.stderr, /role arn:aws:iam::000000000000:role\/nobody does not exist.*create it with `tessera jobs create --create-role/);
    const untrusting = t.roles.add('not-for-batch', [], JSON.stringify({ Version: '2012-10-17', Statement: [] }));
    const notTrusted = await failure(
      ['create', '--manifest', `s3://${bucket}/manifest.csv`, '--delete-tags', '--role-arn', untrusting, '--endpoint', t.endpoint],
      creds,
    );
    assert.match(notTrusted.stderr, /does not trust batchoperations\.s3\.amazonaws\.com: let S3 Batch Operations assume it: aws iam update-assume-role-policy/);
    const noManifest = await failure(['create', '--manifest', `s3://${bucket}/nothing.csv`, '--delete-tags', '--role-arn', t.roleArn, '--endpoint', t.endpoint], creds);
    assert.match(noManifest.stderr, /cannot read the manifest .*HTTP 404: upload it first, or use --bucket/);
  });

  it('progress lines show done, failed, rate and ETA', () => {
    assert.equal(
      progressLine('Active', 1000, 400, 100, 50),
      '[###############...............]  50.0%  500/1000 done, 100 failed, 50/s, ETA 10s  Active',
    );
    assert.match(progressLine('Complete', 10, 10, 0, 0), /100\.0%/);
  });
});
