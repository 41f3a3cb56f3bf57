import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import { consoleFileOf } from '../../src/http/browser/consoleRequest.js';
import { preflightAnswer } from '../../src/http/browser/corsPreflight.js';

function request(method: string, url: string, headers: Record<string, string> = {}): IncomingMessage {
  return { method, url, headers: { host: '127.0.0.1:9000', ...headers } } as unknown as IncomingMessage;
}

describe('consoleFileOf: which requests the console takes from the bucket named "console"', () => {
  const cases: ReadonlyArray<[string, IncomingMessage, ReturnType<typeof consoleFileOf>]> = [
    ['the console root redirects to its folder', request('GET', '/console'), { redirect: '/console/' }],
    ['the folder is index.html', request('GET', '/console/'), { file: 'index.html' }],
    ['index.html by name', request('GET', '/console/index.html?x=1'), { file: 'index.html' }],
    ['a bundle file', request('GET', '/console/assets/index-AbC_1.js'), { file: 'assets/index-AbC_1.js' }],
    ['HEAD too', request('HEAD', '/console/'), { file: 'index.html' }],
    ['any other key of the bucket is S3', request('GET', '/console/photo.jpg'), undefined],
    ['a climb out of the folder is S3', request('GET', '/console/assets/../../etc/passwd'), undefined],
    ['a signed request is S3', request('GET', '/console/', { authorization: 'AWS4-HMAC-SHA256 Credential=AK/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00' }), undefined],
    ['a presigned request is S3', request('GET', '/console/index.html?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AK%2F20260101%2Fus-east-1%2Fs3%2Faws4_request'), undefined],
    ['a write is S3', request('PUT', '/console/'), undefined],
    ['a POST is S3', request('POST', '/console/index.html'), undefined],
    ['another bucket is S3', request('GET', '/consoles/'), undefined],
    ['a bucket list is S3', request('GET', '/'), undefined],
  ];
  for (const [what, req, expected] of cases) {
    it(what, () => assert.deepEqual(consoleFileOf(req, undefined), expected));
  }

  it('a request addressed to a bucket by its Host (virtual-host style) is S3', () => {
    assert.equal(consoleFileOf(request('GET', '/console/', { host: 'photos.s3.example.com' }), 's3.example.com'), undefined);
    assert.deepEqual(consoleFileOf(request('GET', '/console/', { host: 's3.example.com' }), 's3.example.com'), { file: 'index.html' });
  });
});

describe('preflightAnswer: CORS preflight for the server’s own origin only', () => {
  const preflight = (origin: string, method = 'PUT', extra: Record<string, string> = {}) =>
    request('OPTIONS', '/photos/a.txt', { origin, 'access-control-request-method': method, ...extra });

  it('grants the origin the console is served from, echoing the requested headers', () => {
    const answer = preflightAnswer(preflight('http://127.0.0.1:9000', 'PUT', { 'access-control-request-headers': 'authorization,x-amz-date' }));
    assert.equal(answer?.kind, 'allow');
    assert.ok(answer?.kind === 'allow');
    assert.equal(answer.headers['Access-Control-Allow-Origin'], 'http://127.0.0.1:9000');
    assert.equal(answer.headers['Access-Control-Allow-Headers'], 'authorization,x-amz-date');
    assert.match(answer.headers['Access-Control-Allow-Methods'] ?? '', /PUT/);
    assert.match(answer.headers.Vary ?? '', /Origin/);
  });

  it('refuses any other origin, scheme or method', () => {
    assert.deepEqual(preflightAnswer(preflight('http://evil.example')), { kind: 'refuse' });
    assert.deepEqual(preflightAnswer(preflight('http://127.0.0.1:9001')), { kind: 'refuse' });
    assert.deepEqual(preflightAnswer(preflight('null')), { kind: 'refuse' });
    assert.deepEqual(preflightAnswer(preflight('file://127.0.0.1:9000')), { kind: 'refuse' });
    assert.deepEqual(preflightAnswer(preflight('http://127.0.0.1:9000', 'PATCH')), { kind: 'refuse' });
  });

  it('leaves requests that are not preflights to the APIs', () => {
    assert.equal(preflightAnswer(request('OPTIONS', '/photos')), undefined);
    assert.equal(preflightAnswer(request('GET', '/photos', { origin: 'http://127.0.0.1:9000', 'access-control-request-method': 'GET' })), undefined);
  });
});
