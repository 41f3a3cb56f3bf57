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
    const described = JSON.parse((await tessera('describe', jobId)).stdout) as { Status: string };
    assert.equal(described.Status, 'Complete');
    const listed = (await tessera('list', '--status', 'Complete')).stdout;
    assert.ok(listed.includes(jobId));
  });

  it('cancel a job waiting for confirmation', async () => {
    const jobId = (
      await tessera('create', '--manifest', `s3://${bucket}/manifest.csv`, '--delete-tags', '--role-arn', t.roleArn, '--confirmation-required')
    ).stdout.trim();
    for (let i = 0; i < 200; i++) {
      if ((JSON.parse((await tessera('describe', jobId)).stdout) as { Status: string }).Status === 'Suspended') break;
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.equal((await tessera('cancel', jobId, '--reason', 'not today')).stdout.trim(), 'Cancelled');
    await assert.rejects(tessera('watch', jobId), (e: unknown) => {
      const failure = e as { code?: number; stdout?: string };
      return failure.code === 1 && /Cancelled/.test(failure.stdout ?? '');
    });
  });

  it('progress lines show done, failed, rate and ETA', () => {
    assert.equal(
      progressLine('Active', 1000, 400, 100, 50),
      '[###############...............]  50.0%  500/1000 done, 100 failed, 50/s, ETA 10s  Active',
    );
    assert.match(progressLine('Complete', 10, 10, 0, 0), /100\.0%/);
  });
});
