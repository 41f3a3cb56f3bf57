import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateReplication } from '../../../src/core/replication/validateReplication.js';
import { configure, destination, doc, expectS3Error, MALFORMED, ROLE, tag, v1, v2, type ExpectedError } from './support.js';

function request(message: string): ExpectedError {
  return { code: 'InvalidRequest', message };
}
function argument(message: string, name: string, value: string): ExpectedError {
  return { code: 'InvalidArgument', message, details: { ArgumentName: name, ArgumentValue: value } };
}
const SCHEMA = 'for this version of Cross Region Replication configuration schema. Please refer to S3 Developer Guide for more information.';

const manyRules = (n: number): string => doc(...Array.from({ length: n }, (_, i) => v2({ id: `r${i}`, priority: i })));

describe('validateReplication: accepted configurations', () => {
  const accepted: ReadonlyArray<[string, string]> = [
    ['a V2 rule with an empty filter', doc(v2())],
    ['a V2 rule filtering by prefix', doc(v2({ filter: '<Filter><Prefix>logs/</Prefix></Filter>' }))],
    ['a V2 rule filtering by one tag, delete markers Disabled', doc(v2({ filter: `<Filter>${tag('k')}</Filter>` }))],
    ['an And of a prefix and a tag', doc(v2({ filter: `<Filter><And><Prefix>a/</Prefix>${tag('k')}</And></Filter>` }))],
    ['an And of two tags', doc(v2({ filter: `<Filter><And>${tag('a')}${tag('b')}</And></Filter>` }))],
    ['delete markers Enabled with a prefix filter', doc(v2({ filter: '<Filter><Prefix>a</Prefix></Filter>', deleteMarkers: 'Enabled' }))],
    ['DeleteMarkerReplication without a Status', doc(`<ID>r</ID><Priority>1</Priority><Filter/><Status>Enabled</Status>${destination()}<DeleteMarkerReplication/>`)],
    ['Priority 0 and 2147483647', doc(v2({ id: 'a', priority: 0 }), v2({ id: 'b', priority: 2147483647 }))],
    ['1,000 rules', manyRules(1000)],
    ['an ID of 255 Han characters', doc(v2({ id: '中'.repeat(255) }))],
    ['a Disabled rule', doc(v2({ status: 'Disabled' }))],
    ['V2 rules to two destinations', doc(v2({ id: 'a', priority: 1 }), v2({ id: 'b', priority: 2, dest: 'arn:aws:s3:::other' }))],
    ['V2 overlapping filters with distinct priorities', doc(v2({ id: 'a', priority: 1, filter: '<Filter><Prefix>a</Prefix></Filter>' }), v2({ id: 'b', priority: 2, filter: '<Filter><Prefix>ab</Prefix></Filter>' }))],
    ['V1 rules to one destination', doc(v1('a', 'a/'), v1('b', 'b/'))],
    ['a V1 rule with an empty prefix', doc(v1('a', ''))],
    ['a storage class for the replicas', doc(v2().replace('</Bucket>', '</Bucket><StorageClass>GLACIER_IR</StorageClass>'))],
    ['a destination account', doc(v2().replace('</Bucket>', '</Bucket><Account>210987654321</Account>'))],
    ['ExistingObjectReplication Enabled', doc(v2({ extra: '<ExistingObjectReplication><Status>Enabled</Status></ExistingObjectReplication>' }))],
  ];
  for (const [name, body] of accepted) {
    it(name, () => {
      assert.ok(configure(body).rules.length > 0);
    });
  }

  it('keeps the rules in order, with their IDs, and generates the missing ones', () => {
    const config = configure(doc(v2({ id: 'z', priority: 5 }), v2({ id: '', priority: 3 }), v2({ id: 'generated-1', priority: 4 })));
    assert.deepEqual(config.rules.map((r) => r.id), ['z', 'generated-2', 'generated-1']);
    assert.equal(config.role, ROLE);
  });

  it('reads the destination bucket out of its ARN', () => {
    const config = configure(doc(v2({ dest: 'arn:aws:s3:::my.replica-bucket' })));
    assert.deepEqual(config.rules[0]?.destination, { bucketArn: 'arn:aws:s3:::my.replica-bucket', bucket: 'my.replica-bucket' });
  });

  it('a generated ID defaults to a UUID', () => {
    const config = validateReplication({ role: ROLE, rules: [{ status: 'Enabled', prefix: '', destination: { bucket: 'arn:aws:s3:::dest' } }] });
    assert.match(config.rules[0]?.id ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });
});

describe('validateReplication: rejected configurations (code and message)', () => {
  const rejected: ReadonlyArray<[string, string, ExpectedError]> = [
    // the configuration
    ['no Role', `<ReplicationConfiguration><Rule>${v2()}</Rule></ReplicationConfiguration>`, MALFORMED],
    ['no rules', `<ReplicationConfiguration><Role>${ROLE}</Role></ReplicationConfiguration>`, MALFORMED],
    ['1,001 rules', manyRules(1001), request('The number of replication rules must not exceed the allowed limit of 1000 rules.')],
    ['an ID of 256 characters', doc(v2({ id: 'i'.repeat(256) })), argument('ID length should not exceed allowed limit of 255', 'ID', 'i'.repeat(256))],
    ['two rules with one ID', doc(v2({ id: 'same', priority: 1 }), v2({ id: 'same', priority: 2 })), argument('Rule ID must be unique. Found same ID for more than one rule', 'ID', 'same')],
    // status
    ['Status enabled', doc(v2({ status: 'enabled' })), MALFORMED],
    ['no Status', doc(`<ID>r</ID><Priority>1</Priority><Filter/>${destination()}<DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>`), MALFORMED],
    // the two schemas
    ['a V2 rule without Priority', doc(v2().replace('<Priority>1</Priority>', '')), request(`Priority must be specified ${SCHEMA}`)],
    ['a V2 rule without DeleteMarkerReplication', doc(v2().replace(/<DeleteMarkerReplication>.*<\/DeleteMarkerReplication>/, '')), request(`DeleteMarkerReplication must be specified ${SCHEMA}`)],
    ['a V1 rule with Priority', doc(`<Priority>1</Priority>${v1('a', 'a/')}`), request(`Priority cannot be used ${SCHEMA}`)],
    ['a V1 rule with DeleteMarkerReplication', doc(`${v1('a', 'a/')}<DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>`), request(`DeleteMarkerReplication cannot be used ${SCHEMA}`)],
    ['neither Filter nor Prefix', doc(`<ID>r</ID><Status>Enabled</Status>${destination()}`), MALFORMED],
    ['both Filter and Prefix', doc(v2({ filter: '<Prefix>a</Prefix><Filter/>' })), MALFORMED],
    // priorities
    ['a negative Priority', doc(v2({ priority: -1 })), request('Priority must be between 0 and 2147483647.')],
    ['two rules with one Priority', doc(v2({ id: 'a', priority: 7, filter: '<Filter><Prefix>a/</Prefix></Filter>' }), v2({ id: 'b', priority: 7, filter: '<Filter><Prefix>b/</Prefix></Filter>' })), request('Found duplicate priority 7.')],
    // filters
    ['Prefix and Tag outside And', doc(v2({ filter: `<Filter><Prefix>a</Prefix>${tag('k')}</Filter>` })), MALFORMED],
    ['two tags outside And', doc(v2({ filter: `<Filter>${tag('a')}${tag('b')}</Filter>` })), MALFORMED],
    ['And beside Prefix', doc(v2({ filter: `<Filter><Prefix>a</Prefix><And><Prefix>b</Prefix>${tag('k')}</And></Filter>` })), MALFORMED],
    ['an And of one Prefix', doc(v2({ filter: '<Filter><And><Prefix>a</Prefix></And></Filter>' })), MALFORMED],
    ['an empty And', doc(v2({ filter: '<Filter><And/></Filter>' })), MALFORMED],
    ['a tag key twice in an And', doc(v2({ filter: `<Filter><And>${tag('k', 'a')}${tag('k', 'b')}</And></Filter>` })), request('Duplicate Tag Keys are not allowed.')],
    ['a tag with an empty key', doc(v2({ filter: `<Filter>${tag('')}</Filter>` })), MALFORMED],
    ['a tag key starting with aws:', doc(v2({ filter: `<Filter>${tag('aws:x')}</Filter>` })), { code: 'InvalidTag', message: 'Your TagKey cannot be prefixed with aws:' }],
    ['a tag value of 257 characters', doc(v2({ filter: `<Filter>${tag('k', 'v'.repeat(257))}</Filter>` })), { code: 'InvalidTag', message: 'The TagValue you have provided is invalid' }],
    ['11 tags in an And', doc(v2({ filter: `<Filter><And>${Array.from({ length: 11 }, (_, i) => tag(`k${i}`)).join('')}</And></Filter>` })), { code: 'BadRequest', message: 'Object tags cannot be greater than 10' }],
    // delete markers
    [
      'delete markers Enabled with a Tag filter',
      doc(v2({ filter: `<Filter>${tag('k')}</Filter>`, deleteMarkers: 'Enabled' })),
      request('Delete marker replication is not supported if any Tag filter is specified. Please refer to S3 Developer Guide for more information.'),
    ],
    [
      'delete markers Enabled with an And holding a tag',
      doc(v2({ filter: `<Filter><And><Prefix>p</Prefix>${tag('k')}</And></Filter>`, deleteMarkers: 'Enabled' })),
      request('Delete marker replication is not supported if any Tag filter is specified. Please refer to S3 Developer Guide for more information.'),
    ],
    ['DeleteMarkerReplication Status enabled', doc(v2({ deleteMarkers: 'enabled' })), MALFORMED],
    ['ExistingObjectReplication Status yes', doc(v2({ extra: '<ExistingObjectReplication><Status>yes</Status></ExistingObjectReplication>' })), MALFORMED],
    // destination
    ['no Destination', doc(v2().replace(/<Destination>.*<\/Destination>/, '')), MALFORMED],
    ['a Destination without Bucket', doc(v2().replace(/<Destination>.*<\/Destination>/, '<Destination><StorageClass>STANDARD</StorageClass></Destination>')), MALFORMED],
    ['a bucket name instead of an ARN', doc(v2({ dest: 'destination' })), argument('Invalid bucket ARN.', 'Bucket', 'destination')],
    ['an ARN of another service', doc(v2({ dest: 'arn:aws:iam:::destination' })), argument('Invalid bucket ARN.', 'Bucket', 'arn:aws:iam:::destination')],
    ['an ARN with a region', doc(v2({ dest: 'arn:aws:s3:us-east-1::destination' })), argument('Invalid bucket ARN.', 'Bucket', 'arn:aws:s3:us-east-1::destination')],
    ['an ARN naming an invalid bucket', doc(v2({ dest: 'arn:aws:s3:::Bad_Bucket' })), argument('Invalid bucket ARN.', 'Bucket', 'arn:aws:s3:::Bad_Bucket')],
    ['an ARN with an object path', doc(v2({ dest: 'arn:aws:s3:::destination/key' })), argument('Invalid bucket ARN.', 'Bucket', 'arn:aws:s3:::destination/key')],
    ['the source bucket as destination', doc(v2({ dest: 'arn:aws:s3:::source' })), request('Destination bucket cannot be the same as the source bucket.')],
    ['an unknown storage class', doc(v2().replace('</Bucket>', '</Bucket><StorageClass>COLD</StorageClass>')), MALFORMED],
    ['V1 rules to two destinations', doc(v1('a', 'a/'), v1('b', 'b/', 'arn:aws:s3:::other')), request('Number of distinct destination bucket ARNs cannot exceed 1')],
  ];
  for (const [name, body, expected] of rejected) {
    it(name, () => {
      expectS3Error(() => configure(body), expected);
    });
  }

  it('ExistingObjectReplication is MalformedXML when the options refuse it (an account S3 has not enabled it for)', () => {
    const body = doc(v2({ extra: '<ExistingObjectReplication><Status>Enabled</Status></ExistingObjectReplication>' }));
    expectS3Error(() => configure(body, { existingObjectReplication: false }), MALFORMED);
  });

  it('the first fault wins: IDs before rules, rules in order', () => {
    expectS3Error(() => configure(doc(v2({ id: 'a', status: 'bad' }), v2({ id: 'a' }))), argument('Rule ID must be unique. Found same ID for more than one rule', 'ID', 'a'));
    expectS3Error(() => configure(doc(v2({ id: 'a', priority: 1, dest: 'bucket' }), v2({ id: 'b', priority: 1 }))), argument('Invalid bucket ARN.', 'Bucket', 'bucket'));
  });
});
