import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { S3Error } from '../../../src/errors/S3Error.js';
import { parseCompleteMultipartUpload } from '../../../src/s3/xml/shapes/CompleteMultipartUpload.js';
import { renderCompleteMultipartUploadResult } from '../../../src/s3/xml/shapes/CompleteMultipartUploadResult.js';
import { renderCopyPartResult } from '../../../src/s3/xml/shapes/CopyPartResult.js';
import { renderInitiateMultipartUploadResult } from '../../../src/s3/xml/shapes/InitiateMultipartUploadResult.js';
import { renderListMultipartUploadsResult } from '../../../src/s3/xml/shapes/ListMultipartUploadsResult.js';
import { renderListPartsResult } from '../../../src/s3/xml/shapes/ListPartsResult.js';

const DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';
const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';
const malformed = (err: unknown) => err instanceof S3Error && err.code === 'MalformedXML';

describe('CompleteMultipartUpload (request)', () => {
  it('parses parts in document order, quoted or not, with checksums', () => {
    const body = `<?xml version="1.0" encoding="UTF-8"?>
<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Part><PartNumber>1</PartNumber><ETag>&quot;a54357aff0632cce46d942af68356b38&quot;</ETag><ChecksumCRC32>AAAAAQ==</ChecksumCRC32></Part>
  <Part><ETag>0c78aef83f66abc1fa1e8477f296d394</ETag><PartNumber>3</PartNumber></Part>
</CompleteMultipartUpload>`;
    assert.deepEqual(parseCompleteMultipartUpload(body), [
      { partNumber: 1, etag: '"a54357aff0632cce46d942af68356b38"', checksums: { CRC32: 'AAAAAQ==' } },
      { partNumber: 3, etag: '0c78aef83f66abc1fa1e8477f296d394', checksums: {} },
    ]);
  });

  it('a single part is still a list', () => {
    assert.equal(parseCompleteMultipartUpload('<CompleteMultipartUpload><Part><PartNumber>2</PartNumber><ETag>x</ETag></Part></CompleteMultipartUpload>').length, 1);
  });

  for (const [name, body] of [
    ['empty body', ''],
    ['no parts', '<CompleteMultipartUpload></CompleteMultipartUpload>'],
    ['not XML', 'parts please'],
    ['wrong root', '<CompleteMultipart><Part><PartNumber>1</PartNumber><ETag>x</ETag></Part></CompleteMultipart>'],
    ['unclosed', '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>x</ETag></Part>'],
    ['missing ETag', '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>'],
    ['missing PartNumber', '<CompleteMultipartUpload><Part><ETag>x</ETag></Part></CompleteMultipartUpload>'],
    ['non-numeric PartNumber', '<CompleteMultipartUpload><Part><PartNumber>one</PartNumber><ETag>x</ETag></Part></CompleteMultipartUpload>'],
  ] as const) {
    it(`${name} → MalformedXML`, () => assert.throws(() => parseCompleteMultipartUpload(body), malformed));
  }
});

describe('multipart response shapes (golden)', () => {
  it('InitiateMultipartUploadResult', () => {
    assert.equal(
      renderInitiateMultipartUploadResult({ bucket: 'b', key: 'a&b', uploadId: 'U' }),
      `${DECL}<InitiateMultipartUploadResult ${NS}><Bucket>b</Bucket><Key>a&amp;b</Key><UploadId>U</UploadId></InitiateMultipartUploadResult>`,
    );
  });

  it('CompleteMultipartUploadResult', () => {
    assert.equal(
      renderCompleteMultipartUploadResult({ location: 'http://h/b/k', bucket: 'b', key: 'k', etag: 'abc-2' }),
      `${DECL}<CompleteMultipartUploadResult ${NS}><Location>http://h/b/k</Location><Bucket>b</Bucket><Key>k</Key><ETag>&quot;abc-2&quot;</ETag></CompleteMultipartUploadResult>`,
    );
    assert.equal(
      renderCompleteMultipartUploadResult({
        location: 'http://h/b/k',
        bucket: 'b',
        key: 'k',
        etag: 'abc-2',
        checksum: { algorithm: 'SHA256', value: 'xyz=-2', type: 'COMPOSITE' },
      }),
      `${DECL}<CompleteMultipartUploadResult ${NS}><Location>http://h/b/k</Location><Bucket>b</Bucket><Key>k</Key><ETag>&quot;abc-2&quot;</ETag><ChecksumSHA256>xyz=-2</ChecksumSHA256><ChecksumType>COMPOSITE</ChecksumType></CompleteMultipartUploadResult>`,
    );
  });

  it('CopyPartResult', () => {
    assert.equal(
      renderCopyPartResult({ etag: 'e', lastModified: new Date('2024-01-02T03:04:05.000Z'), checksum: { algorithm: 'CRC32C', value: 'AAAAAA==' } }),
      `${DECL}<CopyPartResult ${NS}><ETag>&quot;e&quot;</ETag><LastModified>2024-01-02T03:04:05.000Z</LastModified><ChecksumCRC32C>AAAAAA==</ChecksumCRC32C></CopyPartResult>`,
    );
  });

  it('ListPartsResult', () => {
    assert.equal(
      renderListPartsResult({
        bucket: 'b',
        key: 'k',
        uploadId: 'U',
        partNumberMarker: 0,
        nextPartNumberMarker: 2,
        maxParts: 2,
        isTruncated: true,
        parts: [
          { partNumber: 1, lastModified: new Date('2024-01-01T00:00:00.000Z'), etag: 'e1', size: 5, checksum: { algorithm: 'CRC32', value: 'AAAAAQ==' } },
          { partNumber: 2, lastModified: new Date('2024-01-01T00:00:01.000Z'), etag: 'e2', size: 6 },
        ],
        initiator: { id: 'arn:aws:iam::111111111111:user/alice', displayName: 'alice' },
        owner: { id: 'c'.repeat(64), displayName: 'acme' },
        storageClass: 'STANDARD',
        checksumAlgorithm: 'CRC32',
        checksumType: 'COMPOSITE',
      }),
      `${DECL}<ListPartsResult ${NS}><Bucket>b</Bucket><Key>k</Key><UploadId>U</UploadId><PartNumberMarker>0</PartNumberMarker><NextPartNumberMarker>2</NextPartNumberMarker><MaxParts>2</MaxParts><IsTruncated>true</IsTruncated>` +
        `<Part><PartNumber>1</PartNumber><LastModified>2024-01-01T00:00:00.000Z</LastModified><ETag>&quot;e1&quot;</ETag><Size>5</Size><ChecksumCRC32>AAAAAQ==</ChecksumCRC32></Part>` +
        `<Part><PartNumber>2</PartNumber><LastModified>2024-01-01T00:00:01.000Z</LastModified><ETag>&quot;e2&quot;</ETag><Size>6</Size></Part>` +
        `<Initiator><ID>arn:aws:iam::111111111111:user/alice</ID><DisplayName>alice</DisplayName></Initiator><Owner><ID>${'c'.repeat(64)}</ID><DisplayName>acme</DisplayName></Owner>` +
        `<StorageClass>STANDARD</StorageClass><ChecksumAlgorithm>CRC32</ChecksumAlgorithm><ChecksumType>COMPOSITE</ChecksumType></ListPartsResult>`,
    );
  });

  it('ListMultipartUploadsResult', () => {
    const owner = { id: 'o', displayName: 'acme' };
    assert.equal(
      renderListMultipartUploadsResult({
        bucket: 'b',
        keyMarker: '',
        uploadIdMarker: '',
        nextKeyMarker: 'k',
        prefix: '',
        delimiter: '/',
        nextUploadIdMarker: 'U',
        maxUploads: 1,
        isTruncated: true,
        uploads: [{ key: 'k', uploadId: 'U', initiator: owner, owner, storageClass: 'STANDARD', initiated: new Date('2024-01-01T00:00:00.000Z') }],
        commonPrefixes: ['p/'],
      }),
      `${DECL}<ListMultipartUploadsResult ${NS}><Bucket>b</Bucket><KeyMarker></KeyMarker><UploadIdMarker></UploadIdMarker><NextKeyMarker>k</NextKeyMarker><Prefix></Prefix><Delimiter>/</Delimiter><NextUploadIdMarker>U</NextUploadIdMarker><MaxUploads>1</MaxUploads><IsTruncated>true</IsTruncated>` +
        `<Upload><Key>k</Key><UploadId>U</UploadId><Initiator><ID>o</ID><DisplayName>acme</DisplayName></Initiator><Owner><ID>o</ID><DisplayName>acme</DisplayName></Owner><StorageClass>STANDARD</StorageClass><Initiated>2024-01-01T00:00:00.000Z</Initiated></Upload>` +
        `<CommonPrefixes><Prefix>p/</Prefix></CommonPrefixes></ListMultipartUploadsResult>`,
    );
  });

  it('empty lists render no elements', () => {
    const xml = renderListMultipartUploadsResult({
      bucket: 'b',
      keyMarker: '',
      uploadIdMarker: '',
      prefix: '',
      maxUploads: 1000,
      isTruncated: false,
      uploads: [],
      commonPrefixes: [],
    });
    assert.doesNotMatch(xml, /<Upload>|<CommonPrefixes>|<NextKeyMarker>/);
  });
});
