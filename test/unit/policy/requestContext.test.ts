import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Principal } from '../../../src/core/identity/Principal.js';
import { ANONYMOUS } from '../../../src/core/identity/Principal.js';
import { CONDITION_KEYS, ConditionKey, findConditionKey, RequestContext, type PolicyPrincipal } from '../../../src/policy/engine/index.js';
import { keysWithoutResolver } from '../../../src/policy/engine/RequestContext.js';
import { ANON, context, iamUser, OWNER, root, tags } from './helpers.js';

const alice = iamUser(OWNER, 'alice');

function findRef(name: string) {
  const ref = findConditionKey(name);
  assert.ok(ref, name);
  return ref;
}

describe('request context keys', () => {
  it('every supported key can be computed', () => {
    assert.deepEqual(keysWithoutResolver(), []);
  });

  it("each key's ordinal is its position in the catalogue (resolvers are found by it)", () => {
    CONDITION_KEYS.forEach((d, i) => assert.equal(d.ordinal, i, d.name));
  });

  it('every key name is spelled once and unique ignoring case', () => {
    const lower = CONDITION_KEYS.map((d) => d.lower);
    assert.equal(new Set(lower).size, lower.length);
    assert.deepEqual(new Set(CONDITION_KEYS.map((d) => d.name)), new Set(Object.values(ConditionKey)));
  });

  const principalRows = [
    ['IAM user', alice, { 'aws:username': ['alice'], 'aws:userid': ['AIDAALICE'], 'aws:PrincipalArn': [`arn:aws:iam::${OWNER}:user/alice`], 'aws:PrincipalAccount': [OWNER], 'aws:PrincipalType': ['User'] }],
    ['root user', root(OWNER), { 'aws:username': undefined, 'aws:userid': [OWNER], 'aws:PrincipalArn': [`arn:aws:iam::${OWNER}:root`], 'aws:PrincipalAccount': [OWNER], 'aws:PrincipalType': ['Account'] }],
    ['anonymous', ANON, { 'aws:username': undefined, 'aws:userid': ['anonymous'], 'aws:PrincipalArn': undefined, 'aws:PrincipalAccount': undefined, 'aws:PrincipalType': ['Anonymous'] }],
  ] as const;
  for (const [name, principal, expected] of principalRows) {
    it(`principal keys for the ${name}`, () => {
      const ctx = context(principal);
      for (const [key, values] of Object.entries(expected)) assert.deepEqual(ctx.get(key), values, key);
    });
  }

  it('a key is read from the input when looked up, nothing is kept but the list of tag keys', () => {
    const reads: Record<string, number> = {};
    const input = { now: new Date(0), principal: alice };
    const given = { sourceIp: '192.0.2.1', prefix: undefined, requestObjectTags: tags({ a: '1', b: '2' }) } as const;
    for (const [name, value] of Object.entries(given)) {
      Object.defineProperty(input, name, {
        get: () => {
          reads[name] = (reads[name] ?? 0) + 1;
          return value;
        },
      });
    }
    const ctx = new RequestContext(input);
    const keys = ctx.get('s3:RequestObjectTagKeys');
    assert.deepEqual(keys, ['a', 'b']);
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(ctx.get('aws:SourceIp'), ['192.0.2.1']);
      assert.equal(ctx.get('s3:prefix'), undefined);
      assert.equal(ctx.get('s3:RequestObjectTagKeys'), keys, 'the same list, made once');
    }
    assert.deepEqual(reads, { requestObjectTags: 1, sourceIp: 3, prefix: 3 });
    assert.notEqual(new RequestContext(input).get('s3:RequestObjectTagKeys'), keys, 'a new context makes its own');
  });

  it('a single-valued key is looked up as one string, a multivalued one as a list', () => {
    const ctx = context(alice, { sourceIp: '192.0.2.1', requestObjectTags: tags({ a: '1' }) });
    assert.equal(ctx.lookup(findRef('aws:SourceIp')), '192.0.2.1');
    assert.equal(ctx.lookup(findRef('s3:RequestObjectTag/a')), '1');
    assert.deepEqual(ctx.lookup(findRef('s3:RequestObjectTagKeys')), ['a']);
    assert.equal(ctx.lookup(findRef('s3:prefix')), undefined);
  });

  it('time comes from the clock parameter', () => {
    const ctx = context(alice, { now: new Date('2030-01-02T03:04:05.678Z') });
    assert.deepEqual(ctx.get('aws:CurrentTime'), ['2030-01-02T03:04:05Z']);
    assert.deepEqual(ctx.get('aws:EpochTime'), ['1893553445']);
  });

  it('request keys, absent when not given', () => {
    const full = context(alice, {
      sourceIp: '::ffff:203.0.113.9',
      secureTransport: true,
      referer: 'https://example.com/',
      userAgent: 'aws-cli/2',
      resourceAccount: OWNER,
      prefix: 'home/',
      delimiter: '/',
      maxKeys: 50,
      versionId: 'v1',
      acl: 'private',
      copySource: 'src/key',
      metadataDirective: 'REPLACE',
      contentSha256: 'UNSIGNED-PAYLOAD',
      signatureVersion: 'AWS4-HMAC-SHA256',
      authType: 'REST-HEADER',
      requestObjectTags: tags({ Project: 'X', Owner: 'alice' }),
    });
    const expected: Record<string, readonly string[]> = {
      'aws:SourceIp': ['203.0.113.9'],
      'aws:SecureTransport': ['true'],
      'aws:Referer': ['https://example.com/'],
      'aws:UserAgent': ['aws-cli/2'],
      'aws:ResourceAccount': [OWNER],
      's3:ResourceAccount': [OWNER],
      's3:prefix': ['home/'],
      's3:delimiter': ['/'],
      's3:max-keys': ['50'],
      's3:VersionId': ['v1'],
      's3:x-amz-acl': ['private'],
      's3:x-amz-copy-source': ['src/key'],
      's3:x-amz-metadata-directive': ['REPLACE'],
      's3:x-amz-content-sha256': ['UNSIGNED-PAYLOAD'],
      's3:signatureversion': ['AWS4-HMAC-SHA256'],
      's3:authType': ['REST-HEADER'],
      's3:RequestObjectTagKeys': ['Project', 'Owner'],
      's3:RequestObjectTag/Project': ['X'],
    };
    const empty = context(alice);
    for (const [key, values] of Object.entries(expected)) {
      assert.deepEqual(full.get(key), values, key);
      assert.equal(empty.get(key), undefined, `${key} absent`);
    }
    assert.equal(full.get('s3:RequestObjectTag/project'), undefined, 'tag keys are case-sensitive');
    assert.deepEqual(full.get('S3:REQUESTOBJECTTAG/Project'), ['X'], 'the key prefix is not');
    assert.deepEqual(context(alice, { requestObjectTags: [] }).get('s3:RequestObjectTagKeys'), []);
  });

  it('recognised but unsupported keys are always absent', () => {
    const ctx = context(alice, { sourceIp: '10.0.0.1' });
    assert.equal(ctx.get('aws:SourceVpce'), undefined);
    assert.equal(ctx.get('aws:PrincipalTag/team'), undefined);
    assert.equal(ctx.get('s3:x-amz-server-side-encryption'), undefined);
  });

  it('findConditionKey resolves tag-style keys and rejects a bare prefix', () => {
    assert.equal(findConditionKey('s3:ExistingObjectTag/a/b')?.tagKey, 'a/b');
    assert.equal(findConditionKey('s3:ExistingObjectTag/'), undefined);
    assert.equal(findConditionKey('s3:nope'), undefined);
  });

  it("core's Principal is accepted as the request principal", () => {
    const user: Principal = { kind: 'user', canonicalId: 'c'.repeat(64), displayName: 'owner', isRoot: true, accountId: OWNER, arn: `arn:aws:iam::${OWNER}:root`, accessKeyId: 'AKIA' };
    const asPolicy: PolicyPrincipal = user;
    const anonymous: PolicyPrincipal = ANONYMOUS;
    assert.deepEqual(new RequestContext({ now: new Date(0), principal: asPolicy }).get('aws:PrincipalType'), ['Account']);
    assert.deepEqual(new RequestContext({ now: new Date(0), principal: anonymous }).get('aws:PrincipalType'), ['Anonymous']);
  });
});
