import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiOf, type Api } from '../../src/http/apiOf.js';

const auth = (service: string): string =>
  `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261121/us-east-1/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc`;

describe('which API a request is for', () => {
  const cases: ReadonlyArray<[string, string, string | undefined, string, Api]> = [
    ['S3 object', '/bucket/key', auth('s3'), '', 's3'],
    ['S3 anonymous', '/bucket', undefined, '', 's3'],
    ['S3 presigned', '/bucket/key', undefined, 'X-Amz-Credential=AKID%2F20261121%2Fus-east-1%2Fs3%2Faws4_request', 's3'],
    ['S3 Control jobs', '/v20180820/jobs', auth('s3'), '', 's3-control'],
    ['S3 Control job id', '/v20180820/jobs/abc', auth('s3'), '', 's3-control'],
    ['a bucket named like the control prefix is still S3 without the slash', '/v20180820', auth('s3'), '', 's3'],
    ['IAM', '/', auth('iam'), '', 'iam'],
    ['STS', '/', auth('sts'), '', 'sts'],
    ['STS presigned', '/', undefined, 'Action=GetCallerIdentity&X-Amz-Credential=AKID%2F20261121%2Fus-east-1%2Fsts%2Faws4_request', 'sts'],
    ['garbage credential', '/', 'AWS4-HMAC-SHA256 Credential=nonsense', '', 's3'],
  ];
  for (const [what, path, authorization, query, expected] of cases) {
    it(`${what} → ${expected}`, () => assert.equal(apiOf(path, authorization, query), expected));
  }
});
