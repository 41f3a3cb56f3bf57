import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { S3Error } from '../../src/errors/S3Error.js';
import { S3_ERRORS } from '../../src/errors/s3Errors.js';
import { parseXml, renderXml, xml } from '../../src/xml/codec.js';
import { renderError } from '../../src/s3/xml/shapes/Error.js';

describe('XML codec', () => {
  it('renders with the S3 namespace, escaping text', () => {
    assert.equal(
      renderXml('R', { A: 'x<&>"y', B: [{ C: '1' }, { C: '2' }], D: undefined, E: 3, F: true }),
      '<?xml version="1.0" encoding="UTF-8"?>\n<R xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><A>x&lt;&amp;&gt;&quot;y</A><B><C>1</C></B><B><C>2</C></B><E>3</E><F>true</F></R>',
    );
  });
  it('parses declared arrays, keeps text untrimmed, decodes entities', () => {
    const doc = parseXml(
      '<?xml version="1.0"?>\n<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/">\n  <TagSet>\n    <Tag><Key> a&amp;b </Key><Value></Value></Tag>\n  </TagSet>\n</Tagging>',
      'Tagging',
      ['Tagging.TagSet.Tag'],
    );
    const tags = xml.children(xml.child(doc, 'TagSet') ?? {}, 'Tag');
    assert.equal(tags.length, 1);
    assert.equal(xml.text(tags[0] ?? {}, 'Key'), ' a&b ');
    assert.equal(xml.text(tags[0] ?? {}, 'Value'), '');
  });
  it('decodes numeric character references in one pass', () => {
    const doc = parseXml('<T><K>&#20013;&#x4E2D;&amp;#20013;&#13;&lt;</K></T>', 'T');
    assert.equal(doc.K, '中中&#20013;\r<');
  });
  const malformed = [
    '',
    'not xml',
    '<Tagging><TagSet></Tagging>',
    '<Other/>',
    '<!DOCTYPE x [<!ENTITY e "boom">]><Tagging>&e;</Tagging>',
    '<Tagging/><Tagging/>',
  ];
  for (const body of malformed) {
    it(`rejects ${JSON.stringify(body).slice(0, 40)} with MalformedXML`, () => {
      assert.throws(() => parseXml(body, 'Tagging'), (e: unknown) => e instanceof S3Error && e.code === 'MalformedXML');
    });
  }
  it('renders the S3 error body', () => {
    const body = renderError(new S3Error('NoSuchKey', { details: { Key: 'a/b' } }), '/bkt/a/b', 'REQ1', 'HOST');
    assert.equal(
      body,
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>a/b</Key><Resource>/bkt/a/b</Resource><RequestId>REQ1</RequestId><HostId>HOST</HostId></Error>',
    );
  });
});

describe('error catalogue', () => {
  it('maps every code to a 3xx-5xx status and a message', () => {
    for (const [code, { status, message }] of Object.entries(S3_ERRORS)) {
      assert.ok(status >= 300 && status < 600, code);
      assert.ok(message.length > 0, code);
    }
  });
  it('S3Error takes status and message from the catalogue', () => {
    const e = new S3Error('NoSuchBucket');
    assert.equal(e.status, 404);
    assert.equal(e.message, 'The specified bucket does not exist');
    assert.equal(new S3Error('InvalidTag', { message: 'Object tags cannot be greater than 10' }).message, 'Object tags cannot be greater than 10');
  });
});
