import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Bucket } from '../../../src/core/buckets/Bucket.js';
import { canonicalIdOf } from '../../../src/core/identity/canonicalId.js';
import { ANONYMOUS, type Principal, type UserPrincipal } from '../../../src/core/identity/Principal.js';
import type { MetadataStore } from '../../../src/core/ports/MetadataStore.js';
import type { Tag } from '../../../src/core/tags/Tag.js';
import { isS3Error } from '../../../src/errors/S3Error.js';
import type { S3Request } from '../../../src/http/S3Request.js';
import { RequestTrace } from '../../../src/http/RequestTrace.js';
import type { MetadataBackend } from '../../../src/storage/MetadataBackend.js';
import type { ActionRequest, Authorizer } from '../../../src/s3/policy/Authorizer.js';
import { createAuthorizer } from '../../../src/s3/policy/createS3Authorizer.js';
import { openSqliteBackend } from '../../../src/storage/metadata/sqlite/openSqliteBackend.js';
import { newVersion } from '../../storage/metadataContract.js';
import { deleteMarker } from '../../storage/metadata/contractKit.js';

/**
 * The S3 authorizer decides most requests from what the read caches hold, without a promise in between
 * (decideInMemory), and hands everything else to its full path. The two must never disagree: every case below is
 * decided by an authorizer whose store offers its caches (MemoryReads) and by one whose store does not, over the same
 * data and the same warm caches, and the answers must be the same. The in-memory path must also really answer the
 * common cases by itself: no store read at all.
 */
const OWNER = '111111111111';
const OTHER = '222222222222';
const NOW = new Date('2024-06-01T00:00:00Z');

function root(accountId: string): UserPrincipal {
  return { kind: 'user', accountId, canonicalId: canonicalIdOf(accountId), displayName: accountId, arn: `arn:aws:iam::${accountId}:root`, isRoot: true, accessKeyId: `AK${accountId}` };
}
function user(accountId: string, name: string): UserPrincipal {
  return { ...root(accountId), arn: `arn:aws:iam::${accountId}:user/${name}`, userName: name, isRoot: false };
}

const alice = user(OWNER, 'alice');
const bob = user(OTHER, 'bob');
const carol = user(OWNER, 'carol');
const PRINCIPALS: ReadonlyArray<[string, Principal]> = [
  ['owner root', root(OWNER)],
  ['alice (same account)', alice],
  ['carol (same account)', carol],
  ['bob (other account)', bob],
  ['other root', root(OTHER)],
  ['anonymous', ANONYMOUS],
];

const photos: Bucket = { name: 'photos', ownerAccountId: OWNER, region: 'us-east-1', createdAt: new Date(0), versioning: 'Enabled' };
const B = 'arn:aws:s3:::photos';

function doc(...statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}
const tagIs = (key: string, value: string): object => ({ StringEquals: { [`s3:ExistingObjectTag/${key}`]: value } });

/** Identity policies by user ARN and bucket policy, per setting. */
interface Setting {
  readonly name: string;
  readonly identity: Readonly<Record<string, readonly string[]>>;
  readonly bucketPolicy: string | undefined;
}

const SETTINGS: readonly Setting[] = [
  { name: 'no policies', identity: {}, bucketPolicy: undefined },
  {
    name: 'identity policies with tag conditions',
    identity: {
      [alice.arn]: [
        doc(
          { Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: `${B}/*`, Condition: tagIs('security', 'public') },
          { Effect: 'Allow', Action: ['s3:PutObjectTagging', 's3:PutObject'], Resource: `${B}/*` },
          { Effect: 'Deny', Action: ['s3:PutObjectTagging', 's3:PutObject'], Resource: `${B}/*`, Condition: { StringEquals: { 's3:RequestObjectTag/security': 'private' } } },
          { Effect: 'Deny', Action: 's3:PutObjectTagging', Resource: `${B}/*`, Condition: tagIs('locked', 'yes') },
        ),
      ],
      [bob.arn]: [doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' })],
      // reads without s3:ListBucket: a missing object or a delete marker is 403, not 404
      [carol.arn]: [doc({ Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: `${B}/*` })],
    },
    bucketPolicy: undefined,
  },
  {
    name: 'a bucket policy for other accounts and anonymous, with a Deny',
    identity: { [alice.arn]: [doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' })], [bob.arn]: [doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' })] },
    bucketPolicy: doc(
      { Effect: 'Allow', Principal: { AWS: OTHER }, Action: ['s3:GetObject', 's3:ListBucket'], Resource: [B, `${B}/*`] },
      { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${B}/*`, Condition: tagIs('security', 'public') },
      { Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: `${B}/*`, Condition: tagIs('security', 'private') },
      { Effect: 'Deny', Principal: '*', Action: ['s3:PutBucketPolicy', 's3:GetBucketPolicy'], Resource: B },
    ),
  },
  {
    name: 'a condition on bucket tags (loaded lazily: never from memory)',
    identity: { [alice.arn]: [doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: `${B}/*`, Condition: { StringEquals: { 'aws:ResourceTag/team': 'red' } } })] },
    bucketPolicy: undefined,
  },
];

interface Case {
  readonly name: string;
  readonly method: string;
  readonly key: string | undefined;
  readonly query?: Readonly<Record<string, string>>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly actions: readonly ActionRequest[];
  readonly tags?: readonly Tag[];
}

const get = (key: string, query: Record<string, string> = {}): Case => ({
  name: `GET ${key}${query.versionId === undefined ? '' : ' (version)'}`,
  method: 'GET',
  key,
  query,
  actions: [{ action: query.versionId === undefined ? 's3:GetObject' : 's3:GetObjectVersion', resource: `${B}/${key}` }],
});

let versionOfGone = '';
const CASES = (): readonly Case[] => [
  get('public.jpg'),
  get('private.jpg'),
  get('untagged.jpg'),
  get('missing.jpg'),
  get('gone.jpg'),
  get('gone.jpg', { versionId: versionOfGone }),
  get('public.jpg', { versionId: 'no-such-version' }),
  { ...get('public.jpg'), name: 'HEAD public.jpg', method: 'HEAD' },
  { name: 'PutObjectTagging public', method: 'PUT', key: 'public.jpg', query: { tagging: '' }, actions: [{ action: 's3:PutObjectTagging', resource: `${B}/public.jpg` }], tags: [{ key: 'security', value: 'public' }] },
  { name: 'PutObjectTagging private', method: 'PUT', key: 'public.jpg', query: { tagging: '' }, actions: [{ action: 's3:PutObjectTagging', resource: `${B}/public.jpg` }], tags: [{ key: 'security', value: 'private' }] },
  { name: 'PutObjectTagging on a locked object', method: 'PUT', key: 'locked.jpg', query: { tagging: '' }, actions: [{ action: 's3:PutObjectTagging', resource: `${B}/locked.jpg` }], tags: [] },
  { name: 'PutObject with x-amz-tagging', method: 'PUT', key: 'new.jpg', headers: { 'x-amz-tagging': 'security=private' }, actions: [{ action: 's3:PutObject', resource: `${B}/new.jpg` }, { action: 's3:PutObjectTagging', resource: `${B}/new.jpg` }] },
  { name: 'ListObjects', method: 'GET', key: undefined, query: { prefix: 'p' }, actions: [{ action: 's3:ListBucket', resource: B }] },
  { name: 'GetBucketPolicy', method: 'GET', key: undefined, query: { policy: '' }, actions: [{ action: 's3:GetBucketPolicy', resource: B }] },
  { name: 'CopyObject from another bucket', method: 'PUT', key: 'copy.jpg', headers: { 'x-amz-copy-source': '/sources/src.jpg' }, actions: [{ action: 's3:GetObject', resource: 'arn:aws:s3:::sources/src.jpg' }, { action: 's3:PutObject', resource: `${B}/copy.jpg` }] },
  { name: 'ListAllMyBuckets', method: 'GET', key: undefined, actions: [{ action: 's3:ListAllMyBuckets', resource: 'arn:aws:s3:::*' }] },
];

function requestOf(c: Case): S3Request {
  return {
    id: 'r', method: c.method, rawPath: '/', rawQuery: '', query: new Map(Object.entries(c.query ?? {})), headers: { ...(c.headers ?? {}) }, bucket: 'photos',
    ...(c.key === undefined ? {} : { key: c.key }), addressing: 'path', remoteAddress: '127.0.0.1', secure: false, trace: new RequestTrace('s3'),
  } as unknown as S3Request;
}

void describe('S3 authorizer: the in-memory path decides exactly as the full path', () => {
  let dir: string;
  let backend: MetadataBackend;
  let setting: Setting = SETTINGS[0] as Setting;
  /** The same list object for the same setting and user, as IdentityPolicies hands out. */
  const frozen = new Map<string, readonly string[]>();
  const policiesOf = (p: UserPrincipal): readonly string[] => {
    const id = `${setting.name}\u0000${p.arn}`;
    let list = frozen.get(id);
    if (list === undefined) {
      list = Object.freeze([...(setting.identity[p.arn] ?? [])]);
      frozen.set(id, list);
    }
    return list;
  };
  let storeReads = 0;
  let fromMemory: Authorizer;
  let fullPath: Authorizer;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-authz-memory-'));
    backend = await openSqliteBackend(dir);
    const store = backend.metadata;
    await store.createBucket(photos);
    await store.createBucket({ ...photos, name: 'sources', versioning: 'Unversioned' });
    const put = (key: string, tags: Tag[]): Promise<unknown> => store.putVersion(newVersion('photos', key, { ownerAccountId: OWNER, tags }), { replaceNull: false });
    await put('public.jpg', [{ key: 'security', value: 'public' }]);
    await put('private.jpg', [{ key: 'security', value: 'private' }]);
    await put('untagged.jpg', []);
    await put('locked.jpg', [{ key: 'locked', value: 'yes' }]);
    versionOfGone = (await store.putVersion(newVersion('photos', 'gone.jpg', { ownerAccountId: OWNER, tags: [{ key: 'security', value: 'public' }] }), { replaceNull: false })).versionId;
    await store.putVersion(deleteMarker('photos', 'gone.jpg'), { replaceNull: false });
    await store.putVersion(newVersion('sources', 'src.jpg', { ownerAccountId: OWNER }), { replaceNull: true });
    await store.setBucketTags('photos', [{ key: 'team', value: 'red' }]);
    assert.ok(store.memory !== undefined, 'the SQLite backend offers its read caches as MemoryReads');
    // every asynchronous read counted: the in-memory path makes none
    const counted: MetadataStore = { ...store };
    const methods = counted as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    for (const name of ['getBucket', 'getBucketAccess', 'getBucketTags', 'getObjectAcl', 'getTags', 'getTagsOnly', 'getVersion']) {
      const original = methods[name] as (...args: unknown[]) => Promise<unknown>;
      methods[name] = (...args: unknown[]) => {
        storeReads += 1;
        return original(...args);
      };
    }
    const source = { policiesOf: (p: UserPrincipal) => Promise.resolve(policiesOf(p)), policiesInMemory: policiesOf };
    fromMemory = createAuthorizer({ metadata: counted }, source);
    fullPath = createAuthorizer({ metadata: { ...counted, memory: undefined } }, source);
  });
  after(async () => {
    await backend.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function decide(authorizer: Authorizer, principal: Principal, c: Case): Promise<string> {
    try {
      await authorizer.authorize({ principal, actions: c.actions, bucket: photos, request: requestOf(c), now: NOW, ...(c.tags === undefined ? {} : { facts: { requestObjectTags: c.tags } }) });
      return 'allowed';
    } catch (err) {
      if (isS3Error(err)) return err.code;
      throw err;
    }
  }

  void it('every setting × principal × request: the same answer, and the common ones without a store read', async () => {
    let decided = 0;
    let answeredFromMemory = 0;
    const memoryAnswers = new Set<string>();
    for (const s of SETTINGS) {
      setting = s;
      await backend.metadata.setBucketPolicy('photos', s.bucketPolicy);
      for (const [who, principal] of PRINCIPALS) {
        for (const c of CASES()) {
          const label = `${s.name} / ${who} / ${c.name}`;
          // the full path first: it warms the caches both authorizers share
          const expected = await decide(fullPath, principal, c);
          storeReads = 0;
          const got = await decide(fromMemory, principal, c);
          assert.equal(got, expected, label);
          decided += 1;
          if (storeReads === 0) {
            answeredFromMemory += 1;
            memoryAnswers.add(label);
          }
        }
      }
    }
    assert.ok(decided > 300, `${decided} cases`);
    // the cases this path exists for are answered from memory
    for (const label of [
      'identity policies with tag conditions / alice (same account) / GET public.jpg',
      'identity policies with tag conditions / alice (same account) / PutObjectTagging public',
      'identity policies with tag conditions / alice (same account) / PutObjectTagging private',
      'a bucket policy for other accounts and anonymous, with a Deny / anonymous / GET public.jpg',
      'a bucket policy for other accounts and anonymous, with a Deny / bob (other account) / GET private.jpg',
      'no policies / owner root / GET public.jpg',
      'identity policies with tag conditions / carol (same account) / GET gone.jpg (version)',
      // policies without tag conditions: the full path read only the version, which is enough
      'identity policies with tag conditions / carol (same account) / GET public.jpg',
      'identity policies with tag conditions / carol (same account) / GET untagged.jpg',
    ]) {
      assert.ok(memoryAnswers.has(label), `answered from memory: ${label}`);
    }
    // and what it must leave to the full path is not
    for (const label of [
      'a condition on bucket tags (loaded lazily: never from memory) / alice (same account) / GET public.jpg',
      'identity policies with tag conditions / alice (same account) / GET missing.jpg',
      'identity policies with tag conditions / alice (same account) / GET gone.jpg',
      'identity policies with tag conditions / carol (same account) / GET missing.jpg',
      'identity policies with tag conditions / carol (same account) / GET gone.jpg',
    ]) {
      assert.ok(!memoryAnswers.has(label), `left to the full path: ${label}`);
    }
    assert.ok(answeredFromMemory > decided / 4, `${answeredFromMemory} of ${decided} answered from memory`);
  });

  void it('only the version remembered: decided from memory unless a condition reads tags the version has', async () => {
    setting = SETTINGS[1] as Setting;
    await backend.metadata.setBucketPolicy('photos', undefined);
    const store = backend.metadata;
    const put = (key: string, tags: Tag[]): Promise<unknown> => store.putVersion(newVersion('photos', key, { ownerAccountId: OWNER, tags }), { replaceNull: false });
    await put('fresh-public.jpg', [{ key: 'security', value: 'public' }]);
    await put('fresh-untagged.jpg', []);
    await store.getBucketAccess('photos', photos);
    for (const key of ['fresh-public.jpg', 'fresh-untagged.jpg']) {
      // what a GET handler leaves in the caches: the version, not its tags
      await store.getVersion('photos', key);
      assert.equal(store.memory?.versionTags('photos', key, undefined), null, `${key}: tags not remembered`);
      assert.notEqual(store.memory?.version('photos', key, undefined), null, `${key}: version remembered`);
    }
    const cases: ReadonlyArray<[string, UserPrincipal, string, string, boolean]> = [
      // [what, who, key, expected, from memory]
      ['no tag condition, tagged version', carol, 'fresh-public.jpg', 'allowed', true],
      ['no tag condition, untagged version', carol, 'fresh-untagged.jpg', 'allowed', true],
      // alice's Allow reads security=public: an untagged version cannot match it, a tagged one needs its tags read
      ['tag condition, untagged version (tag count 0)', alice, 'fresh-untagged.jpg', 'AccessDenied', false],
      ['tag condition, tagged version', alice, 'fresh-public.jpg', 'allowed', false],
    ];
    for (const [what, who, key, expected, memoryOnly] of cases) {
      storeReads = 0;
      assert.equal(await decide(fromMemory, who, get(key)), expected, what);
      assert.equal(storeReads === 0, memoryOnly, `${what}: ${storeReads} store reads`);
    }
  });
});
