import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  contentHeadersFromRequest,
  isStorageClass,
  storedContentEncoding,
  userMetadataFromHeaders,
  userMetadataSize,
} from '../../../src/core/objects/metadata.js';
import { isWellFormedVersionId } from '../../../src/core/objects/versionIdFormat.js';
import { newVersionId } from '../../../src/core/objects/versioning.js';
import { newUploadId } from '../../../src/core/objects/multipart/uploadId.js';

describe('user metadata', () => {
  it('takes x-amz-meta-* headers without the prefix', () => {
    assert.deepEqual(
      userMetadataFromHeaders({ 'x-amz-meta-color': 'blue', 'x-amz-meta-': 'x', 'content-type': 'a/b', 'x-amz-meta-list': ['a', 'b'] }),
      { color: 'blue', list: 'a,b' },
    );
  });
  it('counts names and values in wire bytes', () => {
    assert.equal(userMetadataSize({ ab: 'cde' }), 5);
    // "é" in UTF-8 arrives from Node as two latin1 characters
    assert.equal(userMetadataSize({ k: Buffer.from('é', 'utf8').toString('latin1') }), 3);
  });
});

describe('content headers', () => {
  it('strips aws-chunked from Content-Encoding', () => {
    assert.equal(storedContentEncoding('aws-chunked'), undefined);
    assert.equal(storedContentEncoding('aws-chunked,gzip'), 'gzip');
    assert.equal(storedContentEncoding('gzip, aws-chunked'), 'gzip');
    assert.equal(storedContentEncoding('AWS-CHUNKED, br'), 'br');
    assert.equal(storedContentEncoding('gzip'), 'gzip');
    assert.equal(storedContentEncoding(undefined), undefined);
  });
  it('defaults Content-Type to binary/octet-stream', () => {
    assert.deepEqual(contentHeadersFromRequest(() => undefined), { contentType: 'binary/octet-stream' });
    const h: Record<string, string> = {
      'content-type': 'text/plain',
      'content-encoding': 'aws-chunked',
      'content-disposition': 'attachment',
      'content-language': 'fr',
      'cache-control': 'no-cache',
      expires: 'Thu, 01 Dec 1994 16:00:00 GMT',
    };
    assert.deepEqual(contentHeadersFromRequest((n) => h[n]), {
      contentType: 'text/plain',
      contentDisposition: 'attachment',
      contentLanguage: 'fr',
      cacheControl: 'no-cache',
      expires: 'Thu, 01 Dec 1994 16:00:00 GMT',
    });
  });
});

describe('storage classes and version ids', () => {
  it('knows the S3 storage classes', () => {
    for (const c of ['STANDARD', 'REDUCED_REDUNDANCY', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER', 'DEEP_ARCHIVE', 'GLACIER_IR', 'OUTPOSTS', 'SNOW', 'EXPRESS_ONEZONE']) {
      assert.equal(isStorageClass(c), true, c);
    }
    assert.equal(isStorageClass('standard'), false);
    assert.equal(isStorageClass('COLD'), false);
  });
  it('accepts minted ids and null only', () => {
    assert.equal(isWellFormedVersionId(newVersionId()), true);
    assert.equal(isWellFormedVersionId('null'), true);
    assert.equal(isWellFormedVersionId('abc'), false);
    assert.equal(isWellFormedVersionId(''), false);
    assert.equal(isWellFormedVersionId(newVersionId() + 'x'), false);
  });
  it('version and upload ids never start with "-" (command lines would read them as options)', () => {
    for (let i = 0; i < 3000; i++) {
      assert.match(newVersionId(), /^[A-Za-z0-9]/);
      assert.match(newUploadId(), /^[A-Za-z0-9]/);
    }
  });
});
