import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ObjectVersion } from '../../../src/core/objects/ObjectVersion.js';
import { renderListObjectsResult, renderListObjectsV2Result } from '../../../src/s3/xml/shapes/ListBucketResult.js';
import { renderListVersionsResult } from '../../../src/s3/xml/shapes/ListVersionsResult.js';

const DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';
const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';

function version(key: string, over: Partial<ObjectVersion> = {}): ObjectVersion {
  return {
    bucket: 'b',
    key,
    versionId: 'null',
    seq: 1,
    isLatest: true,
    isDeleteMarker: false,
    lastModified: new Date('2024-05-06T07:08:09.123Z'),
    ownerAccountId: '111122223333',
    size: 3,
    etag: '900150983cd24fb0d6963f7d28e17f72',
    storageClass: 'STANDARD',
    contentHeaders: {},
    userMetadata: {},
    segments: [],
    tagCount: 0,
    ...over,
  };
}

const owner = { id: 'c'.repeat(64), displayName: 'root' };

describe('ListBucketResult (ListObjects v1)', () => {
  it('renders Contents with quoted ETag, ms timestamps, checksum, Owner; CommonPrefixes; NextMarker', () => {
    const xml = renderListObjectsResult({
      bucket: 'bkt',
      prefix: '',
      marker: '',
      nextMarker: 'p/',
      maxKeys: 2,
      delimiter: '/',
      encodingType: undefined,
      isTruncated: true,
      objects: [{ version: version('a&b', { checksum: { algorithm: 'CRC32', value: 'AAAAAA==', type: 'FULL_OBJECT' } }), owner }],
      commonPrefixes: ['p/'],
    });
    assert.equal(
      xml,
      `${DECL}<ListBucketResult ${NS}><Name>bkt</Name><Prefix></Prefix><Marker></Marker><NextMarker>p/</NextMarker><MaxKeys>2</MaxKeys>` +
        '<Delimiter>/</Delimiter><IsTruncated>true</IsTruncated><Contents><Key>a&amp;b</Key><LastModified>2024-05-06T07:08:09.123Z</LastModified>' +
        '<ETag>&quot;900150983cd24fb0d6963f7d28e17f72&quot;</ETag><ChecksumAlgorithm>CRC32</ChecksumAlgorithm><ChecksumType>FULL_OBJECT</ChecksumType>' +
        `<Size>3</Size><Owner><ID>${'c'.repeat(64)}</ID><DisplayName>root</DisplayName></Owner><StorageClass>STANDARD</StorageClass></Contents>` +
        '<CommonPrefixes><Prefix>p/</Prefix></CommonPrefixes></ListBucketResult>',
    );
  });

  it('URL-encodes key-like fields with encoding-type=url', () => {
    const xml = renderListObjectsResult({
      bucket: 'bkt',
      prefix: 'a b',
      marker: 'a b+c',
      nextMarker: 'a b/x y/',
      maxKeys: 1000,
      delimiter: '/',
      encodingType: 'url',
      isTruncated: true,
      objects: [{ version: version('a b+\n') }],
      commonPrefixes: ['a b/x y/'],
    });
    assert.match(xml, /<Prefix>a%20b<\/Prefix><Marker>a%20b%2Bc<\/Marker><NextMarker>a%20b\/x%20y\/<\/NextMarker>/);
    assert.match(xml, /<Delimiter>\/<\/Delimiter><EncodingType>url<\/EncodingType>/);
    assert.match(xml, /<Key>a%20b%2B%0A<\/Key>/);
    assert.match(xml, /<CommonPrefixes><Prefix>a%20b\/x%20y\/<\/Prefix><\/CommonPrefixes>/);
    assert.doesNotMatch(xml, /<Owner>/);
  });
});

describe('ListBucketResult (ListObjectsV2)', () => {
  it('renders tokens unencoded, KeyCount, StartAfter, and no Owner unless given', () => {
    const xml = renderListObjectsV2Result({
      bucket: 'bkt',
      prefix: '',
      continuationToken: 'b2E6YQ==',
      nextContinuationToken: 'b2E6Yg==',
      startAfter: 'a b',
      keyCount: 1,
      maxKeys: 1,
      delimiter: undefined,
      encodingType: 'url',
      isTruncated: true,
      objects: [{ version: version('b') }],
      commonPrefixes: [],
    });
    assert.equal(
      xml,
      `${DECL}<ListBucketResult ${NS}><Name>bkt</Name><Prefix></Prefix><ContinuationToken>b2E6YQ==</ContinuationToken>` +
        '<NextContinuationToken>b2E6Yg==</NextContinuationToken><KeyCount>1</KeyCount><MaxKeys>1</MaxKeys><StartAfter>a%20b</StartAfter>' +
        '<EncodingType>url</EncodingType><IsTruncated>true</IsTruncated><Contents><Key>b</Key><LastModified>2024-05-06T07:08:09.123Z</LastModified>' +
        '<ETag>&quot;900150983cd24fb0d6963f7d28e17f72&quot;</ETag><Size>3</Size><StorageClass>STANDARD</StorageClass></Contents></ListBucketResult>',
    );
  });
});

describe('ListVersionsResult', () => {
  it('interleaves Version and DeleteMarker entries in listing order', () => {
    const xml = renderListVersionsResult({
      bucket: 'bkt',
      prefix: '',
      keyMarker: '',
      versionIdMarker: '',
      nextKeyMarker: 'b',
      nextVersionIdMarker: 'v1',
      maxKeys: 3,
      delimiter: undefined,
      encodingType: undefined,
      isTruncated: true,
      versions: [
        { version: version('a', { versionId: 'v3', isDeleteMarker: true, size: 0 }), owner },
        { version: version('a', { versionId: 'v2', isLatest: false }), owner },
        { version: version('b', { versionId: 'v1' }), owner },
      ],
      commonPrefixes: [],
    });
    const o = `<Owner><ID>${'c'.repeat(64)}</ID><DisplayName>root</DisplayName></Owner>`;
    assert.equal(
      xml,
      `${DECL}<ListVersionsResult ${NS}><Name>bkt</Name><Prefix></Prefix><KeyMarker></KeyMarker><VersionIdMarker></VersionIdMarker>` +
        '<NextKeyMarker>b</NextKeyMarker><NextVersionIdMarker>v1</NextVersionIdMarker><MaxKeys>3</MaxKeys><IsTruncated>true</IsTruncated>' +
        `<DeleteMarker><Key>a</Key><VersionId>v3</VersionId><IsLatest>true</IsLatest><LastModified>2024-05-06T07:08:09.123Z</LastModified>${o}</DeleteMarker>` +
        '<Version><Key>a</Key><VersionId>v2</VersionId><IsLatest>false</IsLatest><LastModified>2024-05-06T07:08:09.123Z</LastModified>' +
        `<ETag>&quot;900150983cd24fb0d6963f7d28e17f72&quot;</ETag><Size>3</Size>${o}<StorageClass>STANDARD</StorageClass></Version>` +
        '<Version><Key>b</Key><VersionId>v1</VersionId><IsLatest>true</IsLatest><LastModified>2024-05-06T07:08:09.123Z</LastModified>' +
        `<ETag>&quot;900150983cd24fb0d6963f7d28e17f72&quot;</ETag><Size>3</Size>${o}<StorageClass>STANDARD</StorageClass></Version>` +
        '</ListVersionsResult>',
    );
  });

  it('renders common prefixes and URL-encodes markers, keys and prefixes, never version ids', () => {
    const xml = renderListVersionsResult({
      bucket: 'bkt',
      prefix: 'x y',
      keyMarker: 'x y+',
      versionIdMarker: 'null',
      nextKeyMarker: undefined,
      nextVersionIdMarker: undefined,
      maxKeys: 1000,
      delimiter: '/',
      encodingType: 'url',
      isTruncated: false,
      versions: [{ version: version('x y+z'), owner }],
      commonPrefixes: ['x y/'],
    });
    assert.match(xml, /<Prefix>x%20y<\/Prefix><KeyMarker>x%20y%2B<\/KeyMarker><VersionIdMarker>null<\/VersionIdMarker>/);
    assert.match(xml, /<Key>x%20y%2Bz<\/Key><VersionId>null<\/VersionId>/);
    assert.match(xml, /<CommonPrefixes><Prefix>x%20y\/<\/Prefix><\/CommonPrefixes><\/ListVersionsResult>$/);
    assert.doesNotMatch(xml, /NextKeyMarker/);
  });
});
