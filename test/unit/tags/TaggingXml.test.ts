import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { S3Error } from '../../../src/errors/S3Error.js';
import { parseTagging, parseTaggingFormField, renderTagging } from '../../../src/s3/xml/shapes/Tagging.js';

function isMalformed(e: unknown): boolean {
  return e instanceof S3Error && e.code === 'MalformedXML';
}

describe('Tagging XML shape', () => {
  it('renders the golden document', () => {
    assert.equal(
      renderTagging([
        { key: 'a&b', value: '<1>' },
        { key: '中', value: '' },
      ]),
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        '<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet>' +
        '<Tag><Key>a&amp;b</Key><Value>&lt;1&gt;</Value></Tag>' +
        '<Tag><Key>中</Key><Value></Value></Tag>' +
        '</TagSet></Tagging>',
    );
  });

  it('renders an empty set', () => {
    assert.equal(
      renderTagging([]),
      '<?xml version="1.0" encoding="UTF-8"?>\n<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet></TagSet></Tagging>',
    );
  });

  it('parses what it renders', () => {
    const tags = [
      { key: 'a&b', value: ' spaced ' },
      { key: 'x', value: '' },
    ];
    assert.deepEqual(parseTagging(renderTagging(tags)), tags);
  });

  const parsed: ReadonlyArray<[string, string, Array<[string, string]>]> = [
    ['one tag, no namespace', '<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tagging>', [['k', 'v']]],
    [
      'indented, with declaration and namespace',
      '<?xml version="1.0" encoding="UTF-8"?>\n<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/">\n  <TagSet>\n    <Tag>\n      <Key>k</Key>\n      <Value>v</Value>\n    </Tag>\n  </TagSet>\n</Tagging>',
      [['k', 'v']],
    ],
    ['empty TagSet', '<Tagging><TagSet></TagSet></Tagging>', []],
    ['self-closed TagSet', '<Tagging><TagSet/></Tagging>', []],
    ['no TagSet (AWS clears the tags)', '<Tagging></Tagging>', []],
    ['empty key and value elements', '<Tagging><TagSet><Tag><Key></Key><Value/></Tag></TagSet></Tagging>', [['', '']]],
    ['Value before Key', '<Tagging><TagSet><Tag><Value>v</Value><Key>k</Key></Tag></TagSet></Tagging>', [['k', 'v']]],
    ['entities', '<Tagging><TagSet><Tag><Key>a&lt;b</Key><Value>&amp;</Value></Tag></TagSet></Tagging>', [['a<b', '&']]],
    [
      'keeps order and repeats (validation rejects duplicates later)',
      '<Tagging><TagSet><Tag><Key>b</Key><Value>1</Value></Tag><Tag><Key>b</Key><Value>2</Value></Tag></TagSet></Tagging>',
      [['b', '1'], ['b', '2']],
    ],
  ];
  for (const [name, body, expected] of parsed) {
    it(`parses: ${name}`, () => {
      assert.deepEqual(parseTagging(body).map((t) => [t.key, t.value]), expected);
    });
  }

  const malformed: ReadonlyArray<[string, string]> = [
    ['not XML', 'not xml'],
    ['empty', ''],
    ['unclosed', '<Tagging><TagSet></Tagging>'],
    ['another root', '<Tags><TagSet/></Tags>'],
    ['Tag without Value', '<Tagging><TagSet><Tag><Key>k</Key></Tag></TagSet></Tagging>'],
    ['Tag without Key', '<Tagging><TagSet><Tag><Value>v</Value></Tag></TagSet></Tagging>'],
    ['empty Tag', '<Tagging><TagSet><Tag></Tag></TagSet></Tagging>'],
    ['two Keys', '<Tagging><TagSet><Tag><Key>a</Key><Key>b</Key><Value>v</Value></Tag></TagSet></Tagging>'],
    ['Key with children', '<Tagging><TagSet><Tag><Key><x/></Key><Value>v</Value></Tag></TagSet></Tagging>'],
    ['two TagSets', '<Tagging><TagSet/><TagSet/></Tagging>'],
    ['entity declaration', '<!DOCTYPE Tagging [<!ENTITY e "x">]><Tagging><TagSet/></Tagging>'],
  ];
  for (const [name, body] of malformed) {
    it(`rejects ${name} with MalformedXML`, () => assert.throws(() => parseTagging(body), isMalformed));
  }
});

describe('Tagging in a POST form field', () => {
  it('parses a Tagging document', () => {
    assert.deepEqual(
      parseTaggingFormField('<Tagging><TagSet><Tag><Key>TagName</Key><Value>TagValue</Value></Tag></TagSet></Tagging>'),
      [{ key: 'TagName', value: 'TagValue' }],
    );
  });
  it('ignores a well-formed document with another root, as AWS does', () => {
    assert.deepEqual(parseTaggingFormField('<InvalidXmlTagging></InvalidXmlTagging>'), []);
    assert.deepEqual(parseTaggingFormField('<?xml version="1.0"?><x:Other xmlns:x="urn:x"><a/></x:Other>'), []);
  });
  for (const text of ['not-xml', '<InvalidXmlTagging>', '<Tagging><TagSet><Tag><Key>k</Key></Tag></TagSet></Tagging>', '']) {
    it(`rejects ${JSON.stringify(text)} with MalformedXML`, () => assert.throws(() => parseTaggingFormField(text), isMalformed));
  }
});
