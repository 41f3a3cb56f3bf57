import {
  CopyObjectCommand,
  CreateBucketCommand,
  GetBucketAclCommand,
  GetObjectAclCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutBucketAclCommand,
  PutObjectAclCommand,
  PutObjectCommand,
  S3ServiceException,
  type S3Client,
} from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ALL_USERS_URI, AUTHENTICATED_USERS_URI } from '../../src/core/access/AccessControlList.js';
import { canonicalIdOf } from '../../src/core/identity/canonicalId.js';
import { bucketName } from '../support/names.js';
import { startTestServer, type TestServer } from '../support/testServer.js';
import { anonymousClient, assertDenied, putPolicy } from './accessControlSupport.js';

/** Canned ACLs and grants on buckets and objects, and anonymous access (only where an ACL or a policy grants it). */
let server: TestServer;
let anon: S3Client;
let alt: S3Client;
let altAccount: string;

before(async () => {
  server = await startTestServer();
  anon = anonymousClient(server.endpoint);
  const a = await server.createAccount('alt');
  altAccount = a.accountId;
  alt = server.client(a);
});
after(async () => server.stop());

async function newBucket(acl?: 'private' | 'public-read' | 'public-read-write' | 'authenticated-read'): Promise<string> {
  const bucket = bucketName('acl');
  await server.s3.send(new CreateBucketCommand({ Bucket: bucket, ...(acl === undefined ? {} : { ACL: acl }) }));
  return bucket;
}

async function exists(bucket: string, key: string): Promise<boolean> {
  try {
    await server.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (e) {
    if (e instanceof S3ServiceException && e.$metadata.httpStatusCode === 404) return false;
    throw e;
  }
}

void describe('ACL operations', () => {
  void it('a new bucket and object have the default ACL: the owner has FULL_CONTROL', async () => {
    const bucket = await newBucket();
    await server.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));
    const b = await server.s3.send(new GetBucketAclCommand({ Bucket: bucket }));
    assert.ok(b.Owner?.ID !== undefined && /^[0-9a-f]{64}$/.test(b.Owner.ID));
    assert.deepEqual(b.Grants?.map((g) => [g.Grantee?.Type, g.Grantee?.ID, g.Permission]), [['CanonicalUser', b.Owner.ID, 'FULL_CONTROL']]);
    const o = await server.s3.send(new GetObjectAclCommand({ Bucket: bucket, Key: 'k' }));
    assert.deepEqual(o.Grants?.map((g) => [g.Grantee?.Type, g.Grantee?.ID, g.Permission]), [['CanonicalUser', b.Owner.ID, 'FULL_CONTROL']]);
  });

  void it('canned ACLs at creation and through Put*Acl are reported as grants', async () => {
    const bucket = await newBucket('public-read');
    const b = await server.s3.send(new GetBucketAclCommand({ Bucket: bucket }));
    assert.deepEqual(b.Grants?.map((g) => [g.Grantee?.Type, g.Grantee?.URI ?? 'owner', g.Permission]), [
      ['Group', ALL_USERS_URI, 'READ'],
      ['CanonicalUser', 'owner', 'FULL_CONTROL'],
    ]);
    await server.s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'authenticated-read' }));
    const b2 = await server.s3.send(new GetBucketAclCommand({ Bucket: bucket }));
    assert.deepEqual(b2.Grants?.map((g) => g.Grantee?.URI ?? 'owner'), [AUTHENTICATED_USERS_URI, 'owner']);

    await server.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x', ACL: 'public-read-write' }));
    const o = await server.s3.send(new GetObjectAclCommand({ Bucket: bucket, Key: 'k' }));
    assert.deepEqual(o.Grants?.map((g) => g.Permission), ['READ', 'WRITE', 'FULL_CONTROL']);
  });

  void it('PutObjectAcl takes an AccessControlPolicy body naming another account', async () => {
    const bucket = await newBucket();
    await server.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));
    const owner = (await server.s3.send(new GetObjectAclCommand({ Bucket: bucket, Key: 'k' }))).Owner;
    await assertDenied(alt.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' })));
    await server.s3.send(
      new PutObjectAclCommand({
        Bucket: bucket,
        Key: 'k',
        AccessControlPolicy: {
          Owner: owner,
          Grants: [
            { Grantee: { Type: 'CanonicalUser', ID: owner?.ID }, Permission: 'FULL_CONTROL' },
            { Grantee: { Type: 'CanonicalUser', ID: canonicalIdOf(altAccount) }, Permission: 'READ' },
          ],
        },
      }),
    );
    const got = await alt.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' }));
    assert.equal(await got.Body?.transformToString(), 'x');
    const acl = await server.s3.send(new GetObjectAclCommand({ Bucket: bucket, Key: 'k' }));
    assert.equal(acl.Grants?.[1]?.Grantee?.DisplayName, 'alt');
    // READ does not give READ_ACP
    await assertDenied(alt.send(new GetObjectAclCommand({ Bucket: bucket, Key: 'k' })));
  });

  void it('x-amz-grant-* headers; an unknown canonical id is InvalidArgument', async () => {
    const bucket = await newBucket();
    await server.s3.send(new PutBucketAclCommand({ Bucket: bucket, GrantRead: `id="${canonicalIdOf(altAccount)}"` }));
    await alt.send(new ListObjectsV2Command({ Bucket: bucket }));
    await assert.rejects(
      server.s3.send(new PutBucketAclCommand({ Bucket: bucket, GrantRead: `id="${'0'.repeat(64)}"` })),
      (e: unknown) => e instanceof S3ServiceException && e.name === 'InvalidArgument',
    );
  });

  void it('an unversioned overwrite resets the ACL to what the new PUT says', async () => {
    const bucket = await newBucket();
    await server.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'v1', ACL: 'public-read' }));
    assert.equal((await anon.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' }))).$metadata.httpStatusCode, 200);
    await server.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'v2' }));
    await assertDenied(anon.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' })));
    const o = await server.s3.send(new GetObjectAclCommand({ Bucket: bucket, Key: 'k' }));
    assert.equal(o.Grants?.length, 1);
  });

  void it('a copy gets the ACL its request says, not the source\'s', async () => {
    const bucket = await newBucket();
    await server.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'src', Body: 'x', ACL: 'public-read' }));
    await server.s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'copy', CopySource: `${bucket}/src` }));
    await assertDenied(anon.send(new GetObjectCommand({ Bucket: bucket, Key: 'copy' })));
    await server.s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'copy2', CopySource: `${bucket}/src`, ACL: 'public-read' }));
    await anon.send(new GetObjectCommand({ Bucket: bucket, Key: 'copy2' }));
  });
});

void describe('anonymous access', () => {
  void it('is denied by default, with an AccessDenied body, and changes nothing', async () => {
    const bucket = await newBucket();
    await server.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));
    await assertDenied(anon.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' })));
    await assertDenied(anon.send(new ListObjectsV2Command({ Bucket: bucket })));
    await assertDenied(anon.send(new PutObjectCommand({ Bucket: bucket, Key: 'new', Body: 'y' })));
    assert.equal(await exists(bucket, 'new'), false);
    const res = await fetch(`${server.endpoint}/${bucket}/k`);
    assert.equal(res.status, 403);
    assert.match(await res.text(), /<Code>AccessDenied<\/Code>/);
  });

  void it('public-read objects and buckets can be read; public-read-write buckets written', async () => {
    const bucket = await newBucket('public-read');
    await server.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'open', Body: 'o', ACL: 'public-read' }));
    await server.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'closed', Body: 'c' }));
    const listed = await anon.send(new ListObjectsV2Command({ Bucket: bucket }));
    assert.deepEqual(listed.Contents?.map((c) => c.Key), ['closed', 'open']);
    assert.equal(await (await anon.send(new GetObjectCommand({ Bucket: bucket, Key: 'open' }))).Body?.transformToString(), 'o');
    await assertDenied(anon.send(new GetObjectCommand({ Bucket: bucket, Key: 'closed' })));
    await assertDenied(anon.send(new PutObjectCommand({ Bucket: bucket, Key: 'w', Body: 'w' })));

    const writable = await newBucket('public-read-write');
    await anon.send(new PutObjectCommand({ Bucket: writable, Key: 'w', Body: 'w' }));
    assert.equal(await exists(writable, 'w'), true);
  });

  void it('authenticated-read admits any signed request, not anonymous ones', async () => {
    const bucket = await newBucket('authenticated-read');
    await alt.send(new ListObjectsV2Command({ Bucket: bucket }));
    await assertDenied(anon.send(new ListObjectsV2Command({ Bucket: bucket })));
  });

  void it('a Principal "*" bucket policy grants anonymous access, with its conditions', async () => {
    const bucket = await newBucket();
    await server.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'pub/a', Body: 'a' }));
    await server.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'priv/b', Body: 'b' }));
    await putPolicy(server.s3, bucket, {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/pub/*` },
        { Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:ListBucket', Resource: `arn:aws:s3:::${bucket}`, Condition: { StringEquals: { 's3:prefix': 'pub/' } } },
        { Effect: 'Allow', Principal: '*', Action: 's3:PutObject', Resource: `arn:aws:s3:::${bucket}/*`, Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
      ],
    });
    await anon.send(new GetObjectCommand({ Bucket: bucket, Key: 'pub/a' }));
    await assertDenied(anon.send(new GetObjectCommand({ Bucket: bucket, Key: 'priv/b' })));
    await anon.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'pub/' }));
    await assertDenied(anon.send(new ListObjectsV2Command({ Bucket: bucket })));
    await assertDenied(anon.send(new PutObjectCommand({ Bucket: bucket, Key: 'pub/x', Body: 'x' })));
    assert.equal(await exists(bucket, 'pub/x'), false);
  });
});

void describe('ACLs given at creation', () => {
  void it('CreateMultipartUpload\'s x-amz-acl is applied when the upload completes', async () => {
    const { CreateMultipartUploadCommand, UploadPartCommand, CompleteMultipartUploadCommand } = await import('@aws-sdk/client-s3');
    const bucket = await newBucket();
    const created = await server.s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'mp', ACL: 'public-read' }));
    const part = await server.s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'mp', UploadId: created.UploadId, PartNumber: 1, Body: 'hello' }));
    await assertDenied(anon.send(new GetObjectCommand({ Bucket: bucket, Key: 'mp' })));
    await server.s3.send(
      new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'mp', UploadId: created.UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }),
    );
    assert.equal(await (await anon.send(new GetObjectCommand({ Bucket: bucket, Key: 'mp' }))).Body?.transformToString(), 'hello');
  });

  void it('an unknown canned ACL is InvalidArgument and writes nothing', async () => {
    const bucket = await newBucket();
    await assert.rejects(
      server.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x', ACL: 'everyone-writes' as 'private' })),
      (e: unknown) => e instanceof S3ServiceException && e.name === 'InvalidArgument',
    );
    assert.equal(await exists(bucket, 'k'), false);
  });
});

void describe('reading a missing object', () => {
  const notFound = (e: unknown): boolean => e instanceof S3ServiceException && e.$metadata.httpStatusCode === 404;

  void it('answers 404 only to callers that may list the bucket, 403 to others even with GetObject allowed', async () => {
    const bucket = await newBucket();
    await putPolicy(server.s3, bucket, {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }],
    });
    await assertDenied(anon.send(new GetObjectCommand({ Bucket: bucket, Key: 'missing' })));
    await assert.rejects(server.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'missing' })), notFound);
    await putPolicy(server.s3, bucket, {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` },
        { Effect: 'Allow', Principal: '*', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${bucket}`, Condition: { StringLike: { 's3:prefix': 'public/*' } } },
      ],
    });
    await assert.rejects(anon.send(new GetObjectCommand({ Bucket: bucket, Key: 'public/missing' })), notFound);
    await assert.rejects(anon.send(new HeadObjectCommand({ Bucket: bucket, Key: 'public/missing' })), notFound);
    await assertDenied(anon.send(new GetObjectCommand({ Bucket: bucket, Key: 'private/missing' })));
  });

  void it('a public-read bucket (READ lists) answers 404 to anyone', async () => {
    const bucket = await newBucket('public-read');
    await assert.rejects(anon.send(new GetObjectCommand({ Bucket: bucket, Key: 'missing' })), notFound);
    await assert.rejects(alt.send(new GetObjectCommand({ Bucket: bucket, Key: 'missing' })), notFound);
  });
});

void describe('browser POST uploads', () => {
  async function anonymousPost(bucket: string, fields: Record<string, string>): Promise<Response> {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append('file', new Blob(['posted']), 'f.txt');
    return fetch(`${server.endpoint}/${bucket}`, { method: 'POST', body: form });
  }
  const tagging = (project: string): string => `<Tagging><TagSet><Tag><Key>Project</Key><Value>${project}</Value></Tag></TagSet></Tagging>`;

  void it('the form\'s tagging field is s3:RequestObjectTag; its acl field is s3:x-amz-acl and the new object\'s ACL', async () => {
    const bucket = await newBucket();
    await putPolicy(server.s3, bucket, {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:PutObject',
          Resource: `arn:aws:s3:::${bucket}/*`,
          Condition: { StringEquals: { 's3:RequestObjectTag/Project': 'X', 's3:x-amz-acl': 'public-read' } },
        },
        {
          Effect: 'Allow',
          Principal: '*',
          Action: ['s3:PutObjectTagging', 's3:PutObjectAcl'],
          Resource: `arn:aws:s3:::${bucket}/*`,
        },
      ],
    });
    const refused = await anonymousPost(bucket, { key: 'a', tagging: tagging('Y'), acl: 'public-read' });
    assert.equal(refused.status, 403);
    assert.match(await refused.text(), /<Code>AccessDenied<\/Code>/);
    assert.equal(await exists(bucket, 'a'), false);
    assert.equal((await anonymousPost(bucket, { key: 'a', tagging: tagging('X'), acl: 'private' })).status, 403);
    const ok = await anonymousPost(bucket, { key: 'a', tagging: tagging('X'), acl: 'public-read' });
    assert.equal(ok.status, 204, await ok.text());
    assert.equal(await (await anon.send(new GetObjectCommand({ Bucket: bucket, Key: 'a' }))).Body?.transformToString(), 'posted');
  });
});

void describe('writes granted by a bucket ACL', () => {
  void it('WRITE covers the ACL and tags an upload sets on its new object, not PutObjectAcl / PutObjectTagging themselves', async () => {
    const { PutObjectTaggingCommand } = await import('@aws-sdk/client-s3');
    const bucket = await newBucket('public-read-write');
    await anon.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x', ACL: 'public-read', Tagging: 'a=1' }));
    assert.equal(await (await anon.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' }))).Body?.transformToString(), 'x');
    await assertDenied(anon.send(new PutObjectAclCommand({ Bucket: bucket, Key: 'k', ACL: 'public-read-write' })));
    await assertDenied(anon.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: 'k', Tagging: { TagSet: [] } })));
  });
});
