import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { pino } from 'pino';
import { startTessera } from '../../src/main.js';
import { sendSigned } from '../../src/remote/signedRequest.js';
import type { StatsReport } from '../../src/cli/stats.js';
import { ROOT_KEY, startTestServer, testConfig, type TestServer } from '../support/testServer.js';
import { bucketName } from '../support/names.js';

const run = promisify(execFile);
let t: TestServer;
let bucket: string;

async function tessera(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  const cli = new URL('../../src/cli/main.js', import.meta.url).pathname;
  return run(process.execPath, [cli, 'stats', ...args, '--endpoint', t.endpoint], {
    env: { ...process.env, AWS_ACCESS_KEY_ID: ROOT_KEY.accessKeyId, AWS_SECRET_ACCESS_KEY: ROOT_KEY.secretAccessKey, NODE_NO_WARNINGS: '1' },
  });
}

async function statsOf(name: string, query = '', credentials = ROOT_KEY): Promise<{ status: number; body: string }> {
  const res = await sendSigned(t.endpoint, 'us-east-1', credentials, { method: 'GET', path: `/${name}`, query: `${query}${query === '' ? '' : '&'}tessera-stats=` });
  return { status: res.status, body: res.body.toString('utf8') };
}

const put = (key: string, body: string, tagging?: string) =>
  t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ...(tagging === undefined ? {} : { Tagging: tagging }) }));

before(async () => {
  t = await startTestServer();
  await t.server.services.stats.setTrackedTagKeys(['project']);
  bucket = bucketName('stats');
  await t.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await t.s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
});

after(async () => {
  await t.stop();
});

describe('GET /{Bucket}?tessera-stats', () => {
  it('counts objects, versions and delete markers as writes happen', async () => {
    await put('a', 'aaaa', 'project=blue&team=x');
    await put('b', 'bbbbbbbb', 'project=red');
    await put('a', 'aaaaaaaaaa', 'project=red'); // a new version; the old one is noncurrent
    await put('c', 'cc');
    await t.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'c' })); // a delete marker
    const r = await statsOf(bucket, 'by-tag=project');
    assert.equal(r.status, 200);
    assert.deepEqual(JSON.parse(r.body) as StatsReport, {
      bucket,
      objects: 2,
      objectBytes: 18,
      versions: 4,
      versionBytes: 24,
      deleteMarkers: 1,
      byTag: { key: 'project', tracked: true, values: [{ value: 'red', objects: 2, bytes: 18 }], untagged: { objects: 0, bytes: 0 } },
    });
  });

  it('follows tag changes, multipart completions, and counts an untracked key from the tag index', async () => {
    await t.s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: 'b', Tagging: { TagSet: [{ Key: 'project', Value: 'blue' }, { Key: 'team', Value: 'y' }] } }));
    await t.s3.send(new DeleteObjectTaggingCommand({ Bucket: bucket, Key: 'a' }));
    const created = await t.s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'big', Tagging: 'project=blue&team=x' }));
    const part = await t.s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'big', UploadId: created.UploadId, PartNumber: 1, Body: 'x'.repeat(100) }));
    await t.s3.send(
      new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'big', UploadId: created.UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }),
    );
    const tracked = JSON.parse((await statsOf(bucket, 'by-tag=project')).body) as StatsReport;
    assert.deepEqual(tracked.byTag, {
      key: 'project',
      tracked: true,
      values: [{ value: 'blue', objects: 2, bytes: 108 }],
      untagged: { objects: 1, bytes: 10 },
    });
    const team = JSON.parse((await statsOf(bucket, 'by-tag=team')).body) as StatsReport;
    assert.deepEqual(team.byTag, {
      key: 'team',
      tracked: false,
      values: [{ value: 'x', objects: 1, bytes: 100 }, { value: 'y', objects: 1, bytes: 8 }],
      untagged: { objects: 1, bytes: 10 },
    });
  });

  it('refuses a key no tag can have, a missing bucket, and a caller without s3:ListBucket', async () => {
    const bad = await statsOf(bucket, 'by-tag=aws%3Ax');
    assert.equal(bad.status, 400);
    assert.match(bad.body, /<Code>InvalidArgument<\/Code>/);
    assert.match(bad.body, /<ArgumentName>by-tag<\/ArgumentName>/);
    const missing = await statsOf(bucketName('nope'));
    assert.equal(missing.status, 404);
    assert.match(missing.body, /<Code>NoSuchBucket<\/Code>/);
    const other = await t.createAccount('stranger');
    const denied = await statsOf(bucket, '', other);
    assert.equal(denied.status, 403);
    assert.match(denied.body, /<Code>AccessDenied<\/Code>/);
  });
});

describe('tessera stats', () => {
  it('prints a table, and the JSON answer with --json', async () => {
    const { stdout } = await tessera(`s3://${bucket}`, '--by-tag', 'project');
    assert.match(stdout, new RegExp(`^s3://${bucket}\n`));
    assert.match(stdout, /objects \(current\)\s+3\s+118 B\n/);
    assert.match(stdout, /versions \(all\)\s+5\s+124 B\n/);
    assert.match(stdout, /delete markers\s+1\s*\n/);
    assert.match(stdout, /current objects by tag 'project'\n/);
    assert.match(stdout, /\n {2}blue\s+2\s+108 B\n/);
    assert.match(stdout, /\(no such tag\)\s+1\s+10 B\n/);
    const json = JSON.parse((await tessera(`s3://${bucket}`, '--json')).stdout) as StatsReport;
    assert.equal(json.objects, 3);
    assert.equal(json.byTag, undefined);
  });

  it('fails with the server error for a missing bucket, and with usage for a bad argument', async () => {
    await assert.rejects(tessera(`s3://${bucketName('nope')}`), (e: { code: number; stderr: string }) => {
      assert.equal(e.code, 1);
      assert.match(e.stderr, /NoSuchBucket/);
      return true;
    });
    await assert.rejects(tessera('bucket-without-scheme'), (e: { code: number }) => e.code === 2);
  });
});

describe('TESSERA_METRICS_TAG_KEYS', () => {
  it('is applied at start: the keys are tracked, and a key dropped from the list is no longer', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tessera-stats-'));
    try {
      const logger = pino({ level: 'silent' });
      const first = await startTessera({ ...testConfig(dataDir), metricsTagKeys: ['project', 'classification'] }, { logger });
      assert.deepEqual(await first.services.stats.trackedTagKeys(), ['classification', 'project']);
      await first.close();
      const second = await startTessera({ ...testConfig(dataDir), metricsTagKeys: ['project'] }, { logger });
      assert.deepEqual(await second.services.stats.trackedTagKeys(), ['project']);
      await second.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
