import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressOf, parseQuery } from '../../src/http/parseRequest.js';
import { s3Operations } from '../../src/s3/operations/registry.js';
import { resolve } from '../../src/s3/router/resolve.js';

/** Resolve a request line such as `PUT /bucket/key?tagging&versionId=x` (path-style) with optional headers. */
function route(line: string, headers: Record<string, string> = {}): string {
  const [method, target] = line.split(' ') as [string, string];
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  const query = parseQuery(q < 0 ? '' : target.slice(q + 1));
  const address = addressOf(path, undefined);
  const kind = address.bucket === undefined ? 'service' : address.key === undefined ? 'bucket' : 'object';
  const result = resolve(s3Operations, { method, target: kind, query, headers });
  return result.kind === 'found' ? result.route.name : result.kind;
}

// Request lines as the AWS S3 API reference shows them for each operation.
const TABLE: ReadonlyArray<[string, string, Record<string, string>?]> = [
  ['GET /', 'ListBuckets'],
  ['PUT /bucket', 'CreateBucket'],
  ['HEAD /bucket', 'HeadBucket'],
  ['DELETE /bucket', 'DeleteBucket'],
  ['GET /bucket?location', 'GetBucketLocation'],
  ['GET /bucket?versioning', 'GetBucketVersioning'],
  ['PUT /bucket?versioning', 'PutBucketVersioning'],
  ['GET /bucket', 'ListObjects'],
  ['GET /bucket?prefix=a&delimiter=/&max-keys=2', 'ListObjects'],
  ['GET /bucket?list-type=2', 'ListObjectsV2'],
  ['GET /bucket?list-type=2&continuation-token=abc', 'ListObjectsV2'],
  ['GET /bucket?versions', 'ListObjectVersions'],
  ['GET /bucket?versions&key-marker=a&version-id-marker=b', 'ListObjectVersions'],
  ['GET /bucket?uploads', 'ListMultipartUploads'],
  ['POST /bucket?delete', 'DeleteObjects'],
  ['POST /bucket', 'PostObject', { 'content-type': 'multipart/form-data; boundary=xyz' }],
  ['PUT /bucket/key', 'PutObject'],
  ['PUT /bucket/dir/key.txt', 'PutObject'],
  ['PUT /bucket/key', 'CopyObject', { 'x-amz-copy-source': '/src/key' }],
  ['GET /bucket/key', 'GetObject'],
  ['GET /bucket/key?versionId=3HL4kqtJlcpXroDTDmJ', 'GetObject'],
  ['GET /bucket/key?response-content-type=text/plain', 'GetObject'],
  ['HEAD /bucket/key', 'HeadObject'],
  ['HEAD /bucket/key?partNumber=1', 'HeadObject'],
  ['GET /bucket/key?partNumber=2', 'GetObject'],
  ['DELETE /bucket/key', 'DeleteObject'],
  ['DELETE /bucket/key?versionId=x', 'DeleteObject'],
  ['PUT /bucket/key?tagging', 'PutObjectTagging'],
  ['PUT /bucket/key?tagging&versionId=x', 'PutObjectTagging'],
  ['GET /bucket/key?tagging', 'GetObjectTagging'],
  ['GET /bucket/key?versionId=x&tagging', 'GetObjectTagging'],
  ['DELETE /bucket/key?tagging', 'DeleteObjectTagging'],
  ['DELETE /bucket/key?tagging&versionId=x', 'DeleteObjectTagging'],
  ['PUT /bucket?tagging', 'PutBucketTagging'],
  ['GET /bucket?tagging', 'GetBucketTagging'],
  ['DELETE /bucket?tagging', 'DeleteBucketTagging'],
  ['POST /bucket/key?uploads', 'CreateMultipartUpload'],
  ['PUT /bucket/key?partNumber=1&uploadId=abc', 'UploadPart'],
  ['PUT /bucket/key?partNumber=1&uploadId=abc', 'UploadPartCopy', { 'x-amz-copy-source': '/src/key' }],
  ['POST /bucket/key?uploadId=abc', 'CompleteMultipartUpload'],
  ['DELETE /bucket/key?uploadId=abc', 'AbortMultipartUpload'],
  ['GET /bucket/key?uploadId=abc', 'ListParts'],
  ['PUT /bucket?metrics&id=ImportantBlueDocuments', 'PutBucketMetricsConfiguration'],
  ['GET /bucket?metrics&id=ImportantBlueDocuments', 'GetBucketMetricsConfiguration'],
  ['DELETE /bucket?metrics&id=ImportantBlueDocuments', 'DeleteBucketMetricsConfiguration'],
  ['GET /bucket?metrics', 'ListBucketMetricsConfigurations'],
  ['GET /bucket?metrics&continuation-token=bTE6YQ==', 'ListBucketMetricsConfigurations'],
  // without an id, Put and Delete still reach their operation, which answers InvalidArgument
  ['PUT /bucket?metrics', 'PutBucketMetricsConfiguration'],
  ['DELETE /bucket?metrics', 'DeleteBucketMetricsConfiguration'],
  // Tessera's own (docs/metrics.md)
  ['GET /bucket?tessera-stats', 'TesseraStorageStats'],
  ['GET /bucket?tessera-stats&by-tag=project', 'TesseraStorageStats'],
  ['PUT /bucket?tessera-stats', 'method-not-allowed'],
  ['GET /bucket/key?tessera-stats', 'not-implemented'],
  ['PUT /bucket?tessera-audit', 'TesseraPutBucketAuditConfiguration'],
  ['GET /bucket?tessera-audit', 'TesseraGetBucketAuditConfiguration'],
  ['DELETE /bucket?tessera-audit', 'TesseraDeleteBucketAuditConfiguration'],
  ['GET /bucket/key?tessera-audit', 'not-implemented'],
  ['POST /bucket?tessera-audit', 'method-not-allowed'],
  // never a fall-through to a plainer operation
  ['GET /bucket?torrent', 'not-implemented'],
  ['GET /bucket/key?torrent', 'not-implemented'],
  ['PUT /bucket?website', 'not-implemented'],
  ['POST /bucket/key', 'method-not-allowed'],
  ['PATCH /bucket/key', 'method-not-allowed'],
  ['POST /', 'method-not-allowed'],
  ['POST /bucket/key?tagging', 'method-not-allowed'],
  ['POST /bucket?metrics&id=a', 'method-not-allowed'],
  ['GET /bucket/key?metrics', 'not-implemented'],
];

describe('router: AWS request lines → operation', () => {
  for (const [line, expected, headers] of TABLE) {
    it(`${line}${headers ? ' ' + JSON.stringify(headers) : ''} → ${expected}`, () => {
      assert.equal(route(line, headers), expected);
    });
  }

  it('every operation name is unique and its route is well-formed', () => {
    const names = s3Operations.map((op) => op.name);
    assert.equal(new Set(names).size, names.length);
  });
});

describe('addressing', () => {
  it('keeps keys exactly', () => {
    assert.deepEqual(addressOf('/b/a//b', undefined), { bucket: 'b', key: 'a//b', addressing: 'path' });
    assert.deepEqual(addressOf('/b/..%2F..%2Fetc%2Fpasswd', undefined), { bucket: 'b', key: '../../etc/passwd', addressing: 'path' });
    assert.deepEqual(addressOf('/b/%E4%B8%AD%20x', undefined), { bucket: 'b', key: '中 x', addressing: 'path' });
    assert.deepEqual(addressOf('/b/dir/', undefined), { bucket: 'b', key: 'dir/', addressing: 'path' });
    assert.deepEqual(addressOf('/b/', undefined), { bucket: 'b', addressing: 'path' });
    assert.deepEqual(addressOf('/', undefined), { addressing: 'path' });
  });
  it('virtual-host style takes the bucket from the host', () => {
    assert.deepEqual(addressOf('/k/x', 'bkt'), { bucket: 'bkt', key: 'k/x', addressing: 'virtual-host' });
    assert.deepEqual(addressOf('/', 'bkt'), { bucket: 'bkt', addressing: 'virtual-host' });
  });
  it('rejects undecodable paths with InvalidURI', () => {
    assert.throws(() => addressOf('/b/%E4%B8', undefined), { code: 'InvalidURI' });
  });
  it('parses queries: flags, first value wins, plus is literal', () => {
    const q = parseQuery('tagging&versionId=a+b&x=1&x=2&e=');
    assert.equal(q.get('tagging'), '');
    assert.equal(q.get('versionId'), 'a+b');
    assert.equal(q.get('x'), '1');
    assert.equal(q.get('e'), '');
  });
});
