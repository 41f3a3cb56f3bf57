import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ALL_USERS_URI } from '../../../src/core/access/AccessControlList.js';
import type { Bucket } from '../../../src/core/buckets/Bucket.js';
import { canonicalIdOf } from '../../../src/core/identity/canonicalId.js';
import { ANONYMOUS, type Principal, type UserPrincipal } from '../../../src/core/identity/Principal.js';
import { NULL_VERSION_ID } from '../../../src/core/objects/ObjectVersion.js';
import type { S3Request } from '../../../src/http/S3Request.js';
import { isS3Error } from '../../../src/errors/S3Error.js';
import type { ActionRequest } from '../../../src/s3/operations/Operation.js';
import type { Authorizer } from '../../../src/s3/policy/Authorizer.js';
import { createAuthorizer } from '../../../src/s3/policy/createS3Authorizer.js';
import { SqliteMetadataStore } from '../../../src/storage/metadata/sqlite/SqliteMetadataStore.js';
import { newVersion } from '../../storage/metadataContract.js';
import { deleteMarker } from '../../storage/metadata/contractKit.js';
import { RequestTrace } from '../../../src/http/RequestTrace.js';

/**
 * The S3 authorizer's precedence table (docs/access-control.md) over a real metadata store and a fake identity
 * policy source: same account, across accounts, anonymous, explicit Deny, the owner never locked out, ACLs.
 */
const OWNER = '111111111111';
const OTHER = '222222222222';

function root(accountId: string): UserPrincipal {
  return { kind: 'user', accountId, canonicalId: canonicalIdOf(accountId), displayName: accountId, arn: `arn:aws:iam::${accountId}:root`, isRoot: true, accessKeyId: `AK${accountId}` };
}
function user(accountId: string, name: string): UserPrincipal {
  return { ...root(accountId), arn: `arn:aws:iam::${accountId}:user/${name}`, userName: name, isRoot: false };
}

const identity = new Map<string, string[]>();
const identitySource = { policiesOf: (p: UserPrincipal): Promise<readonly string[]> => Promise.resolve(identity.get(p.arn) ?? []) };

let dir: string;
let store: SqliteMetadataStore;
let authorizer: Authorizer;
let tagReads = 0;
let versionReads = 0;
const bucket: Bucket = { name: 'photos', ownerAccountId: OWNER, region: 'us-east-1', createdAt: new Date(0), versioning: 'Unversioned' };
const source: Bucket = { ...bucket, name: 'sources' };

function request(method: string, key: string | undefined, query: Record<string, string> = {}, headers: Record<string, string> = {}): S3Request {
  return {
    id: 'r', method, rawPath: '/', rawQuery: '', query: new Map(Object.entries(query)), headers, bucket: 'photos',
    ...(key === undefined ? {} : { key }), addressing: 'path', remoteAddress: '127.0.0.1', secure: false, trace: new RequestTrace('s3'),
  } as unknown as S3Request;
}

async function allowed(principal: Principal, actions: ActionRequest[], req: S3Request = request('GET', 'cat.jpg')): Promise<boolean> {
  try {
    await authorizer.authorize({ principal, actions, bucket, request: req, now: new Date('2024-06-01T00:00:00Z') });
    return true;
  } catch (err) {
    assert.ok(isS3Error(err) && err.code === 'AccessDenied', `unexpected ${String(err)}`);
    return false;
  }
}

const getObject = [{ action: 's3:GetObject', resource: 'arn:aws:s3:::photos/cat.jpg' }];
const listBucket = [{ action: 's3:ListBucket', resource: 'arn:aws:s3:::photos' }];

function policy(...statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}
const allowGet = (principal: unknown): object => ({ Effect: 'Allow', Principal: principal, Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/*' });
const identityAllowGet = policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' });

async function setPolicy(text: string | undefined): Promise<void> {
  await store.setBucketPolicy('photos', text);
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-authz-'));
  store = await SqliteMetadataStore.open({ dataDir: dir });
  await store.createBucket(bucket);
  await store.createBucket(source);
  await store.putVersion(newVersion('photos', 'cat.jpg', { versionId: NULL_VERSION_ID, ownerAccountId: OWNER, tags: [{ key: 'security', value: 'public' }] }), { replaceNull: true });
  await store.putVersion(newVersion('sources', 'src.jpg', { versionId: NULL_VERSION_ID, ownerAccountId: OWNER }), { replaceNull: true });
  const counting = Object.create(store) as SqliteMetadataStore;
  counting.getTags = async (...args: Parameters<SqliteMetadataStore['getTags']>) => {
    tagReads += 1;
    return store.getTags(...args);
  };
  counting.getTagsOnly = async (...args: Parameters<SqliteMetadataStore['getTagsOnly']>) => {
    tagReads += 1;
    return store.getTagsOnly(...args);
  };
  counting.getVersion = async (...args: Parameters<SqliteMetadataStore['getVersion']>) => {
    versionReads += 1;
    return store.getVersion(...args);
  };
  authorizer = createAuthorizer({ metadata: counting }, identitySource);
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

void describe('S3 authorizer', () => {
  void it('the owner root user is allowed; an explicit Deny binds it, except for managing the bucket policy', async () => {
    await setPolicy(undefined);
    assert.equal(await allowed(root(OWNER), getObject), true);
    await setPolicy(policy({ Effect: 'Deny', Principal: '*', Action: ['s3:GetObject', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy', 's3:GetBucketPolicy'], Resource: ['arn:aws:s3:::photos', 'arn:aws:s3:::photos/*'] }));
    assert.equal(await allowed(root(OWNER), getObject), false);
    for (const action of ['s3:PutBucketPolicy', 's3:GetBucketPolicy', 's3:DeleteBucketPolicy']) {
      assert.equal(await allowed(root(OWNER), [{ action, resource: 'arn:aws:s3:::photos' }], request('PUT', undefined, { policy: '' })), true, action);
    }
    assert.equal(await allowed(user(OWNER, 'admin'), [{ action: 's3:PutBucketPolicy', resource: 'arn:aws:s3:::photos' }]), false);
  });

  void it('same account: identity policy OR bucket policy naming the user; naming only the account delegates', async () => {
    await setPolicy(undefined);
    identity.clear();
    const alice = user(OWNER, 'alice');
    assert.equal(await allowed(alice, getObject), false);
    identity.set(alice.arn, [identityAllowGet]);
    assert.equal(await allowed(alice, getObject), true);
    identity.clear();
    await setPolicy(policy(allowGet({ AWS: alice.arn })));
    assert.equal(await allowed(alice, getObject), true);
    await setPolicy(policy(allowGet({ AWS: OWNER })));
    assert.equal(await allowed(alice, getObject), false);
    identity.set(alice.arn, [identityAllowGet]);
    await setPolicy(policy(allowGet('*'), { Effect: 'Deny', Principal: { AWS: alice.arn }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/*' }));
    assert.equal(await allowed(alice, getObject), false);
    identity.set(alice.arn, [identityAllowGet, policy({ Effect: 'Deny', Action: 's3:*', Resource: '*' })]);
    await setPolicy(policy(allowGet({ AWS: alice.arn })));
    assert.equal(await allowed(alice, getObject), false);
    identity.clear();
  });

  void it('across accounts: the bucket policy AND the identity side (a root user\'s always allows)', async () => {
    identity.clear();
    const bob = user(OTHER, 'bob');
    await setPolicy(undefined);
    assert.equal(await allowed(root(OTHER), getObject), false);
    await setPolicy(policy(allowGet({ AWS: OTHER })));
    assert.equal(await allowed(root(OTHER), getObject), true);
    assert.equal(await allowed(bob, getObject), false);
    identity.set(bob.arn, [identityAllowGet]);
    assert.equal(await allowed(bob, getObject), true);
    await setPolicy(undefined);
    assert.equal(await allowed(bob, getObject), false);
    await setPolicy(policy(allowGet({ AWS: `arn:aws:iam::${OTHER}:user/bob` })));
    assert.equal(await allowed(bob, getObject), true);
    identity.clear();
    assert.equal(await allowed(bob, getObject), false);
  });

  void it('anonymous: only a Principal "*" statement or an ACL grant to AllUsers', async () => {
    await setPolicy(undefined);
    assert.equal(await allowed(ANONYMOUS, getObject), false);
    await setPolicy(policy(allowGet({ AWS: OTHER })));
    assert.equal(await allowed(ANONYMOUS, getObject), false);
    await setPolicy(policy(allowGet('*')));
    assert.equal(await allowed(ANONYMOUS, getObject), true);
    await setPolicy(undefined);
    await store.setObjectAcl('photos', 'cat.jpg', undefined, [{ grantee: { type: 'Group', uri: ALL_USERS_URI }, permission: 'READ' }]);
    assert.equal(await allowed(ANONYMOUS, getObject), true);
    assert.equal(await allowed(ANONYMOUS, listBucket, request('GET', undefined)), false);
    // an ACL never overrides an explicit Deny
    await setPolicy(policy({ Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/*' }));
    assert.equal(await allowed(ANONYMOUS, getObject), false);
    await setPolicy(undefined);
    // across accounts an IAM user's identity side must still allow what the ACL grants
    const bob = user(OTHER, 'bob');
    assert.equal(await allowed(bob, getObject), false);
    identity.set(bob.arn, [identityAllowGet]);
    assert.equal(await allowed(bob, getObject), true);
    identity.clear();
    await store.setObjectAcl('photos', 'cat.jpg', undefined, undefined);
    assert.equal(await allowed(ANONYMOUS, getObject), false);
    await store.setBucketAcl('photos', [{ grantee: { type: 'Group', uri: ALL_USERS_URI }, permission: 'READ' }]);
    assert.equal(await allowed(ANONYMOUS, listBucket, request('GET', undefined)), true);
    await store.setBucketAcl('photos', undefined);
  });

  void it('existing object tags are read only when a statement that otherwise applies needs them', async () => {
    await setPolicy(policy(allowGet({ AWS: OTHER })));
    tagReads = 0;
    assert.equal(await allowed(root(OTHER), getObject), true);
    assert.equal(await allowed(root(OWNER), getObject), true);
    assert.equal(tagReads, 0);
    await setPolicy(policy({ ...allowGet({ AWS: OTHER }), Condition: { StringEquals: { 's3:ExistingObjectTag/security': 'public' } } }));
    assert.equal(await allowed(root('333333333333'), getObject), false);
    assert.equal(tagReads, 0);
    assert.equal(await allowed(root(OTHER), getObject), true);
    assert.equal(tagReads, 1);
    await setPolicy(policy({ ...allowGet({ AWS: OTHER }), Condition: { StringEquals: { 's3:ExistingObjectTag/security': 'secret' } } }));
    assert.equal(await allowed(root(OTHER), getObject), false);
  });

  void it('a copy source is judged by its own bucket\'s policy; request tags come from x-amz-tagging', async () => {
    await setPolicy(undefined);
    const read = [{ action: 's3:GetObject', resource: 'arn:aws:s3:::sources/src.jpg' }];
    assert.equal(await allowed(root(OTHER), read), false);
    await store.setBucketPolicy('sources', policy({ Effect: 'Allow', Principal: { AWS: OTHER }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::sources/*' }));
    assert.equal(await allowed(root(OTHER), read), true);
    await store.setBucketPolicy('sources', undefined);

    await setPolicy(policy({ Effect: 'Allow', Principal: { AWS: OTHER }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::photos/*', Condition: { StringEquals: { 's3:RequestObjectTag/Project': 'X' } } }));
    const put = [{ action: 's3:PutObject', resource: 'arn:aws:s3:::photos/new' }];
    assert.equal(await allowed(root(OTHER), put, request('PUT', 'new', {}, { 'x-amz-tagging': 'Project=X' })), true);
    assert.equal(await allowed(root(OTHER), put, request('PUT', 'new', {}, { 'x-amz-tagging': 'Project=Y' })), false);
    assert.equal(await allowed(root(OTHER), put, request('PUT', 'new')), false);
  });

  void it('service-level actions: signed principals only; IAM users need an identity Allow', async () => {
    const list = [{ action: 's3:ListAllMyBuckets', resource: 'arn:aws:s3:::*' }];
    assert.equal(await allowed(ANONYMOUS, list), false);
    assert.equal(await allowed(root(OTHER), list), true);
    const carol = user(OTHER, 'carol');
    assert.equal(await allowed(carol, list), false);
    identity.set(carol.arn, [policy({ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' })]);
    assert.equal(await allowed(carol, list), true);
    identity.clear();
  });
});

void describe('reading the addressed object: the 404/403 rule under existing-tag conditions', () => {
  const archive: Bucket = { ...bucket, name: 'archive', versioning: 'Enabled' };
  const reader = user(OWNER, 'reader');
  const readPublic = { Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: 'arn:aws:s3:::archive/*', Condition: { StringEquals: { 's3:ExistingObjectTag/security': 'public' } } };
  const list = { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::archive' };
  let hidden: string;

  before(async () => {
    await store.createBucket(archive);
    const tags = [{ key: 'security', value: 'public' }];
    await store.putVersion(newVersion('archive', 'live', { ownerAccountId: OWNER, tags }), { replaceNull: false });
    hidden = (await store.putVersion(newVersion('archive', 'gone', { ownerAccountId: OWNER, tags }), { replaceNull: false })).versionId;
    await store.putVersion(deleteMarker('archive', 'gone'), { replaceNull: false });
  });

  async function read(key: string, versionId?: string): Promise<boolean> {
    const query: Record<string, string> = versionId === undefined ? {} : { versionId };
    const action = versionId === undefined ? 's3:GetObject' : 's3:GetObjectVersion';
    try {
      await authorizer.authorize({
        principal: reader,
        actions: [{ action, resource: `arn:aws:s3:::archive/${key}` }],
        bucket: archive,
        request: { ...request('GET', key, query), bucket: 'archive' },
        now: new Date('2024-06-01T00:00:00Z'),
      });
      return true;
    } catch (err) {
      assert.ok(isS3Error(err) && err.code === 'AccessDenied', `unexpected ${String(err)}`);
      return false;
    }
  }

  void it('without s3:ListBucket: the tagged object is read, a missing one or a delete marker is 403', async () => {
    identity.set(reader.arn, [policy(readPublic)]);
    assert.equal(await read('live'), true);
    assert.equal(await read('gone', hidden), true);
    assert.equal(await read('gone'), false);
    assert.equal(await read('missing'), false);
    assert.equal(await read('live', 'no-such-version'), false);
    identity.clear();
  });

  void it('with s3:ListBucket: a missing object or a delete marker goes on to its 404', async () => {
    identity.set(reader.arn, [policy(readPublic, list)]);
    assert.equal(await read('live'), true);
    assert.equal(await read('gone'), true);
    assert.equal(await read('missing'), true);
    identity.clear();
  });

  void it('the version the tag conditions read is the one the rule judges: one read per request', async () => {
    identity.set(reader.arn, [policy(readPublic)]);
    tagReads = 0;
    versionReads = 0;
    assert.equal(await read('live'), true);
    assert.deepEqual({ tagReads, versionReads }, { tagReads: 1, versionReads: 0 });
    // no statement conditions on tags: the rule reads the version alone
    identity.set(reader.arn, [policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::archive/*' })]);
    tagReads = 0;
    assert.equal(await read('live'), true);
    assert.equal(await read('gone'), false);
    assert.deepEqual({ tagReads, versionReads }, { tagReads: 0, versionReads: 2 });
    identity.clear();
  });
});
