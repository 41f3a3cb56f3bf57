import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Bucket } from '../../../src/core/buckets/Bucket.js';
import type { S3Request } from '../../../src/http/S3Request.js';
import type { OperationContext } from '../../../src/s3/operations/Operation.js';
import { CopyObject } from '../../../src/s3/operations/object/CopyObject.js';
import { DeleteObject } from '../../../src/s3/operations/object/DeleteObject.js';
import { GetObject } from '../../../src/s3/operations/object/GetObject.js';
import { PutObject } from '../../../src/s3/operations/object/PutObject.js';

const bucket: Bucket = { name: 'b', ownerAccountId: '000000000000', region: 'us-east-1', createdAt: new Date(0), versioning: 'Enabled' };

function request(query: Record<string, string>, headers: Record<string, string> = {}, key = 'k'): S3Request {
  return { method: 'GET', query: new Map(Object.entries(query)), headers, bucket: 'b', key } as unknown as S3Request;
}

/** A context whose storage must not be reached: parameter errors come first. */
function ctx(req: S3Request, anonymous = false): OperationContext {
  const untouchable = new Proxy(
    {},
    {
      get() {
        throw new Error('storage was reached');
      },
    },
  );
  return {
    request: req,
    principal: anonymous ? { kind: 'anonymous' } : { kind: 'user', accountId: '000000000000' },
    bucket,
    services: { deps: { metadata: untouchable, blobs: untouchable }, objects: untouchable },
    now: new Date(),
  } as unknown as OperationContext;
}

describe('GetObject parameter checks (before any storage access)', () => {
  it('response-* overrides are refused for anonymous requests', async () => {
    await assert.rejects(GetObject.handle(ctx(request({ 'response-content-type': 'a/b' }), true)), {
      code: 'InvalidRequest',
      message: 'Request specific response headers cannot be used for anonymous GET requests.',
    });
  });
  it('Range with partNumber is InvalidRequest', async () => {
    await assert.rejects(GetObject.handle(ctx(request({ partNumber: '1' }, { range: 'bytes=0-1' }))), {
      code: 'InvalidRequest',
      message: 'Cannot specify both Range header and partNumber query parameter',
    });
  });
  it('bad partNumber and version ids are InvalidArgument', async () => {
    for (const partNumber of ['0', '10001', 'x', '1.5', '']) {
      await assert.rejects(GetObject.handle(ctx(request({ partNumber }))), { code: 'InvalidArgument' }, partNumber);
    }
    await assert.rejects(GetObject.handle(ctx(request({ versionId: 'nope' }))), { code: 'InvalidArgument', message: 'Invalid version id specified' });
    await assert.rejects(GetObject.handle(ctx(request({ versionId: '' }))), { code: 'InvalidArgument', message: 'Version id cannot be the empty string' });
  });
  it('a key over 1024 bytes is KeyTooLongError', async () => {
    await assert.rejects(GetObject.handle(ctx(request({}, {}, 'x'.repeat(1025)))), { code: 'KeyTooLongError' });
  });
});

describe('IAM actions', () => {
  const arn = 'arn:aws:s3:::b/k';
  it('GetObject / GetObjectVersion', () => {
    assert.deepEqual(GetObject.actions(request({})), [{ action: 's3:GetObject', resource: arn }]);
    assert.deepEqual(GetObject.actions(request({ versionId: 'v' })), [{ action: 's3:GetObjectVersion', resource: arn }]);
  });
  it('DeleteObject / DeleteObjectVersion', () => {
    assert.deepEqual(DeleteObject.actions(request({})), [{ action: 's3:DeleteObject', resource: arn }]);
    assert.deepEqual(DeleteObject.actions(request({ versionId: 'v' })), [{ action: 's3:DeleteObjectVersion', resource: arn }]);
  });
  it('PutObject adds PutObjectTagging for x-amz-tagging', () => {
    assert.deepEqual(PutObject.actions(request({})), [{ action: 's3:PutObject', resource: arn }]);
    assert.deepEqual(PutObject.actions(request({}, { 'x-amz-tagging': 'a=1' })), [
      { action: 's3:PutObject', resource: arn },
      { action: 's3:PutObjectTagging', resource: arn },
    ]);
  });
  it('CopyObject: source read, target write, tagging by directive', () => {
    const src = 'arn:aws:s3:::src/dir/x';
    assert.deepEqual(CopyObject.actions(request({}, { 'x-amz-copy-source': '/src/dir/x' })), [
      { action: 's3:PutObject', resource: arn },
      { action: 's3:GetObject', resource: src },
      // needed only when the source version actually has tags (checked by the authorizer)
      { action: 's3:GetObjectTagging', resource: src, onlyIfTagged: { bucket: 'src', key: 'dir/x' } },
    ]);
    const vid = 'AbCdEfGhIjKlMnOpQrStUvWxYz012345';
    assert.deepEqual(
      CopyObject.actions(request({}, { 'x-amz-copy-source': `src/dir/x?versionId=${vid}`, 'x-amz-tagging-directive': 'REPLACE', 'x-amz-tagging': 'a=1' })),
      [
        { action: 's3:PutObject', resource: arn },
        { action: 's3:GetObjectVersion', resource: src },
        { action: 's3:PutObjectTagging', resource: arn },
      ],
    );
  });
});
