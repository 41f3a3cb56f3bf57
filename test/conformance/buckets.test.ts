import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetBucketLocationCommand,
  GetBucketVersioningCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  paginateListBuckets,
  type BucketVersioningStatus,
} from '@aws-sdk/client-s3';
import { canonicalIdOf } from '../../src/core/identity/canonicalId.js';
import { bucketName } from '../support/names.js';
import { failure, rejects, withQuery } from '../support/sdk.js';
import { startTestServer, type TestServer } from '../support/testServer.js';

describe('bucket operations (AWS SDK v3)', () => {
  let server: TestServer;
  let s3: S3Client;
  let other: S3Client;
  let otherAccount: string;

  before(async () => {
    server = await startTestServer();
    s3 = server.s3;
    const account = await server.createAccount('other');
    otherAccount = account.accountId;
    other = server.client(account);
  });
  after(async () => {
    await server.stop();
  });

  describe('CreateBucket', () => {
    it('creates a bucket and answers with its Location', async () => {
      const name = bucketName('create');
      const out = await s3.send(new CreateBucketCommand({ Bucket: name }));
      assert.equal(out.$metadata.httpStatusCode, 200);
      assert.equal(out.Location, `/${name}`);
      const head = await s3.send(new HeadBucketCommand({ Bucket: name }));
      assert.equal(head.$metadata.httpStatusCode, 200);
      assert.equal(head.BucketRegion, 'us-east-1');
    });

    it('accepts names of 3 and 63 characters, with dots and hyphens', async () => {
      for (const name of ['a1b', `${bucketName('long')}.x-y`.padEnd(63, 'z')]) {
        await s3.send(new CreateBucketCommand({ Bucket: name }));
        await s3.send(new HeadBucketCommand({ Bucket: name }));
      }
    });

    it('refuses invalid names with InvalidBucketName', async () => {
      for (const name of ['ab', 'foo..bar', 'foo-.bar', 'bucket-', '192.168.5.123', 'xn--bucket', 'bucket-s3alias', 'sthree-x', 'a'.repeat(64)]) {
        const err = await rejects(s3.send(new CreateBucketCommand({ Bucket: name })), 400, 'InvalidBucketName');
        assert.equal((err as unknown as { BucketName?: string }).BucketName, name);
      }
    });

    it('answers 200 to its owner re-creating it (us-east-1 legacy behaviour), BucketAlreadyExists to others', async () => {
      const name = bucketName('again');
      await s3.send(new CreateBucketCommand({ Bucket: name }));
      const again = await s3.send(new CreateBucketCommand({ Bucket: name }));
      assert.equal(again.$metadata.httpStatusCode, 200);
      await rejects(other.send(new CreateBucketCommand({ Bucket: name })), 409, 'BucketAlreadyExists');
    });

    it('checks the location constraint against the server region', async () => {
      await rejects(
        s3.send(new CreateBucketCommand({ Bucket: bucketName('loc'), CreateBucketConfiguration: { LocationConstraint: 'us-east-1' as never } })),
        400,
        'InvalidLocationConstraint',
      );
      await rejects(
        s3.send(new CreateBucketCommand({ Bucket: bucketName('loc'), CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } })),
        400,
        'IllegalLocationConstraintException',
      );
    });

    it('accepts and ignores canned ACL and object ownership headers', async () => {
      const name = bucketName('acl');
      await s3.send(new CreateBucketCommand({ Bucket: name, ACL: 'private', ObjectOwnership: 'BucketOwnerEnforced' }));
      await s3.send(new HeadBucketCommand({ Bucket: name }));
    });
  });

  describe('HeadBucket / GetBucketLocation', () => {
    it('answers 404 with no body for a missing bucket', async () => {
      await rejects(s3.send(new HeadBucketCommand({ Bucket: bucketName('missing') })), 404, 'NotFound');
    });

    it("denies another account's bucket", async () => {
      const name = bucketName('mine');
      await s3.send(new CreateBucketCommand({ Bucket: name }));
      const err = await failure(other.send(new HeadBucketCommand({ Bucket: name })));
      assert.equal(err.$metadata.httpStatusCode, 403);
    });

    it('reports us-east-1 as an empty location constraint', async () => {
      const name = bucketName('where');
      await s3.send(new CreateBucketCommand({ Bucket: name }));
      const out = await s3.send(new GetBucketLocationCommand({ Bucket: name }));
      assert.equal(String(out.LocationConstraint ?? ''), '');
      await rejects(s3.send(new GetBucketLocationCommand({ Bucket: bucketName('missing') })), 404, 'NoSuchBucket');
    });
  });

  describe('DeleteBucket', () => {
    it('deletes an empty bucket (204), refuses a non-empty one, answers NoSuchBucket after', async () => {
      const name = bucketName('del');
      await s3.send(new CreateBucketCommand({ Bucket: name }));
      await s3.send(new PutObjectCommand({ Bucket: name, Key: 'k', Body: 'x' }));
      await rejects(s3.send(new DeleteBucketCommand({ Bucket: name })), 409, 'BucketNotEmpty');
      await s3.send(new DeleteObjectCommand({ Bucket: name, Key: 'k' }));
      const out = await s3.send(new DeleteBucketCommand({ Bucket: name }));
      assert.equal(out.$metadata.httpStatusCode, 204);
      await rejects(s3.send(new HeadBucketCommand({ Bucket: name })), 404, 'NotFound');
      await rejects(s3.send(new DeleteBucketCommand({ Bucket: name })), 404, 'NoSuchBucket');
    });

    it('counts delete markers as content', async () => {
      const name = bucketName('delv');
      await s3.send(new CreateBucketCommand({ Bucket: name }));
      await s3.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: 'Enabled' } }));
      const marker = await s3.send(new DeleteObjectCommand({ Bucket: name, Key: 'gone' }));
      await rejects(s3.send(new DeleteBucketCommand({ Bucket: name })), 409, 'BucketNotEmpty');
      await s3.send(new DeleteObjectCommand({ Bucket: name, Key: 'gone', VersionId: marker.VersionId }));
      await s3.send(new DeleteBucketCommand({ Bucket: name }));
    });
  });

  describe('ListBuckets', () => {
    it("lists the caller's buckets only, with the account as Owner", async () => {
      const mine = bucketName('list-mine');
      const theirs = bucketName('list-theirs');
      await s3.send(new CreateBucketCommand({ Bucket: mine }));
      await other.send(new CreateBucketCommand({ Bucket: theirs }));
      const out = await s3.send(new ListBucketsCommand({}));
      const names = (out.Buckets ?? []).map((b) => b.Name);
      assert.ok(names.includes(mine));
      assert.ok(!names.includes(theirs));
      assert.deepEqual(names, [...names].sort());
      const root = server.server.identity.rootAccount;
      assert.deepEqual(out.Owner, { ID: root.canonicalId, DisplayName: root.displayName });
      const bucket = out.Buckets?.find((b) => b.Name === mine);
      assert.ok(bucket?.CreationDate instanceof Date);
      assert.ok(Math.abs((bucket?.CreationDate?.getTime() ?? 0) - Date.now()) < 24 * 3600 * 1000);
      assert.equal(bucket?.BucketRegion, 'us-east-1');
      assert.equal(out.ContinuationToken, undefined);

      const theirList = await other.send(new ListBucketsCommand({}));
      assert.deepEqual(theirList.Buckets?.map((b) => b.Name), [theirs]);
      assert.equal(theirList.Owner?.ID, canonicalIdOf(otherAccount));
    });

    it('pages with max-buckets and continuation tokens, filters by prefix', async () => {
      const prefix = bucketName('pg');
      const names = [`${prefix}-a`, `${prefix}-b`, `${prefix}-c`];
      for (const name of names) await s3.send(new CreateBucketCommand({ Bucket: name }));
      const seen: string[] = [];
      let pages = 0;
      for await (const page of paginateListBuckets({ client: s3, pageSize: 1 }, { Prefix: prefix })) {
        pages += 1;
        assert.equal(page.Prefix, prefix);
        seen.push(...(page.Buckets ?? []).map((b) => b.Name ?? ''));
      }
      assert.deepEqual(seen, names);
      assert.equal(pages, 3);
      const first = await s3.send(new ListBucketsCommand({ MaxBuckets: 2, Prefix: prefix }));
      assert.ok(first.ContinuationToken !== undefined);
      const rest = await s3.send(new ListBucketsCommand({ MaxBuckets: 2, Prefix: prefix, ContinuationToken: first.ContinuationToken }));
      assert.deepEqual(rest.Buckets?.map((b) => b.Name), [names[2]]);
      assert.equal(rest.ContinuationToken, undefined);
      const elsewhere = await s3.send(new ListBucketsCommand({ BucketRegion: 'eu-west-1' }));
      assert.deepEqual(elsewhere.Buckets ?? [], []);
      await rejects(s3.send(new ListBucketsCommand({ ContinuationToken: 'garbage' })), 400, 'InvalidArgument');
      await rejects(s3.send(withQuery(new ListBucketsCommand({}), { 'max-buckets': '0' })), 400, 'InvalidArgument');
    });

    it('denies anonymous requests', async () => {
      const anonymous = new S3Client({
        endpoint: server.endpoint,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
        signer: { sign: (request) => Promise.resolve(request) },
      });
      try {
        await rejects(anonymous.send(new ListBucketsCommand({})), 403, 'AccessDenied');
      } finally {
        anonymous.destroy();
      }
    });
  });

  describe('PutBucketVersioning / GetBucketVersioning', () => {
    const status = async (name: string) => (await s3.send(new GetBucketVersioningCommand({ Bucket: name }))).Status;

    it('is empty until set, then Enabled or Suspended (never back to unversioned)', async () => {
      const name = bucketName('ver');
      await s3.send(new CreateBucketCommand({ Bucket: name }));
      assert.equal(await status(name), undefined);
      for (const next of ['Suspended', 'Enabled', 'Enabled', 'Suspended'] as BucketVersioningStatus[]) {
        await s3.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: next } }));
        assert.equal(await status(name), next);
      }
      await s3.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: 'Enabled', MFADelete: 'Disabled' } }));
      assert.equal(await status(name), 'Enabled');
    });

    it('refuses MFA Delete, unknown states and versioning a missing bucket', async () => {
      const name = bucketName('vbad');
      await s3.send(new CreateBucketCommand({ Bucket: name }));
      await rejects(
        s3.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: 'Enabled', MFADelete: 'Enabled' } })),
        501,
        'NotImplemented',
      );
      await rejects(
        s3.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: 'On' as BucketVersioningStatus } })),
        400,
        'MalformedXML',
      );
      assert.equal(await status(name), undefined);
      await rejects(
        s3.send(new PutBucketVersioningCommand({ Bucket: bucketName('nope'), VersioningConfiguration: { Status: 'Enabled' } })),
        404,
        'NoSuchBucket',
      );
    });
  });
});
