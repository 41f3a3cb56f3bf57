import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { bucketName } from '../support/names.js';
import { ROOT_KEY, startTestServer, type TestServer } from '../support/testServer.js';
import { DOCUMENTED_POLICIES, queryCall, type Credentials } from './iamSupport.js';

const ACCOUNT = '000000000000';
const IAM_NS = 'xmlns="https://iam.amazonaws.com/doc/2010-05-08/"';

function s3ErrorName(err: unknown): string {
  return (err as { name?: string }).name ?? String(err);
}

void describe('IAM and STS on the S3 endpoint (raw SigV4 query calls)', () => {
  let t: TestServer;
  const iam = (creds: Credentials, params: Record<string, string>) => queryCall(t.endpoint, 'iam', creds, params);
  const sts = (creds: Credentials, params: Record<string, string>) => queryCall(t.endpoint, 'sts', creds, params);

  async function newUserWithKey(name: string, root: Credentials = ROOT_KEY): Promise<Credentials> {
    assert.equal((await iam(root, { Action: 'CreateUser', UserName: name })).status, 200);
    const key = await iam(root, { Action: 'CreateAccessKey', UserName: name });
    assert.equal(key.status, 200, key.body);
    return { accessKeyId: key.text('AccessKeyId') ?? '', secretAccessKey: key.text('SecretAccessKey') ?? '' };
  }

  before(async () => {
    t = await startTestServer();
  });
  after(async () => {
    await t.stop();
  });

  void it('CreateUser / GetUser / ListUsers render IAM XML; duplicates and missing users are IAM errors', async () => {
    const created = await iam(ROOT_KEY, { Action: 'CreateUser', UserName: 'alice', Path: '/eng/', 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'storage' });
    assert.equal(created.status, 200, created.body);
    assert.ok(created.body.includes(`<CreateUserResponse ${IAM_NS}><CreateUserResult><User>`));
    assert.match(created.text('UserId') ?? '', /^AIDA[A-Z2-7]{17}$/);
    assert.equal(created.text('Arn'), `arn:aws:iam::${ACCOUNT}:user/eng/alice`);
    assert.deepEqual(created.all('Key'), ['team']);
    assert.match(created.text('RequestId') ?? '', /.+/);

    const dup = await iam(ROOT_KEY, { Action: 'CreateUser', UserName: 'ALICE' });
    assert.equal(dup.status, 409);
    assert.ok(dup.body.includes(`<ErrorResponse ${IAM_NS}><Error><Type>Sender</Type><Code>EntityAlreadyExists</Code>`), dup.body);

    const missing = await iam(ROOT_KEY, { Action: 'GetUser', UserName: 'nobody' });
    assert.equal(missing.status, 404);
    assert.equal(missing.text('Code'), 'NoSuchEntity');
    assert.equal(missing.text('Message'), 'The user with name nobody cannot be found.');

    const root = await iam(ROOT_KEY, { Action: 'GetUser' });
    assert.equal(root.text('Arn'), `arn:aws:iam::${ACCOUNT}:root`);
    assert.equal(root.text('UserId'), ACCOUNT);

    const list = await iam(ROOT_KEY, { Action: 'ListUsers', PathPrefix: '/eng/' });
    assert.deepEqual(list.all('UserName'), ['alice']);
    assert.equal(list.text('IsTruncated'), 'false');
  });

  void it('ListUsers pages with MaxItems and Marker', async () => {
    for (const n of ['page-a', 'page-b', 'page-c']) await iam(ROOT_KEY, { Action: 'CreateUser', UserName: n, Path: '/paged/' });
    const first = await iam(ROOT_KEY, { Action: 'ListUsers', PathPrefix: '/paged/', MaxItems: '2' });
    assert.deepEqual(first.all('UserName'), ['page-a', 'page-b']);
    assert.equal(first.text('IsTruncated'), 'true');
    const second = await iam(ROOT_KEY, { Action: 'ListUsers', PathPrefix: '/paged/', MaxItems: '2', Marker: first.text('Marker') ?? '' });
    assert.deepEqual(second.all('UserName'), ['page-c']);
    assert.equal(second.text('IsTruncated'), 'false');
  });

  void it('access keys: two per user, LimitExceeded, DeleteUser refused while keys remain', async () => {
    await iam(ROOT_KEY, { Action: 'CreateUser', UserName: 'keyholder' });
    const k1 = await iam(ROOT_KEY, { Action: 'CreateAccessKey', UserName: 'keyholder' });
    assert.match(k1.text('AccessKeyId') ?? '', /^AKIA[A-Z2-7]{16}$/);
    assert.equal((k1.text('SecretAccessKey') ?? '').length, 40);
    assert.equal(k1.text('Status'), 'Active');
    assert.equal((await iam(ROOT_KEY, { Action: 'CreateAccessKey', UserName: 'keyholder' })).status, 200);
    const third = await iam(ROOT_KEY, { Action: 'CreateAccessKey', UserName: 'keyholder' });
    assert.equal(third.status, 409);
    assert.equal(third.text('Code'), 'LimitExceeded');
    const listed = await iam(ROOT_KEY, { Action: 'ListAccessKeys', UserName: 'keyholder' });
    assert.equal(listed.all('AccessKeyId').length, 2);
    assert.equal(listed.text('SecretAccessKey'), undefined);
    const del = await iam(ROOT_KEY, { Action: 'DeleteUser', UserName: 'keyholder' });
    assert.equal(del.status, 409);
    assert.equal(del.text('Code'), 'DeleteConflict');
    for (const id of listed.all('AccessKeyId')) {
      assert.equal((await iam(ROOT_KEY, { Action: 'DeleteAccessKey', UserName: 'keyholder', AccessKeyId: id })).status, 200);
    }
    assert.equal((await iam(ROOT_KEY, { Action: 'DeleteUser', UserName: 'keyholder' })).status, 200);
  });

  void it('a malformed policy is MalformedPolicyDocument naming the statement; GetUserPolicy returns it URL-encoded', async () => {
    await iam(ROOT_KEY, { Action: 'CreateUser', UserName: 'writer' });
    const bad = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Fine', Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
        { Sid: 'Broken', Effect: 'Allow', Action: 's3:NoSuchAction', Resource: '*' },
      ],
    });
    const res = await iam(ROOT_KEY, { Action: 'PutUserPolicy', UserName: 'writer', PolicyName: 'p', PolicyDocument: bad });
    assert.equal(res.status, 400);
    assert.equal(res.text('Code'), 'MalformedPolicyDocument');
    assert.match(res.text('Message') ?? '', /Statement 1 \(Sid "Broken"\)/);

    const good = DOCUMENTED_POLICIES.existingTagPublic('any-bucket');
    assert.equal((await iam(ROOT_KEY, { Action: 'PutUserPolicy', UserName: 'writer', PolicyName: 'p', PolicyDocument: good })).status, 200);
    const got = await iam(ROOT_KEY, { Action: 'GetUserPolicy', UserName: 'writer', PolicyName: 'p' });
    assert.equal(got.text('PolicyDocument'), encodeURIComponent(good));
    assert.deepEqual((await iam(ROOT_KEY, { Action: 'ListUserPolicies', UserName: 'writer' })).all('member'), ['p']);
  });

  void it('protocol errors: unknown action, bad signature, unknown key', async () => {
    const unknown = await iam(ROOT_KEY, { Action: 'FlyToTheMoon' });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.text('Code'), 'InvalidAction');
    const bad = await iam({ accessKeyId: ROOT_KEY.accessKeyId, secretAccessKey: 'wrong' }, { Action: 'ListUsers' });
    assert.equal(bad.status, 403);
    assert.equal(bad.text('Code'), 'SignatureDoesNotMatch');
    const unknownKey = await iam({ accessKeyId: 'AKIANOSUCHKEY0000000', secretAccessKey: 'x' }, { Action: 'ListUsers' });
    assert.equal(unknownKey.text('Code'), 'InvalidClientTokenId');
  });

  void it('an IAM user key authenticates S3; what it may do is its identity policy (documented policy 1, verbatim)', async () => {
    const bucket = bucketName('iam');
    await t.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'public.txt', Body: 'hi', Tagging: 'security=public' }));
    await t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'private.txt', Body: 'no', Tagging: 'security=private' }));
    const key = await newUserWithKey('reader');
    const s3 = t.client(key);
    await assert.rejects(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'public.txt' })), (e) => s3ErrorName(e) === 'AccessDenied');

    const put = await iam(ROOT_KEY, { Action: 'PutUserPolicy', UserName: 'reader', PolicyName: 'public-only', PolicyDocument: DOCUMENTED_POLICIES.existingTagPublic(bucket) });
    assert.equal(put.status, 200, put.body);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'public.txt' }));
    assert.equal(await got.Body?.transformToString(), 'hi');
    await assert.rejects(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'private.txt' })), (e) => s3ErrorName(e) === 'AccessDenied');
    await assert.rejects(s3.send(new ListObjectsV2Command({ Bucket: bucket })), (e) => s3ErrorName(e) === 'AccessDenied');

    // the user cannot manage IAM without a policy allowing it
    const denied = await iam(key, { Action: 'ListUsers' });
    assert.equal(denied.status, 403);
    assert.equal(denied.text('Code'), 'AccessDenied');
    // GetUser on oneself still needs iam:GetUser
    assert.equal((await iam(key, { Action: 'GetUser' })).status, 403);
  });

  void it('documented policies 2 and 3 through a managed policy and an inline policy', async () => {
    const bucket = bucketName('iamtag');
    await t.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await t.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'o', Body: 'x' }));

    const keysUser = await newUserWithKey('tagger');
    const created = await iam(ROOT_KEY, { Action: 'CreatePolicy', PolicyName: 'owner-tags', PolicyDocument: DOCUMENTED_POLICIES.allowedTagKeys(bucket) });
    assert.equal(created.status, 200, created.body);
    const arn = created.text('Arn') ?? '';
    assert.equal(arn, `arn:aws:iam::${ACCOUNT}:policy/owner-tags`);
    assert.equal((await iam(ROOT_KEY, { Action: 'AttachUserPolicy', UserName: 'tagger', PolicyArn: arn })).status, 200);
    assert.deepEqual((await iam(ROOT_KEY, { Action: 'ListAttachedUserPolicies', UserName: 'tagger' })).all('PolicyArn'), [arn]);
    const s3 = t.client(keysUser);
    const tag = (tags: { Key: string; Value: string }[]) => s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: 'o', Tagging: { TagSet: tags } }));
    await tag([{ Key: 'Owner', Value: 'me' }, { Key: 'CreationDate', Value: '2024' }]);
    await assert.rejects(tag([{ Key: 'Owner', Value: 'me' }, { Key: 'Other', Value: 'x' }]), (e) => s3ErrorName(e) === 'AccessDenied');
    await assert.rejects(tag([]), (e) => s3ErrorName(e) === 'AccessDenied');

    const deleteAttached = await iam(ROOT_KEY, { Action: 'DeletePolicy', PolicyArn: arn });
    assert.equal(deleteAttached.status, 409);
    assert.equal(deleteAttached.text('Code'), 'DeleteConflict');
    const version = await iam(ROOT_KEY, { Action: 'GetPolicyVersion', PolicyArn: arn, VersionId: 'v1' });
    assert.equal(decodeURIComponent(version.text('Document') ?? ''), DOCUMENTED_POLICIES.allowedTagKeys(bucket));

    const projectUser = await newUserWithKey('projector');
    await iam(ROOT_KEY, { Action: 'PutUserPolicy', UserName: 'projector', PolicyName: 'x', PolicyDocument: DOCUMENTED_POLICIES.requestTagProject(bucket, 'X') });
    const s3p = t.client(projectUser);
    await s3p.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: 'o', Tagging: { TagSet: [{ Key: 'Project', Value: 'X' }] } }));
    await assert.rejects(
      s3p.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: 'o', Tagging: { TagSet: [{ Key: 'Project', Value: 'Y' }] } })),
      (e) => s3ErrorName(e) === 'AccessDenied',
    );
  });

  void it('an Inactive key is refused by S3 with InvalidAccessKeyId, and works again when reactivated', async () => {
    const key = await newUserWithKey('switch');
    await iam(ROOT_KEY, {
      Action: 'PutUserPolicy',
      UserName: 'switch',
      PolicyName: 'list',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' }] }),
    });
    const s3 = t.client(key);
    await s3.send(new ListBucketsCommand({}));
    assert.equal((await iam(ROOT_KEY, { Action: 'UpdateAccessKey', UserName: 'switch', AccessKeyId: key.accessKeyId, Status: 'Inactive' })).status, 200);
    await assert.rejects(s3.send(new ListBucketsCommand({})), (e) => s3ErrorName(e) === 'InvalidAccessKeyId');
    await iam(ROOT_KEY, { Action: 'UpdateAccessKey', UserName: 'switch', AccessKeyId: key.accessKeyId, Status: 'Active' });
    await s3.send(new ListBucketsCommand({}));
  });

  void it('an IAM user allowed iam:* manages users of its account', async () => {
    const admin = await newUserWithKey('admin');
    await iam(ROOT_KEY, {
      Action: 'PutUserPolicy',
      UserName: 'admin',
      PolicyName: 'all-iam',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:*', Resource: '*' }, { Effect: 'Deny', Action: 'iam:DeleteUser', Resource: '*' }] }),
    });
    assert.equal((await iam(admin, { Action: 'CreateUser', UserName: 'made-by-admin' })).status, 200);
    const self = await iam(admin, { Action: 'GetUser' });
    assert.equal(self.text('UserName'), 'admin');
    const deny = await iam(admin, { Action: 'DeleteUser', UserName: 'made-by-admin' });
    assert.equal(deny.status, 403);
    assert.match(deny.text('Message') ?? '', /explicit deny/);
  });

  void it('roles: AssumeRole gives ASIA credentials that work only with their session token', async () => {
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] });
    const role = await iam(ROOT_KEY, { Action: 'CreateRole', RoleName: 'lister', Path: '/svc/', AssumeRolePolicyDocument: trust });
    assert.equal(role.status, 200, role.body);
    const roleArn = role.text('Arn') ?? '';
    assert.equal(roleArn, `arn:aws:iam::${ACCOUNT}:role/svc/lister`);
    assert.equal(decodeURIComponent(role.text('AssumeRolePolicyDocument') ?? ''), trust);
    await iam(ROOT_KEY, {
      Action: 'PutRolePolicy',
      RoleName: 'lister',
      PolicyName: 'list',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' }] }),
    });

    const assumed = await sts(ROOT_KEY, { Action: 'AssumeRole', RoleArn: roleArn, RoleSessionName: 'nightly', DurationSeconds: '900' });
    assert.equal(assumed.status, 200, assumed.body);
    assert.ok(assumed.body.includes('<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials>'));
    const creds = {
      accessKeyId: assumed.text('AccessKeyId') ?? '',
      secretAccessKey: assumed.text('SecretAccessKey') ?? '',
      sessionToken: assumed.text('SessionToken') ?? '',
    };
    assert.match(creds.accessKeyId, /^ASIA/);
    assert.equal(assumed.text('Arn'), `arn:aws:sts::${ACCOUNT}:assumed-role/lister/nightly`);
    const expiration = new Date(assumed.text('Expiration') ?? '');
    assert.ok(expiration.getTime() > Date.now() + 800_000 && expiration.getTime() <= Date.now() + 901_000);

    const who = await sts(creds, { Action: 'GetCallerIdentity' });
    assert.equal(who.text('Arn'), `arn:aws:sts::${ACCOUNT}:assumed-role/lister/nightly`);
    assert.match(who.text('UserId') ?? '', /^AROA[A-Z2-7]{17}:nightly$/);
    assert.equal(who.text('Account'), ACCOUNT);

    const sessionClient = new S3Client({ endpoint: t.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: creds });
    await sessionClient.send(new ListBucketsCommand({}));
    sessionClient.destroy();
    const withoutToken = t.client({ accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey });
    await assert.rejects(withoutToken.send(new ListBucketsCommand({})), (e) => s3ErrorName(e) === 'InvalidAccessKeyId');
    const wrongToken = new S3Client({ endpoint: t.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { ...creds, sessionToken: `${creds.sessionToken}x` } });
    await assert.rejects(wrongToken.send(new ListBucketsCommand({})), (e) => s3ErrorName(e) === 'InvalidToken');
    wrongToken.destroy();
    // the session has only the role's permissions
    const denied = await iam(creds, { Action: 'ListUsers' });
    assert.equal(denied.status, 403);
    const missingToken = await queryCall(t.endpoint, 'sts', creds, { Action: 'GetCallerIdentity' }, { omitToken: true });
    assert.equal(missingToken.text('Code'), 'InvalidClientTokenId');

    const tooLong = await sts(ROOT_KEY, { Action: 'AssumeRole', RoleArn: roleArn, RoleSessionName: 'x1', DurationSeconds: '7200' });
    assert.equal(tooLong.text('Code'), 'ValidationError');
    const tooShort = await sts(ROOT_KEY, { Action: 'AssumeRole', RoleArn: roleArn, RoleSessionName: 'x1', DurationSeconds: '899' });
    assert.equal(tooShort.text('Code'), 'ValidationError');

    const inUse = await iam(ROOT_KEY, { Action: 'DeleteRole', RoleName: 'lister' });
    assert.equal(inUse.text('Code'), 'DeleteConflict');
  });

  void it('AssumeRole across accounts: the trust policy must name the caller and its identity policy must allow', async () => {
    const other = await t.createAccount('partner');
    const otherRoot = { accessKeyId: other.accessKeyId, secretAccessKey: other.secretAccessKey };
    const partnerUser = await newUserWithKey('partner-user', otherRoot);
    const partnerArn = `arn:aws:iam::${other.accountId}:user/partner-user`;
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: partnerArn }, Action: 'sts:AssumeRole' }] });
    const role = await iam(ROOT_KEY, { Action: 'CreateRole', RoleName: 'shared', AssumeRolePolicyDocument: trust });
    const roleArn = role.text('Arn') ?? '';

    const noIdentityAllow = await sts(partnerUser, { Action: 'AssumeRole', RoleArn: roleArn, RoleSessionName: 'p1' });
    assert.equal(noIdentityAllow.status, 403);
    assert.equal(noIdentityAllow.text('Code'), 'AccessDenied');
    await iam(otherRoot, {
      Action: 'PutUserPolicy',
      UserName: 'partner-user',
      PolicyName: 'assume',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: roleArn }] }),
    });
    const ok = await sts(partnerUser, { Action: 'AssumeRole', RoleArn: roleArn, RoleSessionName: 'p1' });
    assert.equal(ok.status, 200, ok.body);
    assert.equal(ok.text('Arn'), `arn:aws:sts::${ACCOUNT}:assumed-role/shared/p1`);

    // the partner's root is not named by the trust policy
    const notTrusted = await sts(otherRoot, { Action: 'AssumeRole', RoleArn: roleArn, RoleSessionName: 'p2' });
    assert.equal(notTrusted.text('Code'), 'AccessDenied');
    // each account has its own IAM namespace
    assert.equal((await iam(otherRoot, { Action: 'GetUser', UserName: 'alice' })).status, 404);
  });

  void it('CreateRole validates the trust policy as a resource policy', async () => {
    const noPrincipal = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] });
    const res = await iam(ROOT_KEY, { Action: 'CreateRole', RoleName: 'broken', AssumeRolePolicyDocument: noPrincipal });
    assert.equal(res.status, 400);
    assert.equal(res.text('Code'), 'MalformedPolicyDocument');
    assert.match(res.text('Message') ?? '', /Statement 0/);
  });
});
