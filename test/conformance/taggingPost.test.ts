import assert from 'node:assert/strict';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { ROOT_KEY, startTestServer, type TestServer } from '../support/testServer.js';
import { createTestBucket } from '../support/buckets.js';
import { pairs } from './taggingSupport.js';

/**
 * Browser POST uploads (PostObject) carrying tags in the `tagging` form field, with policies signed with SigV4 and
 * with the older SigV2 form signature. The forms are built by hand, as a browser or Python's requests would.
 */

let server: TestServer;
let s3: S3Client;
const REGION = 'us-east-1';

before(async () => {
  server = await startTestServer();
  s3 = server.s3;
});

after(async () => {
  await server.stop();
});

function newBucket(versioning?: 'Enabled'): Promise<string> {
  return createTestBucket(s3, 'tagpost', versioning);
}

// ---- building forms ----

interface Part {
  readonly name: string;
  readonly value: string | Buffer;
  /** Send the part as a file part (with this filename), as requests' `files=` does for every field. */
  readonly filename?: string;
  readonly contentType?: string;
}

function multipart(parts: readonly Part[], trailer = ''): { body: Buffer; contentType: string } {
  const boundary = `----tessera${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"`;
    if (part.filename !== undefined) head += `; filename="${part.filename}"`;
    head += '\r\n';
    if (part.contentType !== undefined) head += `Content-Type: ${part.contentType}\r\n`;
    chunks.push(Buffer.from(`${head}\r\n`), Buffer.isBuffer(part.value) ? part.value : Buffer.from(part.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n${trailer}`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

function amzDate(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

type Condition = Record<string, string> | [string, string, string] | ['content-length-range', number, number];

function encodePolicy(conditions: readonly Condition[], expiresInMs = 10 * 60 * 1000): string {
  const expiration = new Date(Date.now() + expiresInMs).toISOString();
  return Buffer.from(JSON.stringify({ expiration, conditions })).toString('base64');
}

function signingKey(secret: string, date: string): Buffer {
  let key = createHmac('sha256', `AWS4${secret}`).update(date).digest();
  for (const part of [REGION, 's3', 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
  return key;
}

interface FormOptions {
  readonly signature?: 'v4' | 'v2' | 'none';
  /** Conditions besides the ones covering each field exactly. */
  readonly conditions?: readonly Condition[];
  /** Fields not to cover with a condition (e.g. to test a policy condition failing). */
  readonly uncovered?: readonly string[];
  /** Fields (name → value) placed after the file part. */
  readonly afterFile?: Readonly<Record<string, string>>;
  readonly fileName?: string;
  readonly asFileParts?: boolean;
  readonly secret?: string;
  readonly trailer?: string;
}

/**
 * A signed upload form for `fields` + the file: the policy covers the bucket and every field with an exact
 * condition (key: starts-with ''), so it passes unless the test asks otherwise.
 */
function form(bucket: string, fields: Readonly<Record<string, string>>, file: string | Buffer, options: FormOptions = {}): { body: Buffer; contentType: string } {
  const signature = options.signature ?? 'v4';
  const all: Record<string, string> = { ...fields };
  const now = new Date();
  const date = amzDate(now);
  if (signature === 'v4') {
    all['x-amz-algorithm'] = 'AWS4-HMAC-SHA256';
    all['x-amz-credential'] = `${ROOT_KEY.accessKeyId}/${date.slice(0, 8)}/${REGION}/s3/aws4_request`;
    all['x-amz-date'] = date;
  }
  const conditions: Condition[] = [{ bucket }];
  for (const [name, value] of Object.entries(all)) {
    if (options.uncovered?.includes(name)) continue;
    conditions.push(name === 'key' ? ['starts-with', '$key', ''] : ['eq', `$${name}`, value]);
  }
  conditions.push(...(options.conditions ?? []));
  const secret = options.secret ?? ROOT_KEY.secretAccessKey;
  const parts: Part[] = [];
  const add = (name: string, value: string): void => {
    parts.push(options.asFileParts === true ? { name, value, filename: name } : { name, value });
  };
  for (const [name, value] of Object.entries(all)) add(name, value);
  if (signature !== 'none') {
    const policy = encodePolicy(conditions);
    add('policy', policy);
    if (signature === 'v4') {
      add('x-amz-signature', createHmac('sha256', signingKey(secret, date.slice(0, 8))).update(policy).digest('hex'));
    } else {
      add('AWSAccessKeyId', ROOT_KEY.accessKeyId);
      add('signature', createHmac('sha1', secret).update(policy).digest('base64'));
    }
  }
  parts.push({ name: 'file', value: file, filename: options.fileName ?? 'upload.bin', contentType: 'application/octet-stream' });
  for (const [name, value] of Object.entries(options.afterFile ?? {})) parts.push({ name, value });
  return multipart(parts, options.trailer);
}

async function post(bucket: string, built: { body: Buffer; contentType: string }): Promise<Response> {
  return fetch(`${server.endpoint}/${bucket}`, {
    method: 'POST',
    headers: { 'content-type': built.contentType },
    body: built.body,
    redirect: 'manual',
  });
}

async function expectError(response: Response, status: number, code: string, message?: string): Promise<string> {
  const text = await response.text();
  assert.equal(response.status, status, text);
  assert.match(text, new RegExp(`<Code>${code}</Code>`));
  if (message !== undefined) assert.ok(text.includes(`<Message>${message}</Message>`), text);
  return text;
}

async function getTags(bucket: string, key: string, versionId?: string): Promise<Array<[string, string]>> {
  const out = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key, ...(versionId === undefined ? {} : { VersionId: versionId }) }));
  return pairs(out.TagSet);
}

async function exists(bucket: string, key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
    throw error;
  }
}

const TWO_TAGS = '<Tagging><TagSet><Tag><Key>0</Key><Value>0</Value></Tag><Tag><Key>1</Key><Value>1</Value></Tag></TagSet></Tagging>';

function taggingXml(tags: ReadonlyArray<readonly [string, string]>): string {
  return `<Tagging><TagSet>${tags.map(([k, v]) => `<Tag><Key>${k}</Key><Value>${v}</Value></Tag>`).join('')}</TagSet></Tagging>`;
}

describe('PostObject with tags', () => {
  it('SigV4 policy: stores the object with the tagging field\'s tags (204, ETag, Location)', async () => {
    const bucket = await newBucket();
    const response = await post(
      bucket,
      form(bucket, { key: 'foo.txt', 'Content-Type': 'text/plain', tagging: taggingXml([['b', '2'], ['a', '1'], ['中', 'α β']]) }, 'bar'),
    );
    assert.equal(response.status, 204, await response.clone().text());
    assert.equal(response.headers.get('etag'), `"${createHash('md5').update('bar').digest('hex')}"`);
    assert.equal(response.headers.get('location'), `${server.endpoint}/${bucket}/foo.txt`);
    assert.deepEqual(await getTags(bucket, 'foo.txt'), [['a', '1'], ['b', '2'], ['中', 'α β']]);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'foo.txt' }));
    assert.equal(head.TagCount, 3);
    assert.equal(head.ContentType, 'text/plain');
  });

  it('SigV2 form signature with every field sent as a file part (as s3-tests and Python requests send it)', async () => {
    const bucket = await newBucket();
    const response = await post(
      bucket,
      form(bucket, { key: 'foo.txt', acl: 'private', 'Content-Type': 'text/plain', tagging: TWO_TAGS }, 'bar', {
        signature: 'v2',
        asFileParts: true,
        uncovered: ['tagging'],
        conditions: [['starts-with', '$tagging', ''], ['content-length-range', 0, 1024]],
      }),
    );
    assert.equal(response.status, 204, await response.clone().text());
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'foo.txt' }));
    assert.equal(await got.Body?.transformToString(), 'bar');
    assert.deepEqual(await getTags(bucket, 'foo.txt'), [['0', '0'], ['1', '1']]);
  });

  it('an upload without a tagging field has no tags', async () => {
    const bucket = await newBucket();
    const response = await post(bucket, form(bucket, { key: 'plain' }, 'x'));
    assert.equal(response.status, 204);
    assert.deepEqual(await getTags(bucket, 'plain'), []);
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'plain' }))).TagCount, undefined);
  });

  it('a well-formed tagging document with another root is ignored, as AWS does', async () => {
    const bucket = await newBucket();
    const response = await post(bucket, form(bucket, { key: 'obj', tagging: '<InvalidXmlTagging></InvalidXmlTagging>' }, 'x'));
    assert.equal(response.status, 204);
    assert.deepEqual(await getTags(bucket, 'obj'), []);
  });

  const invalid: ReadonlyArray<[string, string, number, string, string | undefined]> = [
    ['not XML', 'not-xml', 400, 'MalformedXML', undefined],
    ['a Tag without Value', '<Tagging><TagSet><Tag><Key>k</Key></Tag></TagSet></Tagging>', 400, 'MalformedXML', undefined],
    ['11 tags', taggingXml(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v'] as const)), 400, 'BadRequest', 'Object tags cannot be greater than 10'],
    ['a repeated key', taggingXml([['k', '1'], ['k', '2']]), 400, 'InvalidTag', 'Cannot provide multiple Tags with the same key'],
    ['a key with *', taggingXml([['k*', '1']]), 400, 'InvalidTag', 'The TagKey you have provided is invalid'],
    ['a 257-character value', taggingXml([['k', 'v'.repeat(257)]]), 400, 'InvalidTag', 'The TagValue you have provided is invalid'],
    ['an aws: key', taggingXml([['aws:k', '1']]), 400, 'InvalidTag', 'Your TagKey cannot be prefixed with aws:'],
  ];
  for (const [name, tagging, status, code, message] of invalid) {
    it(`rejects ${name} (${code}) and stores nothing`, async () => {
      const bucket = await newBucket();
      await expectError(await post(bucket, form(bucket, { key: 'obj', tagging }, 'x')), status, code, message);
      assert.equal(await exists(bucket, 'obj'), false);
    });
  }

  it('accepts 10 tags with 128 × 中 keys and 256 × 中 values', async () => {
    const bucket = await newBucket();
    const tags = Array.from({ length: 10 }, (_, i) => [`${i}${'中'.repeat(127)}`, '中'.repeat(256)] as const);
    // the policy allows any tagging (starts-with ''), so the 12 KB document is not repeated in it (fields < 20 KB)
    const response = await post(
      bucket,
      form(bucket, { key: 'obj', tagging: taggingXml(tags) }, 'x', { uncovered: ['tagging'], conditions: [['starts-with', '$tagging', '']] }),
    );
    assert.equal(response.status, 204, await response.clone().text());
    assert.equal((await getTags(bucket, 'obj')).length, 10);
  });

  it('in a versioned bucket, returns x-amz-version-id and tags that version', async () => {
    const bucket = await newBucket('Enabled');
    const first = await post(bucket, form(bucket, { key: 'obj', tagging: taggingXml([['gen', '1']]) }, '1'));
    const second = await post(bucket, form(bucket, { key: 'obj', tagging: taggingXml([['gen', '2']]) }, '2'));
    const v1 = first.headers.get('x-amz-version-id');
    const v2 = second.headers.get('x-amz-version-id');
    assert.ok(v1 !== null && v2 !== null && v1 !== v2);
    assert.deepEqual(await getTags(bucket, 'obj', v1), [['gen', '1']]);
    assert.deepEqual(await getTags(bucket, 'obj', v2), [['gen', '2']]);
  });
});

describe('PostObject: authentication and policy', () => {
  it('anonymous POST (no policy) is denied by the owner-only rule and stores nothing', async () => {
    const bucket = await newBucket();
    await expectError(await post(bucket, form(bucket, { key: 'anon', tagging: TWO_TAGS }, 'x', { signature: 'none' })), 403, 'AccessDenied');
    assert.equal(await exists(bucket, 'anon'), false);
  });

  it('a wrong SigV4 signature is SignatureDoesNotMatch', async () => {
    const bucket = await newBucket();
    await expectError(await post(bucket, form(bucket, { key: 'obj' }, 'x', { secret: 'wrong-secret' })), 403, 'SignatureDoesNotMatch');
    assert.equal(await exists(bucket, 'obj'), false);
  });

  it('a rejected POST whose file is still arriving is answered, and the server goes on serving (the unread file part is dropped)', async () => {
    const bucket = await newBucket();
    const large = randomBytes(8 * 1024 * 1024);
    for (const options of [{ secret: 'wrong-secret' }, { signature: 'none' as const }]) {
      const response = await post(bucket, form(bucket, { key: 'obj' }, large, options));
      assert.equal(response.status, 403);
      await response.arrayBuffer();
      assert.equal(await exists(bucket, 'obj'), false, 'the server still answers');
    }
  });

  it('a wrong SigV2 signature is SignatureDoesNotMatch', async () => {
    const bucket = await newBucket();
    await expectError(await post(bucket, form(bucket, { key: 'obj' }, 'x', { signature: 'v2', secret: 'wrong-secret' })), 403, 'SignatureDoesNotMatch');
    assert.equal(await exists(bucket, 'obj'), false);
  });

  it('a tagging field the policy does not allow is AccessDenied', async () => {
    const bucket = await newBucket();
    const response = await post(
      bucket,
      form(bucket, { key: 'obj', tagging: TWO_TAGS }, 'x', { uncovered: ['tagging'], conditions: [['eq', '$tagging', '<Tagging/>']] }),
    );
    await expectError(response, 403, 'AccessDenied');
    assert.equal(await exists(bucket, 'obj'), false);
  });

  it('a file larger than content-length-range is EntityTooLarge and stores nothing', async () => {
    const bucket = await newBucket();
    const response = await post(bucket, form(bucket, { key: 'big', tagging: TWO_TAGS }, 'x'.repeat(2048), { conditions: [['content-length-range', 0, 1024]] }));
    await expectError(response, 400, 'EntityTooLarge');
    assert.equal(await exists(bucket, 'big'), false);
  });
});

describe('PostObject: form handling', () => {
  it('substitutes ${filename} in the key and stores x-amz-meta-* and Content-Type', async () => {
    const bucket = await newBucket();
    const response = await post(
      bucket,
      form(bucket, { key: 'uploads/${filename}', 'x-amz-meta-colour': 'blue', 'Content-Type': 'image/png' }, 'png', { fileName: 'photo.png' }),
    );
    assert.equal(response.status, 204, await response.clone().text());
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'uploads/photo.png' }));
    assert.equal(head.ContentType, 'image/png');
    assert.deepEqual(head.Metadata, { colour: 'blue' });
  });

  it('success_action_status 201 answers a PostResponse document; 200 an empty body', async () => {
    const bucket = await newBucket();
    const created = await post(bucket, form(bucket, { key: 'a b', success_action_status: '201' }, 'x'));
    assert.equal(created.status, 201);
    const text = await created.text();
    assert.match(text, new RegExp(`<Bucket>${bucket}</Bucket>`));
    assert.match(text, /<Key>a b<\/Key>/);
    assert.match(text, /<ETag>&quot;[0-9a-f]{32}&quot;<\/ETag>|<ETag>"[0-9a-f]{32}"<\/ETag>/);
    assert.match(text, /<Location>http:\/\/[^<]+<\/Location>/);
    const ok = await post(bucket, form(bucket, { key: 'b', success_action_status: '200' }, 'x'));
    assert.equal(ok.status, 200);
    assert.equal(await ok.text(), '');
  });

  it('success_action_redirect answers 303 with bucket, key and etag added', async () => {
    const bucket = await newBucket();
    const response = await post(bucket, form(bucket, { key: 'r', success_action_redirect: 'https://example.com/done?x=1' }, 'x'));
    assert.equal(response.status, 303);
    const location = new URL(response.headers.get('location') ?? '');
    assert.equal(location.host, 'example.com');
    assert.equal(location.searchParams.get('x'), '1');
    assert.equal(location.searchParams.get('bucket'), bucket);
    assert.equal(location.searchParams.get('key'), 'r');
    assert.equal(location.searchParams.get('etag'), `"${createHash('md5').update('x').digest('hex')}"`);
  });

  it('ignores fields after the file and data after the closing boundary', async () => {
    const bucket = await newBucket();
    const response = await post(bucket, form(bucket, { key: 'obj' }, 'data', { afterFile: { tagging: TWO_TAGS, key: 'other' }, trailer: 'trailing junk' }));
    assert.equal(response.status, 204, await response.clone().text());
    assert.deepEqual(await getTags(bucket, 'obj'), []);
    assert.equal(await exists(bucket, 'other'), false);
  });

  it('a form without file is InvalidArgument; without key too', async () => {
    const bucket = await newBucket();
    const noFile = multipart([{ name: 'key', value: 'obj' }]);
    await expectError(await post(bucket, noFile), 400, 'InvalidArgument');
    const noKey = multipart([{ name: 'file', value: 'x', filename: 'f' }]);
    await expectError(await post(bucket, noKey), 400, 'InvalidArgument');
    assert.equal(await exists(bucket, 'obj'), false);
  });

  it('a POST that is not multipart/form-data is 412 PreconditionFailed', async () => {
    const bucket = await newBucket();
    const response = await fetch(`${server.endpoint}/${bucket}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    await expectError(response, 412, 'PreconditionFailed');
  });

  it('multipart/form-data without a boundary is MalformedPOSTRequest', async () => {
    const bucket = await newBucket();
    const response = await fetch(`${server.endpoint}/${bucket}`, { method: 'POST', headers: { 'content-type': 'multipart/form-data' }, body: 'x' });
    await expectError(response, 400, 'MalformedPOSTRequest');
  });

  it('fields before the file larger than 20 KB are MaxPostPreDataLengthExceededError', async () => {
    const bucket = await newBucket();
    const response = await post(bucket, multipart([{ name: 'key', value: 'obj' }, { name: 'x-ignore-pad', value: 'p'.repeat(21 * 1024) }, { name: 'file', value: 'x', filename: 'f' }]));
    await expectError(response, 400, 'MaxPostPreDataLengthExceededError');
  });
});
