import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { needsTags, requestScope, requestTypeOf, scopeMatches, type ObjectFilter, type RequestScope } from '../../../src/observability/requestScope.js';

const q = (entries: Record<string, string> = {}): ReadonlyMap<string, string> => new Map(Object.entries(entries));

describe('requestScope', () => {
  const cases: [string | undefined, string | undefined, Record<string, string>, RequestScope][] = [
    ['GetObject', 'a/b', {}, { kind: 'object', key: 'a/b' }],
    ['PutObjectTagging', 'k', { tagging: '' }, { kind: 'object', key: 'k' }],
    ['ListObjectsV2', undefined, { 'list-type': '2', prefix: 'logs/' }, { kind: 'listing', prefix: 'logs/' }],
    ['ListObjects', undefined, {}, { kind: 'listing', prefix: '' }],
    ['ListObjectVersions', undefined, { versions: '', prefix: 'p' }, { kind: 'listing', prefix: 'p' }],
    ['DeleteObjects', undefined, { delete: '' }, { kind: 'keyless' }],
    ['PostObject', undefined, {}, { kind: 'keyless' }],
    ['PutBucketTagging', undefined, { tagging: '' }, { kind: 'bucket' }],
    [undefined, undefined, {}, { kind: 'bucket' }],
  ];
  for (const [operation, key, query, expected] of cases) {
    it(`${operation ?? 'unrouted'} ${key ?? ''} → ${expected.kind}`, () => assert.deepEqual(requestScope(operation, key, q(query)), expected));
  }
});

describe('scopeMatches', () => {
  const secret = [{ key: 'class', value: 'secret' }];
  const logsSecret: ObjectFilter = { prefix: 'logs/', tags: secret };
  const onlyPrefix: ObjectFilter = { prefix: 'logs/', tags: [] };
  const onlyTag: ObjectFilter = { tags: secret };
  const accessPoint: ObjectFilter = { tags: [], accessPointArn: 'arn:aws:s3:us-east-1:000000000000:accesspoint/ap' };
  const cases: [string, ObjectFilter | undefined, RequestScope, { key: string; value: string }[], boolean][] = [
    ['no filter: any object', undefined, { kind: 'object', key: 'x' }, [], true],
    ['no filter: bucket requests too', undefined, { kind: 'bucket' }, [], true],
    ['prefix and tag both hold', logsSecret, { kind: 'object', key: 'logs/a' }, secret, true],
    ['prefix holds, tag missing', logsSecret, { kind: 'object', key: 'logs/a' }, [], false],
    ['tag value differs', logsSecret, { kind: 'object', key: 'logs/a' }, [{ key: 'class', value: 'public' }], false],
    ['tag key case matters', onlyTag, { kind: 'object', key: 'a' }, [{ key: 'Class', value: 'secret' }], false],
    ['extra tags do not matter', onlyTag, { kind: 'object', key: 'a' }, [...secret, { key: 'o', value: 'p' }], true],
    ['prefix differs', onlyPrefix, { kind: 'object', key: 'log/a' }, [], false],
    ['listing within the prefix', onlyPrefix, { kind: 'listing', prefix: 'logs/2024/' }, [], true],
    ['listing wider than the prefix', onlyPrefix, { kind: 'listing', prefix: 'lo' }, [], false],
    ['listing under a tag filter', logsSecret, { kind: 'listing', prefix: 'logs/' }, [], false],
    ['keyless under a filter', onlyPrefix, { kind: 'keyless' }, [], false],
    ['bucket request under a filter', onlyPrefix, { kind: 'bucket' }, [], false],
    ['access point filters match nothing', accessPoint, { kind: 'object', key: 'a' }, [], false],
  ];
  for (const [name, filter, scope, tags, expected] of cases) it(name, () => assert.equal(scopeMatches(filter, scope, tags), expected));

  it('needs the tags only for an object under a tag filter', () => {
    assert.equal(needsTags(logsSecret, { kind: 'object', key: 'a' }), true);
    assert.equal(needsTags(onlyPrefix, { kind: 'object', key: 'a' }), false);
    assert.equal(needsTags(logsSecret, { kind: 'listing', prefix: '' }), false);
    assert.equal(needsTags(undefined, { kind: 'object', key: 'a' }), false);
  });
});

describe('requestTypeOf (CloudWatch request metrics)', () => {
  const object: RequestScope = { kind: 'object', key: 'k' };
  const bucket: RequestScope = { kind: 'bucket' };
  const cases: [string, RequestScope, string, string | undefined][] = [
    ['GET', object, 'GetObject', 'Get'],
    ['GET', object, 'GetObjectTagging', 'Get'],
    ['PUT', object, 'PutObject', 'Put'],
    ['PUT', object, 'UploadPart', 'Put'],
    ['DELETE', object, 'DeleteObject', 'Delete'],
    ['HEAD', object, 'HeadObject', 'Head'],
    ['HEAD', bucket, 'HeadBucket', 'Head'],
    ['POST', object, 'CompleteMultipartUpload', 'Post'],
    ['POST', { kind: 'keyless' }, 'DeleteObjects', 'Delete'],
    ['POST', { kind: 'keyless' }, 'PostObject', 'Post'],
    ['GET', { kind: 'listing', prefix: '' }, 'ListObjectsV2', 'List'],
    ['GET', bucket, 'GetBucketTagging', undefined],
    ['PUT', bucket, 'PutBucketPolicy', undefined],
  ];
  for (const [method, scope, operation, expected] of cases) {
    it(`${method} ${operation} → ${expected ?? 'AllRequests only'}`, () => assert.equal(requestTypeOf(method, scope, operation), expected));
  }
});
