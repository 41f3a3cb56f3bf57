import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { S3Error } from '../../../src/errors/S3Error.js';
import { parseTagging, parseTaggingGeneric, renderTagging, renderTaggingGeneric } from '../../../src/s3/xml/shapes/Tagging.js';
import { parseTaggingFast, renderTaggingFast } from '../../../src/xml/taggingFastPath.js';

/** What the generic path answers: the tags, or the error code and message. */
function generic(doc: string): unknown {
  try {
    return parseTaggingGeneric(doc);
  } catch (e) {
    assert.ok(e instanceof S3Error, String(e));
    return { error: e.code, message: e.message };
  }
}

function viaParseTagging(doc: string): unknown {
  try {
    return parseTagging(doc);
  } catch (e) {
    assert.ok(e instanceof S3Error);
    return { error: e.code, message: e.message };
  }
}

const DECL = '<?xml version="1.0" encoding="UTF-8"?>';
const NS = ' xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';
const tagging = (inner: string, head = `${DECL}<Tagging${NS}>`): string => `${head}${inner}</Tagging>`;
const tag = (k: string, v: string): string => `<Tag><Key>${k}</Key><Value>${v}</Value></Tag>`;

// [name, document, whether the fast path must take it]
const DOCUMENTS: ReadonlyArray<[string, string, boolean]> = [
  ['four tags as SDKs send them', tagging(`<TagSet>${tag('a', '1')}${tag('b', '2')}${tag('c', '3')}${tag('d', '4')}</TagSet>`), true],
  ['no declaration, no namespace', `<Tagging><TagSet>${tag('k', 'v')}</TagSet></Tagging>`, true],
  ["single-quoted declaration", `<?xml version='1.0' encoding='UTF-8'?><Tagging><TagSet>${tag('k', 'v')}</TagSet></Tagging>`, true],
  ['declaration without encoding', `<?xml version="1.0"?><Tagging><TagSet>${tag('k', 'v')}</TagSet></Tagging>`, true],
  ['indented', `${DECL}\n<Tagging${NS}>\n  <TagSet>\n    <Tag>\n      <Key>k</Key>\n      <Value>v</Value>\n    </Tag>\n  </TagSet>\n</Tagging>\n`, true],
  ['CRLF indentation', `${DECL}\r\n<Tagging>\r\n <TagSet>\r\n  <Tag><Key>k</Key><Value>v</Value></Tag>\r\n </TagSet>\r\n</Tagging>\r\n`, true],
  ['Value before Key', tagging('<TagSet><Tag><Value>v</Value><Key>k</Key></Tag></TagSet>'), true],
  ['empty value', tagging(`<TagSet>${tag('k', '')}</TagSet>`), true],
  ['empty key', tagging(`<TagSet>${tag('', 'v')}</TagSet>`), true],
  ['spaces kept', tagging(`<TagSet>${tag(' k ', '  ')}</TagSet>`), true],
  ['Unicode', tagging(`<TagSet>${tag('中文', 'ü é ß')}${tag('😀', 'Ω≈ç√')}</TagSet>`), true],
  ['allowed punctuation', tagging(`<TagSet>${tag('a+b-c=d.e_f:g/h@i', 'x y')}</TagSet>`), true],
  ['quotes in text', tagging(`<TagSet>${tag('say "hi"', "it's")}</TagSet>`), true],
  ['empty TagSet', tagging('<TagSet></TagSet>'), true],
  ['TagSet of whitespace', tagging('<TagSet>  \n </TagSet>'), true],
  ['no TagSet', tagging(''), true],
  ['whitespace before the root', `  <Tagging><TagSet>${tag('k', 'v')}</TagSet></Tagging>`, false],
  // left to the generic path (each must still give the generic answer)
  ['entity references', tagging(`<TagSet>${tag('a&amp;b', '&lt;1&gt;')}</TagSet>`), false],
  ['numeric references', tagging(`<TagSet>${tag('&#20013;', '&#x1F600;')}</TagSet>`), false],
  ['an unknown entity', tagging(`<TagSet>${tag('a&foo;', 'v')}</TagSet>`), false],
  ['a bare ampersand', tagging(`<TagSet>${tag('a & b', 'v')}</TagSet>`), false],
  ['a bad character reference', tagging(`<TagSet>${tag('&#xD800;', 'v')}</TagSet>`), false],
  ['> in text', tagging(`<TagSet>${tag('a>b', 'v')}</TagSet>`), false],
  ['CR LF in text', tagging(`<TagSet>${tag('a\r\nb', 'v')}</TagSet>`), false],
  ['tab in text', tagging(`<TagSet>${tag('a\tb', 'v')}</TagSet>`), false],
  ['CDATA', tagging(`<TagSet>${tag('<![CDATA[x]]>', 'v')}</TagSet>`), false],
  ['a comment', tagging(`<!-- c --><TagSet>${tag('k', 'v')}</TagSet>`), false],
  ['self-closing Value', tagging('<TagSet><Tag><Key>k</Key><Value/></Tag></TagSet>'), false],
  ['self-closing TagSet', tagging('<TagSet/>'), false],
  ['self-closing root', '<Tagging/>', false],
  ['missing Value', tagging('<TagSet><Tag><Key>k</Key></Tag></TagSet>'), false],
  ['missing Key', tagging('<TagSet><Tag><Value>v</Value></Tag></TagSet>'), false],
  ['two Keys', tagging('<TagSet><Tag><Key>k</Key><Key>j</Key><Value>v</Value></Tag></TagSet>'), false],
  ['an unknown element', tagging(`<TagSet>${tag('k', 'v')}<Other/></TagSet>`), false],
  ['two TagSets', tagging(`<TagSet>${tag('k', 'v')}</TagSet><TagSet>${tag('j', 'w')}</TagSet>`), false],
  ['a prefixed root', `<s3:Tagging xmlns:s3="http://s3.amazonaws.com/doc/2006-03-01/"><s3:TagSet>${tag('k', 'v')}</s3:TagSet></s3:Tagging>`, false],
  ['another attribute', `<Tagging foo="bar"><TagSet>${tag('k', 'v')}</TagSet></Tagging>`, false],
  ['another root', `<Other><TagSet>${tag('k', 'v')}</TagSet></Other>`, false],
  ['unclosed', `<Tagging><TagSet>${tag('k', 'v')}</TagSet>`, false],
  ['mismatched close', `<Tagging><TagSet>${tag('k', 'v')}</Tagset></Tagging>`, false],
  ['text after the root', `<Tagging><TagSet>${tag('k', 'v')}</TagSet></Tagging>junk`, false],
  ['a DOCTYPE', `<!DOCTYPE x [<!ENTITY e "v">]><Tagging><TagSet>${tag('k', '&e;')}</TagSet></Tagging>`, false],
  ['not XML', 'key=value', false],
  ['empty', '', false],
  ['a byte-order mark', `\uFEFF<Tagging><TagSet>${tag('k', 'v')}</TagSet></Tagging>`, false],
  ['Unicode element name lookalike', tagging(`<TagSet><Tаg><Key>k</Key><Value>v</Value></Tаg></TagSet>`), false],
];

describe('Tagging fast path: parses exactly what the generic path parses', () => {
  for (const [name, doc, fast] of DOCUMENTS) {
    it(name, () => {
      const quick = parseTaggingFast(doc);
      if (fast) assert.notEqual(quick, undefined, 'the fast path should take this document');
      if (quick !== undefined) assert.deepEqual(quick, generic(doc));
      // whichever path answers, parseTagging answers as the generic path does (tags, or the same error)
      assert.deepEqual(viaParseTagging(doc), generic(doc));
      assert.deepEqual(parseTaggingFast(Buffer.from(doc)), quick);
    });
  }
});

describe('Tagging fast path: renders byte for byte what the generic path renders', () => {
  const every = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).join('');
  const sets: ReadonlyArray<[string, { key: string; value: string }[]]> = [
    ['no tags', []],
    ['four tags', [{ key: 'a', value: '1' }, { key: 'b', value: '2' }, { key: 'c', value: '3' }, { key: 'd', value: '4' }]],
    ['the five XML specials', [{ key: `&<>"'`, value: `'"><&` }]],
    ['every printable ASCII character', [{ key: every, value: every }]],
    ['whitespace and controls', [{ key: ' \t\n\r ', value: '' }]],
    ['Unicode, astral too', [{ key: '中文 ü', value: '😀 Ω \u00a0 \u2028' }]],
    ['already-escaped text is escaped again', [{ key: '&amp;', value: '&#20013;' }]],
  ];
  for (const [name, tags] of sets) {
    it(name, () => {
      assert.equal(renderTaggingFast(tags), renderTaggingGeneric(tags));
      assert.equal(renderTagging(tags), renderTaggingGeneric(tags));
      assert.deepEqual(generic(renderTaggingFast(tags)), generic(renderTaggingGeneric(tags)));
    });
  }
});
