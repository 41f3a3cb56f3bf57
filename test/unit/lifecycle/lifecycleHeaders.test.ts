import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { abortDate, abortHeaders, expirationHeader } from '../../../src/core/lifecycle/lifecycleHeaders.js';
import type { Tag } from '../../../src/core/tags/Tag.js';
import { rulesOf } from './support.js';

const expire = (id: string, filter: string, days = 7): string =>
  `<ID>${id}</ID>${filter}<Status>Enabled</Status><Expiration><Days>${days}</Days></Expiration>`;
const object = (key: string, size = 4, tags: Tag[] = [], lastModified = new Date('2026-03-10T15:00:00Z')) => ({ key, size, tags, lastModified });
const ruleIdOf = (header: string | undefined): string | undefined => (header === undefined ? undefined : /rule-id="(.*)"$/.exec(header)?.[1]);

describe('x-amz-expiration', () => {
  it("has S3's form: the HTTP date of the midnight it expires, and the rule ID as it is", () => {
    const rules = rulesOf(expire('Rule for testfile.txt', '<Filter/>', 1));
    assert.equal(
      expirationHeader(rules, object('testfile.txt', 4, [], new Date('2012-12-19T08:00:00Z'))),
      'expiry-date="Fri, 21 Dec 2012 00:00:00 GMT", rule-id="Rule for testfile.txt"',
    );
  });

  it('several rules of one day: the first listed (LocalStack, validated against S3)', () => {
    const rules = rulesOf(
      expire('rule_one', '<Filter><Prefix>testobject</Prefix></Filter>'),
      expire('rule_two', '<Filter><Prefix>test</Prefix></Filter>'),
      expire('rule_three', '<Filter><Prefix>t</Prefix></Filter>'),
    );
    const cases: ReadonlyArray<[string, string | undefined]> = [
      ['testobject-expiry', 'rule_one'],
      ['test-one-rule', 'rule_two'],
      ['t', 'rule_three'],
      ['no-rules', undefined],
    ];
    for (const [key, rule] of cases) assert.equal(ruleIdOf(expirationHeader(rules, object(key))), rule, key);
  });

  it('the earliest expiration wins, whichever rule is first', () => {
    const rules = rulesOf(
      expire('long', '<Filter/>', 30),
      `<ID>dated</ID><Filter/><Status>Enabled</Status><Expiration><Date>2026-03-15T00:00:00Z</Date></Expiration>`,
      expire('short', '<Filter/>', 3),
    );
    assert.equal(expirationHeader(rules, object('k')), 'expiry-date="Sat, 14 Mar 2026 00:00:00 GMT", rule-id="short"');
  });

  it('tag rules (LocalStack): a tag must match key and value, other tags do not matter', () => {
    const rules = rulesOf(
      expire('rule_one', '<Filter><Tag><Key>testlifecycle</Key><Value>positive</Value></Tag></Filter>'),
      expire(
        'rule_two',
        '<Filter><And><Tag><Key>testlifecycle</Key><Value>positive</Value></Tag><Tag><Key>testlifecycletwo</Key><Value>positive-two</Value></Tag></And></Filter>',
      ),
    );
    const tags = (...pairs: Array<[string, string]>): Tag[] => pairs.map(([key, value]) => ({ key, value }));
    const cases: ReadonlyArray<[Tag[], string | undefined]> = [
      [tags(['testlifecycle', 'positive'], ['testlifecycletwo', 'positivetwo']), 'rule_one'],
      [tags(['testlifecycle', 'positive'], ['testlifecycletwo', 'positive-two']), 'rule_one'],
      [tags(['testlifecycle', 'positive']), 'rule_one'],
      [tags(['testlifecycle2', 'positivetwo']), undefined],
      [[], undefined],
    ];
    for (const [t, rule] of cases) assert.equal(ruleIdOf(expirationHeader(rules, object('k', 4, t))), rule, JSON.stringify(t));
  });

  it('size rules (LocalStack): greater than 20, less than 10', () => {
    const rules = rulesOf(
      expire('rule_one', '<Filter><ObjectSizeGreaterThan>20</ObjectSizeGreaterThan></Filter>'),
      expire('rule_two', '<Filter><ObjectSizeLessThan>10</ObjectSizeLessThan></Filter>'),
    );
    assert.equal(ruleIdOf(expirationHeader(rules, object('a', 22))), 'rule_one');
    assert.equal(ruleIdOf(expirationHeader(rules, object('b', 5))), 'rule_two');
    assert.equal(expirationHeader(rules, object('c', 15)), undefined);
  });

  it('no header for ExpiredObjectDeleteMarker alone, a Disabled rule, or only noncurrent expiration', () => {
    const rules = rulesOf(
      '<ID>m</ID><Filter/><Status>Enabled</Status><Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>',
      '<ID>off</ID><Filter/><Status>Disabled</Status><Expiration><Days>1</Days></Expiration>',
      '<ID>nc</ID><Filter/><Status>Enabled</Status><NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays></NoncurrentVersionExpiration>',
    );
    assert.equal(expirationHeader(rules, object('k')), undefined);
  });

  it('a rule ID a header cannot carry as it is: only those characters are percent-encoded', () => {
    const rules = rulesOf(expire('keep "logs" 中', '<Filter/>', 1));
    assert.equal(ruleIdOf(expirationHeader(rules, object('k'))), 'keep %22logs%22 %E4%B8%AD');
  });

  it('with a 10-second test day', () => {
    const rules = rulesOf(expire('fast', '<Filter/>', 1));
    assert.equal(
      expirationHeader(rules, object('k', 4, [], new Date(Date.UTC(2026, 0, 1, 0, 0, 5))), 10_000),
      'expiry-date="Thu, 01 Jan 2026 00:00:20 GMT", rule-id="fast"',
    );
  });
});

describe('x-amz-abort-date and x-amz-abort-rule-id', () => {
  const abort = (id: string, prefix: string, days: number, status = 'Enabled'): string =>
    `<ID>${id}</ID><Filter><Prefix>${prefix}</Prefix></Filter><Status>${status}</Status><AbortIncompleteMultipartUpload><DaysAfterInitiation>${days}</DaysAfterInitiation></AbortIncompleteMultipartUpload>`;
  const initiated = new Date('2025-08-11T13:00:00Z');

  it('the midnight after initiation + DaysAfterInitiation, as an HTTP date', () => {
    const found = abortDate(rulesOf(abort('abort-7', 'uploads/', 7)), { key: 'uploads/big.bin', initiated });
    assert.deepEqual(abortHeaders(found), { 'x-amz-abort-date': 'Tue, 19 Aug 2025 00:00:00 GMT', 'x-amz-abort-rule-id': 'abort-7' });
  });

  const rules = rulesOf(abort('slow', '', 30), abort('fast', 'tmp/', 2), abort('off', '', 1, 'Disabled'));
  const cases: ReadonlyArray<[string, string, string | undefined]> = [
    ['the earliest of the rules whose prefix the key starts with', 'tmp/part', 'fast'],
    ['a key outside the faster rule', 'data/part', 'slow'],
  ];
  for (const [name, key, rule] of cases) {
    it(name, () => {
      assert.equal(abortDate(rules, { key, initiated })?.ruleId, rule);
    });
  }

  it('no rule: no headers', () => {
    const found = abortDate(rulesOf(abort('a', 'tmp/', 1)), { key: 'data/x', initiated });
    assert.equal(found, undefined);
    assert.deepEqual(abortHeaders(found), {});
  });

  it('rules without AbortIncompleteMultipartUpload do not count', () => {
    assert.equal(abortDate(rulesOf(expire('e', '<Filter/>', 1)), { key: 'k', initiated }), undefined);
  });
});
