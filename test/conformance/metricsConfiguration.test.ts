import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketMetricsConfigurationCommand,
  GetBucketMetricsConfigurationCommand,
  ListBucketMetricsConfigurationsCommand,
  PutBucketMetricsConfigurationCommand,
  type MetricsConfiguration,
  type MetricsFilter,
  type S3Client,
} from '@aws-sdk/client-s3';
import { bucketName } from '../support/names.js';
import { rejects } from '../support/sdk.js';
import { ROOT_KEY, startTestServer, type TestServer } from '../support/testServer.js';
import { queryCall, type Credentials } from './iamSupport.js';

const AP_ARN = 'arn:aws:s3:us-west-2:123456789012:accesspoint/reports';

/** Every filter form S3 defines, as the SDK takes and gives them. */
const FORMS: readonly MetricsConfiguration[] = [
  { Id: 'EntireBucket' },
  { Id: 'prefix', Filter: { Prefix: 'logs/' } },
  { Id: 'tag', Filter: { Tag: { Key: 'env', Value: 'prod' } } },
  { Id: 'access-point', Filter: { AccessPointArn: AP_ARN } },
  { Id: 'and.prefix_tags', Filter: { And: { Prefix: 'docs/', Tags: [{ Key: 'priority', Value: 'high' }, { Key: 'class', Value: 'blue' }] } } },
  { Id: 'and-everything', Filter: { And: { Prefix: 'a', Tags: [{ Key: 'k', Value: '' }], AccessPointArn: AP_ARN } } },
];

describe('bucket metrics configurations (AWS SDK v3)', () => {
  let server: TestServer;
  let s3: S3Client;

  before(async () => {
    server = await startTestServer();
    s3 = server.s3;
  });
  after(async () => {
    await server.stop();
  });

  async function newBucket(): Promise<string> {
    const bucket = bucketName('metrics');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    return bucket;
  }

  const put = (bucket: string, configuration: MetricsConfiguration, id = configuration.Id) =>
    s3.send(new PutBucketMetricsConfigurationCommand({ Bucket: bucket, Id: id, MetricsConfiguration: configuration }));

  it('round-trips every filter form; the list holds them in id order', async () => {
    const bucket = await newBucket();
    for (const configuration of FORMS) {
      const answer = await put(bucket, configuration);
      assert.equal(answer.$metadata.httpStatusCode, 200);
    }
    for (const configuration of FORMS) {
      const got = await s3.send(new GetBucketMetricsConfigurationCommand({ Bucket: bucket, Id: configuration.Id }));
      assert.deepEqual(got.MetricsConfiguration, configuration);
    }
    const list = await s3.send(new ListBucketMetricsConfigurationsCommand({ Bucket: bucket }));
    assert.equal(list.IsTruncated, false);
    assert.equal(list.NextContinuationToken, undefined);
    const sorted = [...FORMS].sort((a, b) => ((a.Id ?? '') < (b.Id ?? '') ? -1 : 1));
    assert.deepEqual(list.MetricsConfigurationList, sorted);
  });

  it('a PUT of an existing id replaces it whole', async () => {
    const bucket = await newBucket();
    await put(bucket, { Id: 'm', Filter: { And: { Prefix: 'p', Tags: [{ Key: 'a', Value: '1' }] } } });
    await put(bucket, { Id: 'm' });
    const got = await s3.send(new GetBucketMetricsConfigurationCommand({ Bucket: bucket, Id: 'm' }));
    assert.deepEqual(got.MetricsConfiguration, { Id: 'm' });
  });

  it('refuses a body whose Id is not the query id (MalformedXML), a bad id (InvalidArgument), a bad filter', async () => {
    const bucket = await newBucket();
    await rejects(put(bucket, { Id: 'body' }, 'query'), 400, 'MalformedXML');
    const badId = await rejects(put(bucket, { Id: 'no spaces' }), 400, 'InvalidArgument');
    assert.match(badId.message, /64 characters/);
    await rejects(put(bucket, { Id: 'x'.repeat(65) }), 400, 'InvalidArgument');
    // the SDK's types allow one member of the union; S3 refuses two
    const twoConditions = { Prefix: 'a', Tag: { Key: 'k', Value: 'v' } } as unknown as MetricsFilter;
    await rejects(put(bucket, { Id: 'f', Filter: twoConditions }), 400, 'MalformedXML');
    await rejects(put(bucket, { Id: 'f', Filter: { And: { Tags: [{ Key: 'k', Value: '1' }, { Key: 'k', Value: '2' }] } } }), 400, 'InvalidRequest');
    await rejects(put(bucket, { Id: 'f', Filter: { AccessPointArn: 'arn:aws:s3:::bucket' } }), 400, 'InvalidArgument');
    await rejects(s3.send(new GetBucketMetricsConfigurationCommand({ Bucket: bucket, Id: 'a/b' })), 400, 'InvalidArgument');
    const list = await s3.send(new ListBucketMetricsConfigurationsCommand({ Bucket: bucket }));
    assert.equal(list.MetricsConfigurationList, undefined, 'nothing refused was stored');
  });

  it('NoSuchConfiguration for an id the bucket has none of; delete answers 204, then NoSuchConfiguration', async () => {
    const bucket = await newBucket();
    const missing = await rejects(s3.send(new GetBucketMetricsConfigurationCommand({ Bucket: bucket, Id: 'nope' })), 404, 'NoSuchConfiguration');
    assert.equal(missing.message, 'The specified configuration does not exist.');
    await put(bucket, { Id: 'm' });
    const deleted = await s3.send(new DeleteBucketMetricsConfigurationCommand({ Bucket: bucket, Id: 'm' }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    await rejects(s3.send(new GetBucketMetricsConfigurationCommand({ Bucket: bucket, Id: 'm' })), 404, 'NoSuchConfiguration');
    await rejects(s3.send(new DeleteBucketMetricsConfigurationCommand({ Bucket: bucket, Id: 'm' })), 404, 'NoSuchConfiguration');
    await rejects(s3.send(new GetBucketMetricsConfigurationCommand({ Bucket: bucketName('absent'), Id: 'm' })), 404, 'NoSuchBucket');
  });

  it('lists 250 configurations in pages of 100 with continuation tokens', async () => {
    const bucket = await newBucket();
    const ids = Array.from({ length: 250 }, (_, i) => `cfg-${String(i).padStart(3, '0')}`);
    await Promise.all(ids.map((id) => put(bucket, { Id: id, Filter: { Prefix: `${id}/` } })));
    const pages: { count: number; truncated: boolean | undefined }[] = [];
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(new ListBucketMetricsConfigurationsCommand({ Bucket: bucket, ContinuationToken: token }));
      assert.equal(page.ContinuationToken, token);
      pages.push({ count: page.MetricsConfigurationList?.length ?? 0, truncated: page.IsTruncated });
      seen.push(...(page.MetricsConfigurationList ?? []).map((c) => c.Id ?? ''));
      token = page.NextContinuationToken;
    } while (token !== undefined);
    assert.deepEqual(pages, [
      { count: 100, truncated: true },
      { count: 100, truncated: true },
      { count: 50, truncated: false },
    ]);
    assert.deepEqual(seen, ids);
    await rejects(s3.send(new ListBucketMetricsConfigurationsCommand({ Bucket: bucket, ContinuationToken: 'garbage' })), 400, 'InvalidArgument');
  });

  it('a bucket holds 1,000; the 1,001st is TooManyConfigurations, while an existing one can still be replaced', async () => {
    const bucket = await newBucket();
    const ids = Array.from({ length: 1000 }, (_, i) => `c${i}`);
    for (let i = 0; i < ids.length; i += 50) await Promise.all(ids.slice(i, i + 50).map((id) => put(bucket, { Id: id })));
    const refused = await rejects(put(bucket, { Id: 'one-too-many' }), 400, 'TooManyConfigurations');
    assert.match(refused.message, /1,000-configuration limit/);
    await put(bucket, { Id: 'c999', Filter: { Prefix: 'x' } });
    await s3.send(new DeleteBucketMetricsConfigurationCommand({ Bucket: bucket, Id: 'c0' }));
    await put(bucket, { Id: 'one-too-many' });
  });

  it('the configurations go with the bucket', async () => {
    const bucket = await newBucket();
    await put(bucket, { Id: 'm', Filter: { Prefix: 'p' } });
    assert.equal((await server.server.services.metrics.forBucket((await server.server.metadata.getBucket(bucket))!)).length, 1);
    await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await rejects(s3.send(new GetBucketMetricsConfigurationCommand({ Bucket: bucket, Id: 'm' })), 404, 'NoSuchConfiguration');
    const list = await s3.send(new ListBucketMetricsConfigurationsCommand({ Bucket: bucket }));
    assert.equal(list.MetricsConfigurationList, undefined);
    assert.deepEqual(await server.server.services.metrics.forBucket((await server.server.metadata.getBucket(bucket))!), []);
  });

  it('needs s3:PutMetricsConfiguration (Put, Delete) and s3:GetMetricsConfiguration (Get, List)', async () => {
    const bucket = await newBucket();
    await put(bucket, { Id: 'm' });
    const iam = (creds: Credentials, params: Record<string, string>) => queryCall(server.endpoint, 'iam', creds, params);
    const name = `metrics-${Date.now()}`;
    assert.equal((await iam(ROOT_KEY, { Action: 'CreateUser', UserName: name })).status, 200);
    const key = await iam(ROOT_KEY, { Action: 'CreateAccessKey', UserName: name });
    const user = server.client({ accessKeyId: key.text('AccessKeyId') ?? '', secretAccessKey: key.text('SecretAccessKey') ?? '' });
    const allow = async (...actions: string[]): Promise<void> => {
      const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:ListBucket', ...actions], Resource: `arn:aws:s3:::${bucket}` }] };
      const answer = await iam(ROOT_KEY, { Action: 'PutUserPolicy', UserName: name, PolicyName: 'metrics', PolicyDocument: JSON.stringify(policy) });
      assert.equal(answer.status, 200, answer.body);
    };
    const userPut = (id: string) =>
      user.send(new PutBucketMetricsConfigurationCommand({ Bucket: bucket, Id: id, MetricsConfiguration: { Id: id } }));
    const userGet = () => user.send(new GetBucketMetricsConfigurationCommand({ Bucket: bucket, Id: 'm' }));
    const userList = () => user.send(new ListBucketMetricsConfigurationsCommand({ Bucket: bucket }));
    const userDelete = (id: string) => user.send(new DeleteBucketMetricsConfigurationCommand({ Bucket: bucket, Id: id }));

    await allow();
    await rejects(userPut('u'), 403, 'AccessDenied');
    await rejects(userGet(), 403, 'AccessDenied');
    await rejects(userList(), 403, 'AccessDenied');
    await rejects(userDelete('m'), 403, 'AccessDenied');
    await rejects(s3.send(new GetBucketMetricsConfigurationCommand({ Bucket: bucket, Id: 'u' })), 404, 'NoSuchConfiguration');

    await allow('s3:GetMetricsConfiguration');
    assert.deepEqual((await userGet()).MetricsConfiguration, { Id: 'm' });
    assert.equal((await userList()).MetricsConfigurationList?.length, 1);
    await rejects(userPut('u'), 403, 'AccessDenied');
    await rejects(userDelete('m'), 403, 'AccessDenied');

    await allow('s3:PutMetricsConfiguration');
    await userPut('u');
    await userDelete('m');
    await rejects(userGet(), 403, 'AccessDenied');
  });
});
