import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderCopyObjectResult } from '../../../src/s3/xml/shapes/CopyObjectResult.js';
import { parseDeleteRequest, renderDeleteResult } from '../../../src/s3/xml/shapes/DeleteObjects.js';

const HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';
const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';

describe('DeleteObjects shapes', () => {
  it('parses keys, version ids and quiet', () => {
    const body = `<?xml version="1.0" encoding="UTF-8"?>
<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Quiet>true</Quiet>
  <Object><Key>a &amp; b</Key></Object>
  <Object><Key> spaced </Key><VersionId>null</VersionId><ETag>"x"</ETag></Object>
</Delete>`;
    assert.deepEqual(parseDeleteRequest(body), {
      quiet: true,
      objects: [{ key: 'a & b' }, { key: ' spaced ', versionId: 'null' }],
    });
    assert.equal(parseDeleteRequest('<Delete><Object><Key>k</Key></Object></Delete>').quiet, false);
  });
  it('refuses documents that do not fit', () => {
    for (const body of [
      '<Delete></Delete>',
      '<Delete><Object><VersionId>x</VersionId></Object></Delete>',
      '<Delete><Object><Key></Key></Object></Delete>',
      '<Delete><Quiet>maybe</Quiet><Object><Key>k</Key></Object></Delete>',
      '<Remove><Object><Key>k</Key></Object></Remove>',
      '<Delete><Object><Key>k</Key></Object>',
      `<Delete>${'<Object><Key>k</Key></Object>'.repeat(1001)}</Delete>`,
    ]) {
      assert.throws(() => parseDeleteRequest(body), { code: 'MalformedXML' }, body.slice(0, 60));
    }
    assert.equal(parseDeleteRequest(`<Delete>${'<Object><Key>k</Key></Object>'.repeat(1000)}</Delete>`).objects.length, 1000);
  });
  it('renders Deleted and Error entries (golden)', () => {
    const xml = renderDeleteResult(
      [
        { key: 'a' },
        { key: 'b', deleteMarker: true, deleteMarkerVersionId: 'v1' },
        { key: 'c<>', versionId: 'v2' },
      ],
      [{ key: 'd', versionId: 'bad', code: 'NoSuchVersion', message: 'The specified version does not exist.' }],
    );
    assert.equal(
      xml,
      HEAD +
        `<DeleteResult ${NS}>` +
        '<Deleted><Key>a</Key></Deleted>' +
        '<Deleted><Key>b</Key><DeleteMarker>true</DeleteMarker><DeleteMarkerVersionId>v1</DeleteMarkerVersionId></Deleted>' +
        '<Deleted><Key>c&lt;&gt;</Key><VersionId>v2</VersionId></Deleted>' +
        '<Error><Key>d</Key><VersionId>bad</VersionId><Code>NoSuchVersion</Code><Message>The specified version does not exist.</Message></Error>' +
        '</DeleteResult>',
    );
  });
  it('renders an empty result for quiet successes', () => {
    assert.equal(renderDeleteResult([], []), HEAD + `<DeleteResult ${NS}></DeleteResult>`);
  });
});

describe('CopyObjectResult', () => {
  it('renders ETag, LastModified and the checksum (golden)', () => {
    assert.equal(
      renderCopyObjectResult({
        etag: 'abc-2',
        lastModified: new Date('2024-05-01T12:00:00.123Z'),
        checksum: { algorithm: 'CRC32', value: 'AAAAAA==', type: 'FULL_OBJECT' },
      }),
      HEAD +
        `<CopyObjectResult ${NS}><ETag>&quot;abc-2&quot;</ETag><LastModified>2024-05-01T12:00:00.123Z</LastModified>` +
        '<ChecksumType>FULL_OBJECT</ChecksumType><ChecksumCRC32>AAAAAA==</ChecksumCRC32></CopyObjectResult>',
    );
  });
});
