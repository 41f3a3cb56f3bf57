import assert from 'node:assert/strict';
import { Socket } from 'node:net';
import { IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import type { Principal } from '../../../src/core/identity/Principal.js';
import { parseAuditConfiguration } from '../../../src/core/audit/validateAuditConfiguration.js';
import { isS3Error } from '../../../src/errors/S3Error.js';
import { parseRequest } from '../../../src/http/parseRequest.js';
import type { FinishedRequest } from '../../../src/http/RequestObserver.js';
import { RequestTrace } from '../../../src/http/RequestTrace.js';
import { auditEvent, auditIdentity } from '../../../src/observability/audit/auditEvent.js';
import { requestScope } from '../../../src/observability/requestScope.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const SIGNATURE = 'fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024';

function finished(url: string, headers: Record<string, string>, principal: Principal | undefined, status = 200): FinishedRequest {
  const stream = new IncomingMessage(new Socket());
  stream.url = url;
  stream.method = 'GET';
  stream.headers = headers;
  const trace = new RequestTrace('s3');
  trace.operation = 'GetObject';
  trace.principal = principal;
  const request = parseRequest(stream, { domain: undefined }, 'REQ1', false, trace);
  return {
    trace,
    requestId: 'REQ1',
    request,
    method: 'GET',
    rawPath: url.split('?')[0] ?? url,
    status,
    completed: true,
    bytesIn: 0,
    bytesOut: 5,
    firstByteSeconds: 0.001,
    totalSeconds: 0.002,
    versionId: undefined,
    taggingCount: undefined,
    sourceIp: '10.0.0.9',
    userAgent: 'test-agent',
  };
}

const USER: Principal = {
  kind: 'user',
  accountId: '111122223333',
  canonicalId: 'c'.repeat(64),
  displayName: 'acct',
  arn: 'arn:aws:iam::111122223333:user/alice',
  userName: 'alice',
  isRoot: false,
  accessKeyId: 'AKIAALICE',
  userId: 'AIDAALICE',
};

describe('auditEvent', () => {
  it('records the request and its target, never a header, query string, signature or secret', () => {
    const presigned = `/b/k%20x?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAALICE%2F20261204%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=${SIGNATURE}&X-Amz-Security-Token=TOKEN123&versionId=v1`;
    const done = finished(presigned, { authorization: `AWS4-HMAC-SHA256 Credential=AKIAALICE/x, Signature=${SIGNATURE}`, 'x-amz-security-token': 'TOKEN123', 'x-amz-secret': SECRET }, USER);
    const event = auditEvent(done, 'us-east-1', requestScope('GetObject', 'k x', done.request?.query), undefined);
    const text = JSON.stringify(event);
    for (const needle of [SIGNATURE, SECRET, 'TOKEN123', 'X-Amz-', 'Signature']) assert.ok(!text.includes(needle), needle);
    assert.deepEqual(event.requestParameters, { bucketName: 'b', key: 'k x', versionId: 'v1' });
    assert.deepEqual(event.resources, [
      { type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::b/k x' },
      { type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::b' },
    ]);
    assert.equal(event.eventCategory, 'Data');
    assert.equal(event.readOnly, true);
    assert.equal(event.sourceIPAddress, '10.0.0.9');
    assert.equal(event.additionalEventData.bytesTransferredOut, 5);
    assert.equal('objectTags' in event.additionalEventData, false);
  });

  it('carries the object tags when given, and the error code of a failure', () => {
    const done = finished('/b/k', {}, USER, 403);
    done.trace.errorCode = 'AccessDenied';
    const event = auditEvent(done, 'us-east-1', { kind: 'object', key: 'k' }, [{ key: 'class', value: 'secret' }]);
    assert.deepEqual(event.additionalEventData.objectTags, { class: 'secret' });
    assert.equal(event.errorCode, 'AccessDenied');
    assert.equal(event.httpStatus, 403);
  });

  it('a bucket request is a management event', () => {
    const done = finished('/b?tagging', {}, USER);
    done.trace.operation = 'GetBucketTagging';
    assert.equal(auditEvent(done, 'us-east-1', requestScope('GetBucketTagging', undefined, done.request?.query), undefined).eventCategory, 'Management');
  });
});

describe('auditIdentity', () => {
  it('describes each kind of principal as CloudTrail does', () => {
    assert.deepEqual(auditIdentity(undefined), { type: 'Unknown' });
    assert.deepEqual(auditIdentity({ kind: 'anonymous' }), { type: 'Anonymous', principalId: 'ANONYMOUS_PRINCIPAL' });
    assert.equal(auditIdentity({ ...USER, isRoot: true, arn: 'arn:aws:iam::111122223333:root' }).type, 'Root');
    assert.deepEqual(auditIdentity(USER), {
      type: 'IAMUser',
      principalId: 'AIDAALICE',
      arn: USER.arn,
      accountId: '111122223333',
      accessKeyId: 'AKIAALICE',
      userName: 'alice',
    });
    const session = auditIdentity({
      ...USER,
      arn: 'arn:aws:sts::111122223333:assumed-role/r/s',
      role: { arn: 'arn:aws:iam::111122223333:role/r', roleName: 'r', roleId: 'AROAR', sessionName: 's', expiresAt: new Date(0) },
    });
    assert.equal(session.type, 'AssumedRole');
    assert.equal(session.principalId, 'AROAR:s');
    assert.deepEqual(session.sessionContext?.sessionIssuer, { type: 'Role', arn: 'arn:aws:iam::111122223333:role/r', userName: 'r', principalId: 'AROAR' });
  });
});

describe('parseAuditConfiguration', () => {
  const ok: [string, unknown][] = [
    ['{}', { includeObjectTags: false }],
    ['{"IncludeObjectTags": true}', { includeObjectTags: true }],
    ['{"Filter": {"Prefix": "p/"}}', { filter: { prefix: 'p/', tags: [] }, includeObjectTags: false }],
    ['{"Filter": {"Tags": [{"Key": "k"}]}}', { filter: { tags: [{ key: 'k', value: '' }] }, includeObjectTags: false }],
    ['{"Filter": {"Prefix": "", "Tags": [{"Key": "ключ", "Value": "✓"}]}, "IncludeObjectTags": false}', { filter: { prefix: '', tags: [{ key: 'ключ', value: '✓' }] }, includeObjectTags: false }],
  ];
  for (const [body, expected] of ok) it(`reads ${body}`, () => assert.deepEqual(parseAuditConfiguration(Buffer.from(body)), expected));
  const bad: [string, RegExp][] = [
    ['nope', /not valid JSON/],
    ['[]', /must be a JSON object/],
    ['{"Other": 1}', /Unknown field Other/],
    ['{"IncludeObjectTags": 1}', /true or false/],
    ['{"Filter": []}', /Filter must be an object/],
    ['{"Filter": {"Prefix": 1}}', /Filter.Prefix/],
    ['{"Filter": {"Tags": {}}}', /Filter.Tags must be a list/],
    ['{"Filter": {"Tags": [{"Key": 1}]}}', /Filter.Tags\[0\]/],
    ['{"Filter": {"Tags": [{"Key": "a", "Other": "b"}]}}', /Unknown field Filter.Tags\[0\].Other/],
    ['{"Filter": {"Tags": [{"Key": ""}]}}', /1 to 128/],
    [`{"Filter": {"Tags": [{"Key": "${'k'.repeat(129)}"}]}}`, /1 to 128/],
    [`{"Filter": {"Tags": [{"Key": "k", "Value": "${'v'.repeat(257)}"}]}}`, /at most 256/],
    ['{"Filter": {"Tags": [{"Key": "a"}, {"Key": "a"}]}}', /twice/],
  ];
  for (const [body, message] of bad) {
    it(`refuses ${body.slice(0, 60)}`, () =>
      assert.throws(
        () => parseAuditConfiguration(Buffer.from(body)),
        (err: unknown) => isS3Error(err) && err.code === 'InvalidArgument' && message.test(err.message),
      ));
  }
});
