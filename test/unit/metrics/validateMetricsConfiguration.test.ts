import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MetricsConfiguration } from '../../../src/core/metrics/MetricsConfiguration.js';
import { checkMetricsId, isMetricsId } from '../../../src/core/metrics/validateMetricsConfiguration.js';
import { AP_ARN, configure, doc, expectS3Error, MALFORMED, tag, type ExpectedError } from './support.js';

describe('validateMetricsConfiguration: accepted', () => {
  const accepted: ReadonlyArray<[string, string, MetricsConfiguration]> = [
    ['no filter: the whole bucket', doc('EntireBucket'), { id: 'EntireBucket' }],
    ['a prefix', doc('p', '<Filter><Prefix>logs/</Prefix></Filter>'), { id: 'p', filter: { prefix: 'logs/', tags: [] } }],
    ['the empty prefix', doc('p', '<Filter><Prefix></Prefix></Filter>'), { id: 'p', filter: { prefix: '', tags: [] } }],
    ['a prefix kept as written', doc('p', '<Filter><Prefix> a&amp;b </Prefix></Filter>'), { id: 'p', filter: { prefix: ' a&b ', tags: [] } }],
    ['a tag', doc('t', `<Filter>${tag('env', 'prod')}</Filter>`), { id: 't', filter: { tags: [{ key: 'env', value: 'prod' }] } }],
    ['a tag with an empty value', doc('t', '<Filter><Tag><Key>env</Key><Value></Value></Tag></Filter>'), { id: 't', filter: { tags: [{ key: 'env', value: '' }] } }],
    ['an access point', doc('a', `<Filter><AccessPointArn>${AP_ARN}</AccessPointArn></Filter>`), { id: 'a', filter: { tags: [], accessPointArn: AP_ARN } }],
    [
      'an And of prefix, tags and access point, tags in the order sent',
      doc('and', `<Filter><And><Prefix>docs/</Prefix>${tag('team', 'b')}${tag('env', 'a')}<AccessPointArn>${AP_ARN}</AccessPointArn></And></Filter>`),
      { id: 'and', filter: { prefix: 'docs/', tags: [{ key: 'team', value: 'b' }, { key: 'env', value: 'a' }], accessPointArn: AP_ARN } },
    ],
    ['an And of two tags', doc('and', `<Filter><And>${tag('a')}${tag('b')}</And></Filter>`), { id: 'and', filter: { tags: [{ key: 'a', value: 'v' }, { key: 'b', value: 'v' }] } }],
    ['an id of 64 allowed characters', doc('a'.repeat(60) + '.-_9'), { id: 'a'.repeat(60) + '.-_9' }],
    ['ten tags', doc('ten', `<Filter><And>${Array.from({ length: 10 }, (_, i) => tag(`k${i}`)).join('')}</And></Filter>`), {
      id: 'ten',
      filter: { tags: Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: 'v' })) },
    }],
  ];
  for (const [name, body, expected] of accepted) {
    it(name, () => {
      assert.deepEqual(configure(body, expected.id), expected);
    });
  }
});

describe('validateMetricsConfiguration: refused', () => {
  const invalidId = (id: string): ExpectedError => ({ code: 'InvalidArgument', details: { ArgumentName: 'id', ArgumentValue: id } });
  const refused: ReadonlyArray<[string, string, string | undefined, ExpectedError]> = [
    ['no id in the query', doc('a'), undefined, { code: 'InvalidArgument', details: { ArgumentName: 'id', ArgumentValue: '' } }],
    ['an empty id in the query', doc(''), '', { code: 'InvalidArgument', details: { ArgumentName: 'id', ArgumentValue: '' } }],
    ['an id of 65 characters', doc('a'.repeat(65)), 'a'.repeat(65), invalidId('a'.repeat(65))],
    ['an id with a space', doc('a b'), 'a b', invalidId('a b')],
    ['an id with a slash', doc('a/b'), 'a/b', invalidId('a/b')],
    ['an id with a non-ASCII letter', doc('é'), 'é', invalidId('é')],
    ['no Id in the body', doc(undefined), 'a', MALFORMED],
    ['a body Id other than the query id', doc('other'), 'a', MALFORMED],
    ['a body Id differing in case', doc('A'), 'a', MALFORMED],
    ['an empty Filter', doc('a', '<Filter/>'), 'a', MALFORMED],
    ['a Prefix and a Tag outside And', doc('a', `<Filter><Prefix>p</Prefix>${tag('k')}</Filter>`), 'a', MALFORMED],
    ['two Tags outside And', doc('a', `<Filter>${tag('k')}${tag('l')}</Filter>`), 'a', MALFORMED],
    ['a Prefix beside an And', doc('a', `<Filter><Prefix>p</Prefix><And>${tag('k')}${tag('l')}</And></Filter>`), 'a', MALFORMED],
    ['an And of one condition', doc('a', `<Filter><And>${tag('k')}</And></Filter>`), 'a', MALFORMED],
    ['an empty And', doc('a', '<Filter><And/></Filter>'), 'a', MALFORMED],
    ['a tag with an empty key', doc('a', '<Filter><Tag><Key></Key><Value>v</Value></Tag></Filter>'), 'a', MALFORMED],
    ['the same tag key twice', doc('a', `<Filter><And>${tag('k', '1')}${tag('k', '2')}</And></Filter>`), 'a', { code: 'InvalidRequest', message: 'Duplicate Tag Keys are not allowed.' }],
    ['eleven tags', doc('a', `<Filter><And>${Array.from({ length: 11 }, (_, i) => tag(`k${i}`)).join('')}</And></Filter>`), 'a', { code: 'BadRequest' }],
    ['a tag key of 129 characters', doc('a', `<Filter>${tag('k'.repeat(129))}</Filter>`), 'a', { code: 'InvalidTag' }],
    ['a tag value with a character tags may not hold', doc('a', `<Filter>${tag('k', 'a*b')}</Filter>`), 'a', { code: 'InvalidTag' }],
    ['an aws: tag key', doc('a', `<Filter>${tag('aws:k')}</Filter>`), 'a', { code: 'InvalidTag' }],
    ['a bucket ARN as access point', doc('a', '<Filter><AccessPointArn>arn:aws:s3:::bucket</AccessPointArn></Filter>'), 'a', { code: 'InvalidArgument', details: { ArgumentName: 'AccessPointArn', ArgumentValue: 'arn:aws:s3:::bucket' } }],
    ['an access point ARN without an account', doc('a', '<Filter><AccessPointArn>arn:aws:s3:us-east-1::accesspoint/ap</AccessPointArn></Filter>'), 'a', { code: 'InvalidArgument' }],
    ['an access point name with capitals', doc('a', '<Filter><AccessPointArn>arn:aws:s3:us-east-1:123456789012:accesspoint/MyAp</AccessPointArn></Filter>'), 'a', { code: 'InvalidArgument' }],
  ];
  for (const [name, body, queryId, expected] of refused) {
    it(`${name}: ${expected.code}`, () => {
      expectS3Error(() => configure(body, queryId), expected);
    });
  }

  it('checks the query id before the body', () => {
    expectS3Error(() => configure(doc(undefined, '<Filter/>'), 'bad id'), { code: 'InvalidArgument' });
  });
});

describe('metrics configuration ids', () => {
  it('are 1 to 64 letters, digits, dots, dashes and underscores', () => {
    for (const id of ['a', 'EntireBucket', 'x'.repeat(64), 'a.b-c_d', '0', '...']) assert.ok(isMetricsId(id), id);
    for (const id of ['', 'x'.repeat(65), 'a b', 'a/b', 'a+b', 'ü', 'a%20']) assert.ok(!isMetricsId(id), id);
  });

  it('checkMetricsId gives the id back or throws InvalidArgument', () => {
    assert.equal(checkMetricsId('ok.id'), 'ok.id');
    expectS3Error(() => checkMetricsId(undefined), { code: 'InvalidArgument' });
    expectS3Error(() => checkMetricsId('no way'), { code: 'InvalidArgument' });
  });
});
