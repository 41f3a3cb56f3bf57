import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { S3Request } from '../../../src/http/S3Request.js';
import type { ActionConditions } from '../../../src/policy/authorizeIdentity.js';
import type { AuthorizationFacts } from '../../../src/s3/policy/Authorizer.js';
import { s3ConditionsOf } from '../../../src/s3/policy/requestContext.js';

/** S3's condition keys of one request (read lazily from the request), key by key. */
function request(query: Record<string, string>, headers: Record<string, string>): S3Request {
  return { id: 'r', method: 'GET', rawPath: '/', rawQuery: '', query: new Map(Object.entries(query)), headers, bucket: 'b', key: 'k' } as unknown as S3Request;
}

function keysOf(req: S3Request, facts?: AuthorizationFacts, prefix?: string): Record<string, unknown> {
  const c: ActionConditions = s3ConditionsOf({ request: req, facts, resourceAccount: '111122223333', existingObjectTags: undefined, bucketTags: undefined, prefix });
  return {
    resourceAccount: c.resourceAccount,
    prefix: c.prefix,
    delimiter: c.delimiter,
    maxKeys: c.maxKeys,
    versionId: c.versionId,
    acl: c.acl,
    copySource: c.copySource,
    metadataDirective: c.metadataDirective,
    contentSha256: c.contentSha256,
    signatureVersion: c.signatureVersion,
    authType: c.authType,
    requestObjectTags: c.requestObjectTags,
  };
}

const NONE = {
  resourceAccount: '111122223333', prefix: undefined, delimiter: undefined, maxKeys: undefined, versionId: undefined, acl: undefined, copySource: undefined,
  metadataDirective: undefined, contentSha256: undefined, signatureVersion: undefined, authType: undefined, requestObjectTags: undefined,
};

describe('s3ConditionsOf: the keys as the request carries them', () => {
  const rows: ReadonlyArray<readonly [string, S3Request, AuthorizationFacts | undefined, string | undefined, Record<string, unknown>]> = [
    ['an unsigned request with nothing', request({}, {}), undefined, undefined, NONE],
    [
      'a header-signed listing',
      request({ prefix: 'data/', delimiter: '/', 'max-keys': '10' }, { authorization: 'AWS4-HMAC-SHA256 Credential=x', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }),
      undefined,
      undefined,
      { ...NONE, prefix: 'data/', delimiter: '/', maxKeys: '10', contentSha256: 'UNSIGNED-PAYLOAD', signatureVersion: 'AWS4-HMAC-SHA256', authType: 'REST-HEADER' },
    ],
    ['the missing-object check’s prefix wins over the query’s', request({ prefix: 'x' }, {}), undefined, 'data/k', { ...NONE, prefix: 'data/k' }],
    ['a presigned read of a version', request({ versionId: 'v1', 'X-Amz-Signature': 'abc' }, {}), undefined, undefined, { ...NONE, versionId: 'v1', signatureVersion: 'AWS4-HMAC-SHA256', authType: 'REST-QUERY-STRING' }],
    ['a SigV2 presigned read', request({ Signature: 'abc' }, {}), undefined, undefined, { ...NONE, signatureVersion: 'AWS', authType: 'REST-QUERY-STRING' }],
    [
      'a copy with a canned ACL and tags in headers',
      request({}, { 'x-amz-copy-source': '/src/a%20b.txt?versionId=3', 'x-amz-acl': 'private', 'x-amz-metadata-directive': 'REPLACE', 'x-amz-tagging': 'a=1&b=2' }),
      undefined,
      undefined,
      { ...NONE, copySource: 'src/a b.txt', acl: 'private', metadataDirective: 'REPLACE', requestObjectTags: [{ key: 'a', value: '1' }, { key: 'b', value: '2' }] },
    ],
    ['an x-amz-tagging that does not parse gives no tags', request({}, { 'x-amz-tagging': 'a=1&a=2' }), undefined, undefined, NONE],
    [
      'the body’s facts win over the headers (PutObjectTagging, PostObject)',
      request({}, { 'x-amz-tagging': 'a=1', 'x-amz-acl': 'private' }),
      { requestObjectTags: [{ key: 'k', value: 'v' }], acl: 'public-read', authType: 'POST' },
      undefined,
      { ...NONE, acl: 'public-read', authType: 'POST', requestObjectTags: [{ key: 'k', value: 'v' }] },
    ],
  ];
  for (const [name, req, facts, prefix, expected] of rows) {
    it(name, () => assert.deepEqual(keysOf(req, facts, prefix), expected));
  }

  it('reads x-amz-tagging once, however often the tags are asked for', () => {
    const headers: Record<string, string> = { 'x-amz-tagging': 'a=1' };
    let reads = 0;
    const counted = new Proxy(headers, {
      get(target, name) {
        if (name === 'x-amz-tagging') reads++;
        return Reflect.get(target, name) as unknown;
      },
    });
    const c = s3ConditionsOf({ request: request({}, counted), facts: undefined, resourceAccount: undefined, existingObjectTags: undefined, bucketTags: undefined });
    assert.equal(reads, 0);
    assert.deepEqual(c.requestObjectTags, [{ key: 'a', value: '1' }]);
    assert.equal(c.requestObjectTags, c.requestObjectTags);
    assert.equal(reads, 1);
  });
});
