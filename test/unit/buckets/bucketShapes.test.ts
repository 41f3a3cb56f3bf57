import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { S3Error } from '../../../src/errors/S3Error.js';
import { parseCreateBucketConfiguration } from '../../../src/s3/xml/shapes/CreateBucketConfiguration.js';
import { renderListAllMyBucketsResult } from '../../../src/s3/xml/shapes/ListAllMyBucketsResult.js';
import { renderLocationConstraint } from '../../../src/s3/xml/shapes/LocationConstraint.js';
import { parseVersioningConfiguration, renderVersioningConfiguration } from '../../../src/s3/xml/shapes/VersioningConfiguration.js';

const DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';
const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';
const isCode = (c: string) => (e: unknown) => e instanceof S3Error && e.code === c;

describe('CreateBucketConfiguration', () => {
  it('is optional', () => {
    assert.deepEqual(parseCreateBucketConfiguration(Buffer.alloc(0)), { locationConstraint: undefined, tags: undefined });
    assert.deepEqual(parseCreateBucketConfiguration(Buffer.from('\n ')), { locationConstraint: undefined, tags: undefined });
  });
  it('reads LocationConstraint and Tags', () => {
    const body = `<CreateBucketConfiguration ${NS}><LocationConstraint>eu-west-1</LocationConstraint>` +
      '<Tags><Tag><Key>k</Key><Value>v</Value></Tag></Tags></CreateBucketConfiguration>';
    assert.deepEqual(parseCreateBucketConfiguration(Buffer.from(body)), { locationConstraint: 'eu-west-1', tags: [{ key: 'k', value: 'v' }] });
    assert.deepEqual(parseCreateBucketConfiguration(Buffer.from('<CreateBucketConfiguration><LocationConstraint/></CreateBucketConfiguration>')), {
      locationConstraint: '',
      tags: undefined,
    });
  });
  it('refuses other documents and directory-bucket settings', () => {
    assert.throws(() => parseCreateBucketConfiguration(Buffer.from('<Other/>')), isCode('MalformedXML'));
    assert.throws(() => parseCreateBucketConfiguration(Buffer.from('<CreateBucketConfiguration>')), isCode('MalformedXML'));
    assert.throws(
      () => parseCreateBucketConfiguration(Buffer.from('<CreateBucketConfiguration><Bucket><Type>Directory</Type></Bucket></CreateBucketConfiguration>')),
      isCode('NotImplemented'),
    );
  });
});

describe('VersioningConfiguration', () => {
  it('parses Status and MfaDelete', () => {
    assert.deepEqual(parseVersioningConfiguration(`<VersioningConfiguration ${NS}><Status>Enabled</Status></VersioningConfiguration>`), {
      status: 'Enabled',
      mfaDelete: undefined,
    });
    assert.deepEqual(parseVersioningConfiguration('<VersioningConfiguration><MfaDelete>Disabled</MfaDelete><Status>Suspended</Status></VersioningConfiguration>'), {
      status: 'Suspended',
      mfaDelete: 'Disabled',
    });
  });
  it('refuses other values and broken documents with MalformedXML', () => {
    for (const body of ['<VersioningConfiguration><Status>On</Status></VersioningConfiguration>', '<VersioningConfiguration><Status>enabled</Status></VersioningConfiguration>', '<Versioning/>', 'x']) {
      assert.throws(() => parseVersioningConfiguration(body), isCode('MalformedXML'), body);
    }
  });
  it('renders an empty configuration for a never-versioned bucket', () => {
    assert.equal(renderVersioningConfiguration('Unversioned'), `${DECL}<VersioningConfiguration ${NS}></VersioningConfiguration>`);
    assert.equal(renderVersioningConfiguration('Suspended'), `${DECL}<VersioningConfiguration ${NS}><Status>Suspended</Status></VersioningConfiguration>`);
  });
});

describe('LocationConstraint', () => {
  it('is empty for us-east-1, the region otherwise', () => {
    assert.equal(renderLocationConstraint('us-east-1'), `${DECL}<LocationConstraint ${NS}></LocationConstraint>`);
    assert.equal(renderLocationConstraint('eu-west-1'), `${DECL}<LocationConstraint ${NS}>eu-west-1</LocationConstraint>`);
  });
});

describe('ListAllMyBucketsResult', () => {
  it('renders buckets, owner, token and prefix', () => {
    const xml = renderListAllMyBucketsResult({
      buckets: [{ name: 'b1', createdAt: new Date('2024-01-02T03:04:05.006Z'), region: 'us-east-1' }],
      owner: { id: 'abc', displayName: 'root' },
      continuationToken: 'YjE6YjE=',
      prefix: 'b',
    });
    assert.equal(
      xml,
      `${DECL}<ListAllMyBucketsResult ${NS}><Buckets><Bucket><Name>b1</Name><CreationDate>2024-01-02T03:04:05.006Z</CreationDate>` +
        '<BucketRegion>us-east-1</BucketRegion></Bucket></Buckets><Owner><ID>abc</ID><DisplayName>root</DisplayName></Owner>' +
        '<ContinuationToken>YjE6YjE=</ContinuationToken><Prefix>b</Prefix></ListAllMyBucketsResult>',
    );
  });
  it('renders an empty Buckets element when there are none', () => {
    assert.match(renderListAllMyBucketsResult({ buckets: [], owner: { id: 'abc' } }), /<Buckets><\/Buckets><Owner><ID>abc<\/ID><\/Owner>/);
  });
});
