import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { arnWithin, isObjectRead, parseS3Arn } from '../../../src/s3/policy/s3Arn.js';

void describe('s3Arn', () => {
  void it('arnWithin: what an ARN names relative to the addressed bucket and key', () => {
    const table: Array<[string, string, string | undefined, ReturnType<typeof arnWithin>]> = [
      ['arn:aws:s3:::photos', 'photos', undefined, 'bucket'],
      ['arn:aws:s3:::photos', 'photos', 'cat.jpg', 'bucket'],
      ['arn:aws:s3:::photos/cat.jpg', 'photos', 'cat.jpg', 'object'],
      ['arn:aws:s3:::photos/a/b/c:d', 'photos', 'a/b/c:d', 'object'],
      ['arn:aws:s3:::photos/', 'photos', '', 'object'],
      ['arn:aws:s3:::photos/dog.jpg', 'photos', 'cat.jpg', 'other-object'],
      ['arn:aws:s3:::photos/xcat.jpg', 'photos', 'cat.jpg', 'other-object'],
      ['arn:aws:s3:::photos/cat.jpgx', 'photos', 'cat.jpg', 'other-object'],
      ['arn:aws:s3:::photos/cat.jpg', 'photos', undefined, 'other-object'],
      ['arn:aws:s3:::photos2/cat.jpg', 'photos', 'cat.jpg', 'elsewhere'],
      ['arn:aws:s3:::photo/cat.jpg', 'photos', 'cat.jpg', 'elsewhere'],
      ['arn:aws:s3:::sources/cat.jpg', 'photos', 'cat.jpg', 'elsewhere'],
      ['arn:aws:s3:::*', 'photos', undefined, 'elsewhere'],
      ['arn:aws:iam::111111111111:user/photos', 'photos', undefined, 'elsewhere'],
      ['xarn:aws:s3:::photos', 'photos', undefined, 'elsewhere'],
      ['arn:aws:s3:::', '', undefined, 'elsewhere'],
    ];
    for (const [arn, bucket, key, want] of table) {
      assert.equal(arnWithin(arn, bucket, key), want, `${arn} in ${bucket} / ${String(key)}`);
      // the same answer as comparing parseS3Arn's parts
      const parts = parseS3Arn(arn);
      const parsed = parts === undefined || parts.bucket !== bucket ? 'elsewhere' : parts.key === undefined ? 'bucket' : parts.key === key ? 'object' : 'other-object';
      assert.equal(parsed, want, `parseS3Arn agrees: ${arn}`);
    }
  });

  void it('isObjectRead: GetObject / GetObjectVersion (any case) by GET or HEAD', () => {
    assert.equal(isObjectRead('s3:GetObject', 'GET'), true);
    assert.equal(isObjectRead('s3:GetObjectVersion', 'HEAD'), true);
    assert.equal(isObjectRead('S3:getobject', 'GET'), true);
    assert.equal(isObjectRead('s3:GetObject', 'PUT'), false);
    assert.equal(isObjectRead('s3:GetObjectTagging', 'GET'), false);
  });
});
