import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateBucketCommand, DeleteObjectCommand, PutBucketVersioningCommand, PutObjectCommand, PutObjectTaggingCommand } from '@aws-sdk/client-s3';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../support/nodeSha256.js';
import { ROOT_KEY, startTestServer, type TestServer } from '../support/testServer.js';

interface Answer {
  readonly status: number;
  readonly text: string;
  json(): { objects: { key: string; size: number; tags: { key: string; value: string }[] }[]; next?: string };
}

/** GET /{bucket}?tessera-tags=objects&… signed with SigV4 like any S3 request. */
async function listTagged(server: TestServer, bucket: string, query: Record<string, string>, credentials = ROOT_KEY): Promise<Answer> {
  const url = new URL(server.endpoint);
  const signer = new SignatureV4({ service: 's3', region: 'us-east-1', credentials, sha256: NodeSha256, uriEscapePath: false });
  const params = { 'tessera-tags': 'objects', ...query };
  const signed = await signer.sign({
    method: 'GET',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: `/${bucket}`,
    query: params,
    headers: { host: url.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
  });
  const qs = Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  const res = await fetch(`${server.endpoint}/${bucket}?${qs}`, { headers: signed.headers as Record<string, string> });
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text) as ReturnType<Answer['json']> };
}

/** Tessera's tag listing through the tag index (`?tessera-tags=objects`), which the console's tag filter reads. */
describe('TesseraListTaggedObjects', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
    const s3 = server.s3;
    await s3.send(new CreateBucketCommand({ Bucket: 'plain' }));
    for (let i = 0; i < 7; i++) {
      await s3.send(new PutObjectCommand({ Bucket: 'plain', Key: `docs/${i}.txt`, Body: 'x'.repeat(i), Tagging: i % 2 === 0 ? 'team=blue&year=2026' : 'team=red' }));
    }
    await s3.send(new PutObjectCommand({ Bucket: 'plain', Key: 'other/blue.txt', Body: 'b', Tagging: 'team=blue' }));
    await s3.send(new PutObjectCommand({ Bucket: 'plain', Key: 'docs/space key.txt', Body: 'b', Tagging: 'team=blue%20sky' }));
    await s3.send(new CreateBucketCommand({ Bucket: 'versioned' }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'versioned', VersioningConfiguration: { Status: 'Enabled' } }));
    await s3.send(new PutObjectCommand({ Bucket: 'versioned', Key: 'was-blue', Body: '1', Tagging: 'team=blue' }));
    await s3.send(new PutObjectCommand({ Bucket: 'versioned', Key: 'was-blue', Body: '2', Tagging: 'team=red' }));
    await s3.send(new PutObjectCommand({ Bucket: 'versioned', Key: 'deleted', Body: '1', Tagging: 'team=blue' }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'versioned', Key: 'deleted' }));
    await s3.send(new PutObjectCommand({ Bucket: 'versioned', Key: 'is-blue', Body: '1' }));
    await s3.send(new PutObjectTaggingCommand({ Bucket: 'versioned', Key: 'is-blue', Tagging: { TagSet: [{ Key: 'team', Value: 'blue' }] } }));
  });
  after(async () => {
    await server.stop();
  });

  it('lists the current objects carrying the tag, with their size and tags', async () => {
    const answer = await listTagged(server, 'plain', { 'tag-key': 'team', 'tag-value': 'blue' });
    assert.equal(answer.status, 200, answer.text);
    const objects = answer.json().objects;
    assert.deepEqual(objects.map((o) => o.key).sort(), ['docs/0.txt', 'docs/2.txt', 'docs/4.txt', 'docs/6.txt', 'other/blue.txt']);
    const four = objects.find((o) => o.key === 'docs/4.txt');
    assert.equal(four?.size, 4);
    assert.deepEqual(four?.tags, [{ key: 'team', value: 'blue' }, { key: 'year', value: '2026' }]);
    assert.equal(answer.json().next, undefined);
  });

  it('narrows by prefix, and reads values with spaces', async () => {
    const docs = await listTagged(server, 'plain', { 'tag-key': 'team', 'tag-value': 'blue', prefix: 'other/' });
    assert.deepEqual(docs.json().objects.map((o) => o.key), ['other/blue.txt']);
    const sky = await listTagged(server, 'plain', { 'tag-key': 'team', 'tag-value': 'blue sky' });
    assert.deepEqual(sky.json().objects.map((o) => o.key), ['docs/space key.txt']);
  });

  it('pages with max-keys and next, seeing every object once', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const answer = await listTagged(server, 'plain', { 'tag-key': 'team', 'tag-value': 'blue', 'max-keys': '2', ...(after !== undefined ? { after } : {}) });
      assert.equal(answer.status, 200, answer.text);
      const page = answer.json();
      assert.ok(page.objects.length <= 2);
      seen.push(...page.objects.map((o) => o.key));
      after = page.next;
      pages++;
    } while (after !== undefined && pages < 10);
    assert.deepEqual(seen.sort(), ['docs/0.txt', 'docs/2.txt', 'docs/4.txt', 'docs/6.txt', 'other/blue.txt']);
    assert.ok(pages >= 3);
  });

  it('leaves out keys whose latest version lost the tag or is a delete marker', async () => {
    const answer = await listTagged(server, 'versioned', { 'tag-key': 'team', 'tag-value': 'blue' });
    assert.deepEqual(answer.json().objects.map((o) => o.key), ['is-blue']);
  });

  it('refuses a missing tag key or a bad max-keys with InvalidArgument', async () => {
    const missing = await listTagged(server, 'plain', { 'tag-value': 'blue' });
    assert.equal(missing.status, 400);
    assert.match(missing.text, /<Code>InvalidArgument<\/Code><Message>tag-key is required/);
    const bad = await listTagged(server, 'plain', { 'tag-key': 'team', 'tag-value': 'blue', 'max-keys': '0' });
    assert.equal(bad.status, 400);
    const after = await listTagged(server, 'plain', { 'tag-key': 'team', 'tag-value': 'blue', after: 'x' });
    assert.equal(after.status, 400);
  });

  it('needs s3:ListBucket: another account is denied, an unknown bucket is NoSuchBucket', async () => {
    const other = await server.createAccount('stranger');
    const denied = await listTagged(server, 'plain', { 'tag-key': 'team', 'tag-value': 'blue' }, other);
    assert.equal(denied.status, 403);
    assert.match(denied.text, /<Code>AccessDenied<\/Code>/);
    const none = await listTagged(server, 'nope', { 'tag-key': 'team', 'tag-value': 'blue' });
    assert.equal(none.status, 404);
    assert.match(none.text, /<Code>NoSuchBucket<\/Code>/);
  });
});
