import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateBucketCommand,
  DeleteBucketPolicyCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { IAMClient, CreateAccessKeyCommand, CreateUserCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { createTestDatabase } from '../support/postgresCluster.js';
import { ROOT_KEY, startTestServer, type TestServer } from '../support/testServer.js';

/** HTTP status of a failed SDK call (or 200). */
async function statusOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 200;
  } catch (error) {
    return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? -1;
  }
}

// Two Tessera nodes on one PostgreSQL database and one blob directory: what one acknowledges, the other serves at once.
describe('two nodes on one PostgreSQL database', () => {
  let database: { url: string; dispose(): Promise<void> };
  let dataDir: string;
  let a: TestServer;
  let b: TestServer;
  before(async () => {
    database = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'tessera-two-nodes-'));
    a = await startTestServer({ dataDir, metadataUrl: database.url });
    b = await startTestServer({ dataDir, metadataUrl: database.url });
    await a.s3.send(new CreateBucketCommand({ Bucket: 'shared' }));
  });
  after(async () => {
    await a.stop();
    await b.stop();
    await database.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a write acknowledged by one node is read by the other on the next request', async () => {
    for (let i = 0; i < 20; i++) {
      const [writer, reader] = i % 2 === 0 ? [a, b] : [b, a];
      const body = `version ${i}`;
      await writer.s3.send(new PutObjectCommand({ Bucket: 'shared', Key: 'raw', Body: body, Tagging: `round=${i}` }));
      const got = await reader.s3.send(new GetObjectCommand({ Bucket: 'shared', Key: 'raw' }));
      assert.equal(await got.Body?.transformToString(), body);
      assert.equal(got.TagCount, 1);
      await writer.s3.send(new PutObjectTaggingCommand({ Bucket: 'shared', Key: 'raw', Tagging: { TagSet: [{ Key: 'round', Value: `t${i}` }] } }));
      const tags = await reader.s3.send(new GetObjectTaggingCommand({ Bucket: 'shared', Key: 'raw' }));
      assert.deepEqual(tags.TagSet, [{ Key: 'round', Value: `t${i}` }]);
    }
    await a.s3.send(new DeleteObjectCommand({ Bucket: 'shared', Key: 'raw' }));
    assert.equal(await statusOf(b.s3.send(new GetObjectCommand({ Bucket: 'shared', Key: 'raw' }))), 404);
  });

  it('a policy or key changed on one node holds on the other from the next request', async () => {
    const iam = new IAMClient({ endpoint: a.endpoint, region: 'us-east-1', credentials: ROOT_KEY });
    await iam.send(new CreateUserCommand({ UserName: 'reader' }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'reader',
        PolicyName: 'read',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::shared/*' }] }),
      }),
    );
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'reader' }))).AccessKey!;
    iam.destroy();
    await a.s3.send(new PutObjectCommand({ Bucket: 'shared', Key: 'doc', Body: 'd' }));
    const readerOnB = new S3Client({ endpoint: b.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! } });
    try {
      assert.equal(await statusOf(readerOnB.send(new GetObjectCommand({ Bucket: 'shared', Key: 'doc' }))), 200);
      const deny = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::shared/doc' }] };
      for (let i = 0; i < 5; i++) {
        await a.s3.send(new PutBucketPolicyCommand({ Bucket: 'shared', Policy: JSON.stringify(deny) }));
        assert.equal(await statusOf(readerOnB.send(new GetObjectCommand({ Bucket: 'shared', Key: 'doc' }))), 403);
        await a.s3.send(new DeleteBucketPolicyCommand({ Bucket: 'shared' }));
        assert.equal(await statusOf(readerOnB.send(new GetObjectCommand({ Bucket: 'shared', Key: 'doc' }))), 200);
      }
    } finally {
      readerOnB.destroy();
    }
  });

  it("a bucket configuration changed on one node shows in the other's responses at once", async () => {
    await b.s3.send(new PutObjectCommand({ Bucket: 'shared', Key: 'logs/x', Body: 'x' }));
    const before = await b.s3.send(new GetObjectCommand({ Bucket: 'shared', Key: 'logs/x' }));
    assert.equal(before.Expiration, undefined);
    await a.s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: 'shared',
        LifecycleConfiguration: { Rules: [{ ID: 'expire-logs', Status: 'Enabled', Filter: { Prefix: 'logs/' }, Expiration: { Days: 3 } }] },
      }),
    );
    const afterChange = await b.s3.send(new GetObjectCommand({ Bucket: 'shared', Key: 'logs/x' }));
    assert.match(afterChange.Expiration ?? '', /rule-id="expire-logs"/);
  });

  it('`tessera accounts create` with TESSERA_METADATA_URL makes an account every node knows at once', () => {
    const cli = spawnSync(process.execPath, ['dist/src/cli/main.js', 'accounts', 'create', '--name', 'tenant', '--data-dir', dataDir], {
      env: { ...process.env, TESSERA_METADATA_URL: database.url },
      encoding: 'utf8',
    });
    assert.equal(cli.status, 0, cli.stderr);
    const created = JSON.parse(cli.stdout) as { accessKeyId: string; secretAccessKey: string };
    const tenant = b.client({ accessKeyId: created.accessKeyId, secretAccessKey: created.secretAccessKey });
    return tenant.send(new ListBucketsCommand({})).then((listed) => assert.deepEqual(listed.Buckets ?? [], []));
  });

  it('conditional creates racing on both nodes: exactly one wins', async () => {
    for (let round = 0; round < 5; round++) {
      const key = `once-${round}`;
      const statuses = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          statusOf((i % 2 === 0 ? a : b).s3.send(new PutObjectCommand({ Bucket: 'shared', Key: key, Body: `writer ${i}`, IfNoneMatch: '*' }))),
        ),
      );
      assert.equal(statuses.filter((s) => s === 200).length, 1, `round ${round}: ${statuses.join(',')}`);
      assert.ok(statuses.every((s) => s === 200 || s === 412 || s === 409), statuses.join(','));
    }
  });

  it('a conditional create never overwrites a plain write that committed before it, whichever nodes they reach', async () => {
    // the plain PUT always succeeds; the create may only succeed by committing first, so the plain write's bytes
    // always end up the object's (a create that checked, then committed over the plain write, would leave its own)
    for (let round = 0; round < 20; round++) {
      const key = `mixed-${round}`;
      const [plainNode, conditionalNode] = round % 2 === 0 ? [a, b] : [b, a];
      const [plain, conditional] = await Promise.all([
        statusOf(plainNode.s3.send(new PutObjectCommand({ Bucket: 'shared', Key: key, Body: 'plain' }))),
        statusOf(conditionalNode.s3.send(new PutObjectCommand({ Bucket: 'shared', Key: key, Body: 'conditional', IfNoneMatch: '*' }))),
      ]);
      assert.equal(plain, 200);
      assert.ok(conditional === 200 || conditional === 412 || conditional === 409, String(conditional));
      const body = await (await conditionalNode.s3.send(new GetObjectCommand({ Bucket: 'shared', Key: key }))).Body?.transformToString();
      assert.equal(body, 'plain', `round ${round}: the create answered ${conditional}`);
    }
  });

  it('plain writes racing on one key from both nodes leave one latest version, readable everywhere', async () => {
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? a : b).s3.send(new PutObjectCommand({ Bucket: 'shared', Key: 'hot', Body: `w${i}` }))),
    );
    const fromA = await (await a.s3.send(new GetObjectCommand({ Bucket: 'shared', Key: 'hot' }))).Body?.transformToString();
    const fromB = await (await b.s3.send(new GetObjectCommand({ Bucket: 'shared', Key: 'hot' }))).Body?.transformToString();
    assert.equal(fromA, fromB);
    assert.match(fromA ?? '', /^w\d+$/);
  });
});
