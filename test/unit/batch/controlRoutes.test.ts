import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { controlOperations, matchRoute } from '../../../src/control/routes.js';
import { trustsBatchOperations } from '../../../src/core/batch/roleTrust.js';
import { matchesFilter } from '../../../src/core/batch/generateManifest.js';
import type { ObjectVersion } from '../../../src/core/objects/ObjectVersion.js';

const ops = controlOperations({ policiesOf: () => Promise.resolve([]) });

describe('S3 Control routes', () => {
  const cases: [string, string, string | undefined, Record<string, string>?][] = [
    ['POST', '/v20180820/jobs', 'CreateJob'],
    ['GET', '/v20180820/jobs', 'ListJobs'],
    ['GET', '/v20180820/jobs/abc', 'DescribeJob', { JobId: 'abc' }],
    ['POST', '/v20180820/jobs/abc/priority', 'UpdateJobPriority', { JobId: 'abc' }],
    ['POST', '/v20180820/jobs/abc/status', 'UpdateJobStatus', { JobId: 'abc' }],
    ['PUT', '/v20180820/jobs/abc/tagging', 'PutJobTagging', { JobId: 'abc' }],
    ['GET', '/v20180820/jobs/abc/tagging', 'GetJobTagging', { JobId: 'abc' }],
    ['DELETE', '/v20180820/jobs/abc/tagging', 'DeleteJobTagging', { JobId: 'abc' }],
    ['GET', '/v20180820/accesspoint', undefined],
    ['GET', '/v20180820/jobs/a/b/c', undefined],
  ];
  for (const [method, path, name, params] of cases) {
    it(`${method} ${path} → ${name ?? 'none'}`, () => {
      const route = matchRoute(ops, method, path);
      if (name === undefined) return assert.equal(route, undefined);
      assert.ok(route !== undefined && route !== 'method-not-allowed');
      assert.equal(route.operation.name, name);
      assert.deepEqual(route.params, params ?? {});
    });
  }
  it('a known path with another method is method-not-allowed', () => {
    assert.equal(matchRoute(ops, 'PATCH', '/v20180820/jobs/abc'), 'method-not-allowed');
  });
});

describe('role trust', () => {
  it('accepts a role trusting batchoperations.s3.amazonaws.com with sts:AssumeRole', () => {
    assert.equal(
      trustsBatchOperations(
        JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { Service: ['batchoperations.s3.amazonaws.com'] }, Action: ['sts:AssumeRole'] }] }),
      ),
      true,
    );
  });
  it('refuses other services, Deny, other actions and garbage', () => {
    for (const doc of [
      { Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
      { Statement: [{ Effect: 'Deny', Principal: { Service: 'batchoperations.s3.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
      { Statement: [{ Effect: 'Allow', Principal: { Service: 'batchoperations.s3.amazonaws.com' }, Action: 's3:GetObject' }] },
    ]) assert.equal(trustsBatchOperations(JSON.stringify(doc)), false);
    assert.equal(trustsBatchOperations('{'), false);
  });
});

describe('manifest generator filter', () => {
  const v = (key: string, size: number, lastModified: string, storageClass = 'STANDARD') =>
    ({ key, size, lastModified: new Date(lastModified), storageClass }) as unknown as ObjectVersion;
  it('applies every criterion given', () => {
    const f = { prefixes: ['logs/'], suffixes: ['.txt'], sizeLessThan: 10, createdAfter: '2024-01-01T00:00:00Z' };
    assert.equal(matchesFilter(v('logs/a.txt', 5, '2024-06-01'), f), true);
    assert.equal(matchesFilter(v('data/a.txt', 5, '2024-06-01'), f), false);
    assert.equal(matchesFilter(v('logs/a.csv', 5, '2024-06-01'), f), false);
    assert.equal(matchesFilter(v('logs/a.txt', 50, '2024-06-01'), f), false);
    assert.equal(matchesFilter(v('logs/a.txt', 5, '2023-06-01'), f), false);
    assert.equal(matchesFilter(v('x', 5, '2023-06-01', 'GLACIER'), { storageClasses: ['STANDARD'] }), false);
    assert.equal(matchesFilter(v('abc', 5, '2023-06-01'), { substrings: ['b'] }), true);
  });
});
