import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { startTestServer, type TestServer } from '../support/testServer.js';
import { createTestBucket } from '../support/buckets.js';
import { HAN, expectS3Error, pairs, tagSet, withHeaders } from './taggingSupport.js';

/**
 * Tags on write: x-amz-tagging on PutObject, CopyObject (with x-amz-tagging-directive) and CreateMultipartUpload,
 * through the AWS SDK v3. An invalid header rejects the write and stores nothing.
 */

let server: TestServer;
let s3: S3Client;

before(async () => {
  server = await startTestServer();
  s3 = server.s3;
});

after(async () => {
  await server.stop();
});

function newBucket(versioning?: 'Enabled'): Promise<string> {
  return createTestBucket(s3, 'tagw', versioning);
}

async function getTags(bucket: string, key: string, versionId?: string): Promise<Array<[string, string]>> {
  const out = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key, ...(versionId === undefined ? {} : { VersionId: versionId }) }));
  return pairs(out.TagSet);
}

async function body(bucket: string, key: string): Promise<string> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await out.Body?.transformToString()) ?? '';
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

const HEADER_MESSAGE =
  "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.";

describe('PutObject with x-amz-tagging', () => {
  const headerCases: ReadonlyArray<[string, Array<[string, string]>]> = [
    ['a=1&b', [['a', '1'], ['b', '']]],
    ['foo=bar&bar', [['bar', ''], ['foo', 'bar']]],
    ['tag1=tag1&tag2=tag2&tag=', [['tag', ''], ['tag1', 'tag1'], ['tag2', 'tag2']]],
    ['key1&&&key2', [['key1', ''], ['key2', '']]],
    ['a+b=c+d&e%20f=g%20h', [['a b', 'c d'], ['e f', 'g h']]],
    ['plus=%2B&slash=a%2Fb', [['plus', '+'], ['slash', 'a/b']]],
    [`${encodeURIComponent(HAN.repeat(128))}=${encodeURIComponent(HAN.repeat(256))}`, [[HAN.repeat(128), HAN.repeat(256)]]],
  ];
  for (const [header, expected] of headerCases) {
    it(`stores ${JSON.stringify(header).slice(0, 40)} as ${JSON.stringify(expected).slice(0, 60)}`, async () => {
      const bucket = await newBucket();
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'obj', Body: 'x', Tagging: header }));
      assert.deepEqual(await getTags(bucket, 'obj'), expected);
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'obj' }));
      assert.equal(head.TagCount, expected.length);
    });
  }

  const rejected: ReadonlyArray<[string, Parameters<typeof expectS3Error>[1]]> = [
    ['a=1&a=2', { status: 400, code: 'InvalidArgument', message: HEADER_MESSAGE, fields: { ArgumentName: 'x-amz-tagging', ArgumentValue: 'a=1&a=2' } }],
    ['key1=val1,key2=val2', { status: 400, code: 'InvalidArgument', message: HEADER_MESSAGE }],
    ['=v', { status: 400, code: 'InvalidArgument', message: HEADER_MESSAGE }],
    ['k%ZZ=v', { status: 400, code: 'InvalidArgument', message: HEADER_MESSAGE }],
    ['k!=v', { status: 400, code: 'InvalidTag', message: 'The TagKey you have provided is invalid', fields: { TagKey: 'k!' } }],
    ['k=v?', { status: 400, code: 'InvalidTag', message: 'The TagValue you have provided is invalid', fields: { TagKey: 'k', TagValue: 'v?' } }],
    ['aws:k=v', { status: 400, code: 'InvalidTag', message: 'Your TagKey cannot be prefixed with aws:' }],
    [Array.from({ length: 11 }, (_, i) => `k${i}=v`).join('&'), { status: 400, code: 'BadRequest', message: 'Object tags cannot be greater than 10' }],
  ];
  for (const [header, expected] of rejected) {
    it(`rejects ${JSON.stringify(header).slice(0, 40)} (${expected.code}) and stores nothing`, async () => {
      const bucket = await newBucket();
      await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'new', Body: 'x', Tagging: header })), expected);
      assert.equal(await exists(bucket, 'new'), false);
      // an existing object is left as it was
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'old', Body: 'old body', Tagging: 'old=1' }));
      await expectS3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'old', Body: 'new body', Tagging: header })), expected);
      assert.equal(await body(bucket, 'old'), 'old body');
      assert.deepEqual(await getTags(bucket, 'old'), [['old', '1']]);
    });
  }

  it('gives each version its own tags in a versioned bucket; x-amz-tagging-count per version', async () => {
    const bucket = await newBucket('Enabled');
    const v1 = (await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'obj', Body: '1', Tagging: 'a=1&b=2' }))).VersionId;
    const v2 = (await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'obj', Body: '2' }))).VersionId;
    assert.ok(v1 !== undefined && v2 !== undefined);
    assert.deepEqual(await getTags(bucket, 'obj', v1), [['a', '1'], ['b', '2']]);
    assert.deepEqual(await getTags(bucket, 'obj', v2), []);
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'obj', VersionId: v1 }))).TagCount, 2);
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'obj', VersionId: v2 }))).TagCount, undefined);
    const get = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'obj', VersionId: v1 }));
    await get.Body?.transformToString();
    assert.equal(get.TagCount, 2);
  });
});

describe('CopyObject and x-amz-tagging-directive', () => {
  async function source(bucket: string): Promise<void> {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'src', Body: 'source', Tagging: 'key1=value1&shared=src' }));
  }

  it('COPY (the default) copies the source tags and ignores x-amz-tagging', async () => {
    const bucket = await newBucket();
    await source(bucket);
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'dst-default', CopySource: `${bucket}/src`, Tagging: 'key2=value2' }));
    assert.deepEqual(await getTags(bucket, 'dst-default'), [['key1', 'value1'], ['shared', 'src']]);
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'dst-copy', CopySource: `${bucket}/src`, TaggingDirective: 'COPY' }));
    assert.deepEqual(await getTags(bucket, 'dst-copy'), [['key1', 'value1'], ['shared', 'src']]);
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'dst-copy' }))).TagCount, 2);
  });

  it('REPLACE takes the request tags; REPLACE without x-amz-tagging leaves none', async () => {
    const bucket = await newBucket();
    await source(bucket);
    await s3.send(
      new CopyObjectCommand({ Bucket: bucket, Key: 'dst', CopySource: `${bucket}/src`, TaggingDirective: 'REPLACE', Tagging: 'key2=value2&b' }),
    );
    assert.deepEqual(await getTags(bucket, 'dst'), [['b', ''], ['key2', 'value2']]);
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'dst-none', CopySource: `${bucket}/src`, TaggingDirective: 'REPLACE' }));
    assert.deepEqual(await getTags(bucket, 'dst-none'), []);
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'dst-none' }))).TagCount, undefined);
    // the source is untouched
    assert.deepEqual(await getTags(bucket, 'src'), [['key1', 'value1'], ['shared', 'src']]);
  });

  it('copying onto itself with REPLACE retags the object', async () => {
    const bucket = await newBucket();
    await source(bucket);
    await s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: 'src',
        CopySource: `${bucket}/src`,
        TaggingDirective: 'REPLACE',
        MetadataDirective: 'REPLACE',
        Tagging: 'fresh=1',
      }),
    );
    assert.deepEqual(await getTags(bucket, 'src'), [['fresh', '1']]);
    assert.equal(await body(bucket, 'src'), 'source');
  });

  it('COPY takes the tags of the source version named in x-amz-copy-source', async () => {
    const bucket = await newBucket('Enabled');
    const v1 = (await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'src', Body: '1', Tagging: 'gen=1' }))).VersionId;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'src', Body: '2', Tagging: 'gen=2' }));
    assert.ok(v1 !== undefined);
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'dst-v1', CopySource: `${bucket}/src?versionId=${v1}` }));
    assert.deepEqual(await getTags(bucket, 'dst-v1'), [['gen', '1']]);
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'dst-latest', CopySource: `${bucket}/src` }));
    assert.deepEqual(await getTags(bucket, 'dst-latest'), [['gen', '2']]);
  });

  it('an unknown directive is InvalidArgument; an invalid header with REPLACE stores nothing', async () => {
    const bucket = await newBucket();
    await source(bucket);
    await expectS3Error(
      s3.send(withHeaders(new CopyObjectCommand({ Bucket: bucket, Key: 'dst', CopySource: `${bucket}/src` }), { 'x-amz-tagging-directive': 'MERGE' })),
      { status: 400, code: 'InvalidArgument', message: 'Unknown tagging directive.', fields: { ArgumentName: 'x-amz-tagging-directive' } },
    );
    await expectS3Error(
      s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'dst', CopySource: `${bucket}/src`, TaggingDirective: 'REPLACE', Tagging: 'x=1&x=2' })),
      { status: 400, code: 'InvalidArgument', message: HEADER_MESSAGE },
    );
    await expectS3Error(
      s3.send(
        new CopyObjectCommand({
          Bucket: bucket,
          Key: 'dst',
          CopySource: `${bucket}/src`,
          TaggingDirective: 'REPLACE',
          Tagging: Array.from({ length: 11 }, (_, i) => `k${i}=v`).join('&'),
        }),
      ),
      { status: 400, code: 'BadRequest', message: 'Object tags cannot be greater than 10' },
    );
    assert.equal(await exists(bucket, 'dst'), false);
  });
});

describe('multipart uploads with x-amz-tagging', () => {
  it('applies the tags of CreateMultipartUpload when the upload completes', async () => {
    const bucket = await newBucket();
    const created = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'mpu', Tagging: 'Hello=World&foo=bar' }));
    const uploadId = created.UploadId;
    assert.ok(uploadId !== undefined);
    const part = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'mpu', UploadId: uploadId, PartNumber: 1, Body: 'only part' }));
    assert.equal(await exists(bucket, 'mpu'), false, 'nothing to tag before completion');
    await s3.send(
      new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'mpu', UploadId: uploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }),
    );
    assert.deepEqual(await getTags(bucket, 'mpu'), [['Hello', 'World'], ['foo', 'bar']]);
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'mpu' }))).TagCount, 2);
    // then the usual tagging operations apply
    await s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: 'mpu', Tagging: { TagSet: tagSet([['after', 'done']]) } }));
    assert.deepEqual(await getTags(bucket, 'mpu'), [['after', 'done']]);
  });

  it('an upload without x-amz-tagging completes without tags', async () => {
    const bucket = await newBucket();
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'mpu' }));
    const part = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'mpu', UploadId, PartNumber: 1, Body: 'x' }));
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'mpu', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
    assert.deepEqual(await getTags(bucket, 'mpu'), []);
  });

  it('an invalid x-amz-tagging rejects CreateMultipartUpload and starts no upload', async () => {
    const bucket = await newBucket();
    await expectS3Error(s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'mpu', Tagging: 'a=1&a=2' })), {
      status: 400,
      code: 'InvalidArgument',
      message: HEADER_MESSAGE,
    });
    await expectS3Error(s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'mpu', Tagging: 'bad*key=1' })), {
      status: 400,
      code: 'InvalidTag',
      message: 'The TagKey you have provided is invalid',
    });
    const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    assert.equal(uploads.Uploads?.length ?? 0, 0);
  });

  it('each completed version keeps the tags of its own upload', async () => {
    const bucket = await newBucket('Enabled');
    const versions: string[] = [];
    for (const tagging of ['round=1', 'round=2']) {
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'mpu', Tagging: tagging }));
      const part = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'mpu', UploadId, PartNumber: 1, Body: tagging }));
      const done = await s3.send(
        new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'mpu', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }),
      );
      assert.ok(done.VersionId !== undefined);
      versions.push(done.VersionId);
    }
    assert.deepEqual(await getTags(bucket, 'mpu', versions[0]), [['round', '1']]);
    assert.deepEqual(await getTags(bucket, 'mpu', versions[1]), [['round', '2']]);
  });
});
