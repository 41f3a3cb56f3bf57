import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateLifecycle } from '../../../src/core/lifecycle/validateLifecycle.js';
import { parseLifecycleConfiguration } from '../../../src/s3/xml/shapes/LifecycleConfiguration.js';
import { configure, doc, expectS3Error, MALFORMED, type ExpectedError } from './support.js';

/** A V2 rule: `<ID>`, an empty `<Filter/>` unless the body brings its own scope, `Enabled`, then the body. */
function v2(body: string, id = 'r'): string {
  const scope = /<Filter|<Prefix>|<Prefix\/>/.test(body.split('<Status>')[0] ?? '') ? '' : '<Filter/>';
  return `<ID>${id}</ID>${scope}${body.includes('<Status>') ? '' : '<Status>Enabled</Status>'}${body}`;
}

const EXPIRE = '<Expiration><Days>7</Days></Expiration>';
const tag = (key: string, value = 'v'): string => `<Tag><Key>${key}</Key><Value>${value}</Value></Tag>`;
const transition = (when: string, storageClass: string): string => `<Transition>${when}<StorageClass>${storageClass}</StorageClass></Transition>`;
const days = (n: number): string => `<Days>${n}</Days>`;
const date = (iso: string): string => `<Date>${iso}</Date>`;
const noncurrentTransition = (n: number, storageClass: string, extra = ''): string =>
  `<NoncurrentVersionTransition><NoncurrentDays>${n}</NoncurrentDays>${extra}<StorageClass>${storageClass}</StorageClass></NoncurrentVersionTransition>`;

function argument(message: string, name: string, value: string): ExpectedError {
  return { code: 'InvalidArgument', message, details: { ArgumentName: name, ArgumentValue: value } };
}
function request(message: string): ExpectedError {
  return { code: 'InvalidRequest', message };
}

const manyRules = (n: number): string => doc(...Array.from({ length: n }, (_, i) => v2(`<Filter><Prefix>p${i}/</Prefix></Filter>${EXPIRE}`, `r${i}`)));

describe('validateLifecycle: accepted configurations', () => {
  const accepted: ReadonlyArray<[string, string]> = [
    ['an empty filter with Days', doc(v2(EXPIRE))],
    ['1,000 rules', manyRules(1000)],
    ['an ID of 255 characters', doc(v2(EXPIRE, 'i'.repeat(255)))],
    ['an ID of 255 Han characters (counted as characters)', doc(v2(EXPIRE, '中'.repeat(255)))],
    ['a Disabled rule', doc(v2(`<Status>Disabled</Status>${EXPIRE}`))],
    ['an And of an empty Prefix and one tag', doc(v2(`<Filter><And><Prefix></Prefix>${tag('k')}</And></Filter>${EXPIRE}`))],
    ['an And of two tags', doc(v2(`<Filter><And>${tag('a')}${tag('b')}</And></Filter>${EXPIRE}`))],
    ['an And of a size range', doc(v2(`<Filter><And><ObjectSizeGreaterThan>0</ObjectSizeGreaterThan><ObjectSizeLessThan>1</ObjectSizeLessThan></And></Filter>${EXPIRE}`))],
    ['a tag without Value (the empty value)', doc(v2(`<Filter><Tag><Key>k</Key></Tag></Filter>${EXPIRE}`))],
    ['a Date at midnight UTC', doc(v2(`<Expiration>${date('2027-01-01T00:00:00.000Z')}</Expiration>`))],
    ['a Date at midnight UTC written with an offset', doc(v2(`<Expiration>${date('2027-01-01T01:00:00+01:00')}</Expiration>`))],
    ['ExpiredObjectDeleteMarker alone', doc(v2('<Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>'))],
    ['NewerNoncurrentVersions beyond the documented 100', doc(v2('<NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays><NewerNoncurrentVersions>500</NewerNoncurrentVersions></NoncurrentVersionExpiration>'))],
    ['AbortIncompleteMultipartUpload with a prefix filter', doc(v2('<Filter><Prefix>up/</Prefix></Filter><AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation></AbortIncompleteMultipartUpload>'))],
    ['Transition Days 0 to GLACIER_IR', doc(v2(transition(days(0), 'GLACIER_IR')))],
    ['Transition Days 30 to STANDARD_IA', doc(v2(transition(days(30), 'STANDARD_IA')))],
    [
      'the whole waterfall, then expiration',
      doc(v2(`${transition(days(30), 'STANDARD_IA')}${transition(days(60), 'GLACIER_IR')}${transition(days(150), 'GLACIER')}${transition(days(240), 'DEEP_ARCHIVE')}<Expiration>${days(365)}</Expiration>`)),
    ],
    ['transitions listed colder first', doc(v2(`${transition(days(120), 'GLACIER')}${transition(days(30), 'STANDARD_IA')}`))],
    ['INTELLIGENT_TIERING then GLACIER a day later', doc(v2(`${transition(days(0), 'INTELLIGENT_TIERING')}${transition(days(1), 'GLACIER')}`))],
    ['transitions by date, 90 days apart', doc(v2(`${transition(date('2027-01-01T00:00:00Z'), 'GLACIER')}${transition(date('2027-04-01T00:00:00Z'), 'DEEP_ARCHIVE')}`))],
    ['noncurrent transitions then expiration', doc(v2(`${noncurrentTransition(30, 'STANDARD_IA')}${noncurrentTransition(60, 'GLACIER')}<NoncurrentVersionExpiration><NoncurrentDays>200</NoncurrentDays></NoncurrentVersionExpiration>`))],
    ['V1 rules with prefixes that do not overlap', doc('<ID>a</ID><Prefix>a/</Prefix><Status>Enabled</Status>' + EXPIRE, '<ID>b</ID><Prefix>b/</Prefix><Status>Enabled</Status>' + EXPIRE)],
    ['V1 overlapping prefixes with different actions', doc('<ID>a</ID><Prefix>a</Prefix><Status>Enabled</Status>' + EXPIRE, `<ID>b</ID><Prefix>ab</Prefix><Status>Enabled</Status>${transition(days(0), 'GLACIER')}`)],
    ['V2 overlapping filters with the same action', doc(v2(`<Filter><Prefix>a</Prefix></Filter>${EXPIRE}`, 'a'), v2(`<Filter><Prefix>ab</Prefix></Filter>${EXPIRE}`, 'b'))],
  ];
  for (const [name, body] of accepted) {
    it(name, () => {
      assert.ok(configure(body).rules.length > 0);
    });
  }
});

describe('validateLifecycle: rejected configurations (code and message)', () => {
  const NOT_MIDNIGHT = argument("'Date' must be at midnight GMT", 'Date', 'Sat Dec 31 18:02:00 PST 2022');
  const rejected: ReadonlyArray<[string, string, ExpectedError]> = [
    // the configuration
    ['no rules', '<LifecycleConfiguration/>', request('At least one lifecycle rule must be specified.')],
    ['1,001 rules', manyRules(1001), request('The number of lifecycle rules must not exceed the allowed limit of 1000 rules.')],
    ['an ID of 256 characters', doc(v2(EXPIRE, 'i'.repeat(256))), argument('ID length should not exceed allowed limit of 255', 'ID', 'i'.repeat(256))],
    ['two rules with one ID', doc(v2(EXPIRE, 'same'), v2(EXPIRE, 'same')), argument('Rule ID must be unique. Found same ID for more than one rule', 'ID', 'same')],
    // status
    ['Status enabled', doc(v2(`<Status>enabled</Status>${EXPIRE}`)), MALFORMED],
    ['Status disabled', doc(v2(`<Status>disabled</Status>${EXPIRE}`)), MALFORMED],
    ['Status invalid', doc(v2(`<Status>invalid</Status>${EXPIRE}`)), MALFORMED],
    ['no Status', doc(`<ID>r</ID><Filter/>${EXPIRE}`), MALFORMED],
    // scope
    ['neither Filter nor Prefix', doc(`<ID>r</ID><Status>Enabled</Status>${EXPIRE}`), MALFORMED],
    ['both Filter and Prefix', doc(`<ID>r</ID><Prefix>a</Prefix><Filter/><Status>Enabled</Status>${EXPIRE}`), MALFORMED],
    [
      'a V1 rule after a V2 rule',
      doc(v2(EXPIRE, 'a'), `<ID>b</ID><Prefix>b</Prefix><Status>Enabled</Status>${EXPIRE}`),
      request('Base level prefix cannot be used in Lifecycle V2, prefixes are only supported in the Filter.'),
    ],
    ['a V2 rule after a V1 rule', doc(`<ID>a</ID><Prefix>a</Prefix><Status>Enabled</Status>${EXPIRE}`, v2(EXPIRE, 'b')), request('Filter element can only be used in Lifecycle V2.')],
    ['Prefix and Tag outside And', doc(v2(`<Filter><Prefix>a</Prefix>${tag('k')}</Filter>${EXPIRE}`)), MALFORMED],
    ['Prefix and ObjectSizeGreaterThan outside And', doc(v2(`<Filter><Prefix></Prefix><ObjectSizeGreaterThan>500</ObjectSizeGreaterThan></Filter>${EXPIRE}`)), MALFORMED],
    ['And beside Prefix', doc(v2(`<Filter><Prefix></Prefix><And><Prefix>test</Prefix>${tag('k')}</And></Filter>${EXPIRE}`)), MALFORMED],
    ['two tags outside And', doc(v2(`<Filter>${tag('a')}${tag('b')}</Filter>${EXPIRE}`)), MALFORMED],
    ['both sizes outside And', doc(v2(`<Filter><ObjectSizeGreaterThan>1</ObjectSizeGreaterThan><ObjectSizeLessThan>9</ObjectSizeLessThan></Filter>${EXPIRE}`)), MALFORMED],
    ['an And of one Prefix', doc(v2(`<Filter><And><Prefix>a</Prefix></And></Filter>${EXPIRE}`)), MALFORMED],
    ['an And of one tag', doc(v2(`<Filter><And>${tag('a')}</And></Filter>${EXPIRE}`)), MALFORMED],
    ['an empty And', doc(v2(`<Filter><And/></Filter>${EXPIRE}`)), MALFORMED],
    ['a tag key twice in an And', doc(v2(`<Filter><And>${tag('k', 'positive')}${tag('k', 'positive-two')}</And></Filter>${EXPIRE}`)), request('Duplicate Tag Keys are not allowed.')],
    ['a tag with an empty key', doc(v2(`<Filter>${tag('')}</Filter>${EXPIRE}`)), MALFORMED],
    ['a tag without Key', doc(v2(`<Filter><Tag><Value>v</Value></Tag></Filter>${EXPIRE}`)), MALFORMED],
    ['a tag key with a character tags cannot hold', doc(v2(`<Filter>${tag('a!')}</Filter>${EXPIRE}`)), { code: 'InvalidTag', message: 'The TagKey you have provided is invalid', details: { TagKey: 'a!' } }],
    ['a tag key of 129 characters', doc(v2(`<Filter>${tag('k'.repeat(129))}</Filter>${EXPIRE}`)), { code: 'InvalidTag', message: 'The TagKey you have provided is invalid' }],
    ['a tag value of 257 characters', doc(v2(`<Filter>${tag('k', 'v'.repeat(257))}</Filter>${EXPIRE}`)), { code: 'InvalidTag', message: 'The TagValue you have provided is invalid' }],
    ['a tag key starting with aws:', doc(v2(`<Filter>${tag('aws:x')}</Filter>${EXPIRE}`)), { code: 'InvalidTag', message: 'Your TagKey cannot be prefixed with aws:' }],
    ['11 tags in an And', doc(v2(`<Filter><And>${Array.from({ length: 11 }, (_, i) => tag(`k${i}`)).join('')}</And></Filter>${EXPIRE}`)), { code: 'BadRequest', message: 'Object tags cannot be greater than 10' }],
    ['ObjectSizeLessThan 0', doc(v2(`<Filter><ObjectSizeLessThan>0</ObjectSizeLessThan></Filter>${EXPIRE}`)), request("'ObjectSizeLessThan' should be between 1 and 1099511627776000.")],
    ['ObjectSizeGreaterThan -1', doc(v2(`<Filter><ObjectSizeGreaterThan>-1</ObjectSizeGreaterThan></Filter>${EXPIRE}`)), request("'ObjectSizeGreaterThan' should be between 0 and 1099511627776000.")],
    ['ObjectSizeGreaterThan past the limit', doc(v2(`<Filter><ObjectSizeGreaterThan>1099511627776001</ObjectSizeGreaterThan></Filter>${EXPIRE}`)), request("'ObjectSizeGreaterThan' should be between 0 and 1099511627776000.")],
    [
      'ObjectSizeLessThan equal to ObjectSizeGreaterThan',
      doc(v2(`<Filter><And><ObjectSizeGreaterThan>10</ObjectSizeGreaterThan><ObjectSizeLessThan>10</ObjectSizeLessThan></And></Filter>${EXPIRE}`)),
      request("'ObjectSizeLessThan' has to be a value greater than 'ObjectSizeGreaterThan'."),
    ],
    // actions
    ['a rule with no action', doc(v2('')), request('At least one action needs to be specified in a rule')],
    ['Expiration Days 0', doc(v2(`<Expiration>${days(0)}</Expiration>`)), argument("'Days' for Expiration action must be a positive integer", 'Days', '0')],
    ['Expiration Days -1', doc(v2(`<Expiration>${days(-1)}</Expiration>`)), argument("'Days' for Expiration action must be a positive integer", 'Days', '-1')],
    ['Expiration Date at 02:02 UTC', doc(v2(`<Expiration>${date('2023-01-01T02:02:00Z')}</Expiration>`)), NOT_MIDNIGHT],
    ['Expiration Date in an HTTP-date form', doc(v2(`<Expiration>${date('Fri, 01 Jan 2016 00:00:00 GMT')}</Expiration>`)), MALFORMED],
    ['Expiration Date on a day that does not exist', doc(v2(`<Expiration>${date('2027-02-30T00:00:00Z')}</Expiration>`)), MALFORMED],
    ['Expiration with Days and Date', doc(v2(`<Expiration>${days(1)}${date('2027-01-01T00:00:00Z')}</Expiration>`)), MALFORMED],
    ['Expiration with Days and ExpiredObjectDeleteMarker', doc(v2(`<Expiration>${days(1)}<ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>`)), MALFORMED],
    ['an empty Expiration', doc(v2('<Expiration/>')), MALFORMED],
    ['ExpiredObjectDeleteMarker with a tag filter', doc(v2(`<Filter>${tag('k')}</Filter><Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>`)), request('ExpiredObjectDeleteMarker cannot be specified with Tags.')],
    [
      'ExpiredObjectDeleteMarker false with a size filter',
      doc(v2('<Filter><ObjectSizeLessThan>1</ObjectSizeLessThan></Filter><Expiration><ExpiredObjectDeleteMarker>false</ExpiredObjectDeleteMarker></Expiration>')),
      request('ExpiredObjectDeleteMarker cannot be specified with Object Size.'),
    ],
    ['NoncurrentVersionExpiration without NoncurrentDays', doc(v2('<NoncurrentVersionExpiration><NewerNoncurrentVersions>5</NewerNoncurrentVersions></NoncurrentVersionExpiration>')), MALFORMED],
    ['an empty NoncurrentVersionExpiration', doc(v2('<NoncurrentVersionExpiration/>')), MALFORMED],
    [
      'NoncurrentDays 0',
      doc(v2('<NoncurrentVersionExpiration><NoncurrentDays>0</NoncurrentDays></NoncurrentVersionExpiration>')),
      argument("'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer", 'NoncurrentDays', '0'),
    ],
    [
      'NewerNoncurrentVersions 0',
      doc(v2('<NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays><NewerNoncurrentVersions>0</NewerNoncurrentVersions></NoncurrentVersionExpiration>')),
      argument("'NewerNoncurrentVersions' for NoncurrentVersionExpiration action must be a positive integer", 'NewerNoncurrentVersions', '0'),
    ],
    [
      'NewerNoncurrentVersions in a V1 rule',
      doc('<ID>r</ID><Prefix>a</Prefix><Status>Enabled</Status><NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays><NewerNoncurrentVersions>2</NewerNoncurrentVersions></NoncurrentVersionExpiration>'),
      request('NewerNoncurrentVersions element can only be used in Lifecycle V2.'),
    ],
    ['AbortIncompleteMultipartUpload without DaysAfterInitiation', doc(v2('<AbortIncompleteMultipartUpload/>')), MALFORMED],
    [
      'DaysAfterInitiation 0',
      doc(v2('<AbortIncompleteMultipartUpload><DaysAfterInitiation>0</DaysAfterInitiation></AbortIncompleteMultipartUpload>')),
      argument("'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer", 'DaysAfterInitiation', '0'),
    ],
    [
      'AbortIncompleteMultipartUpload with a tag filter',
      doc(v2(`<Filter>${tag('k')}</Filter><AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation></AbortIncompleteMultipartUpload>`)),
      request('AbortIncompleteMultipartUpload cannot be specified with Tags.'),
    ],
    [
      'AbortIncompleteMultipartUpload with tags in an And',
      doc(v2(`<Filter><And><Prefix>a</Prefix>${tag('k')}</And></Filter><AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation></AbortIncompleteMultipartUpload>`)),
      request('AbortIncompleteMultipartUpload cannot be specified with Tags.'),
    ],
    [
      'AbortIncompleteMultipartUpload with a size filter',
      doc(v2('<Filter><ObjectSizeGreaterThan>1</ObjectSizeGreaterThan></Filter><AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation></AbortIncompleteMultipartUpload>')),
      request('AbortIncompleteMultipartUpload cannot be specified with Object Size.'),
    ],
    // transitions
    ['a Transition without StorageClass', doc(v2(`<Transition>${days(1)}</Transition>`)), MALFORMED],
    ['a Transition to a class S3 does not have', doc(v2(transition(days(1), 'FROZEN'))), MALFORMED],
    ['a Transition to STANDARD', doc(v2(transition(days(1), 'STANDARD'))), argument('Invalid target Storage class for Transition action', 'StorageClass', 'STANDARD')],
    ['a Transition with Days and Date', doc(v2(transition(`${days(1)}${date('2027-01-01T00:00:00Z')}`, 'GLACIER'))), MALFORMED],
    ['a Transition with neither Days nor Date', doc(v2(transition('', 'GLACIER'))), MALFORMED],
    ['Transition Days -1', doc(v2(transition(days(-1), 'GLACIER'))), argument("'Days' in Transition action must be nonnegative", 'Days', '-1')],
    ['Transition Date at 02:02 UTC', doc(v2(transition(date('2023-01-01T02:02:00Z'), 'GLACIER'))), NOT_MIDNIGHT],
    [
      'STANDARD_IA after 29 days',
      doc(v2(transition(days(29), 'STANDARD_IA'))),
      argument("'Days' in Transition action must be greater than or equal to 30 for storageClass 'STANDARD_IA'", 'Days', '29'),
    ],
    [
      'ONEZONE_IA after 0 days',
      doc(v2(transition(days(0), 'ONEZONE_IA'))),
      argument("'Days' in Transition action must be greater than or equal to 30 for storageClass 'ONEZONE_IA'", 'Days', '0'),
    ],
    [
      'two Transitions to one class',
      doc(v2(`${transition(days(1), 'GLACIER')}${transition(days(100), 'GLACIER')}`)),
      request("'StorageClass' must be different for 'Transition' actions in same 'Rule' with filter '(prefix=)'"),
    ],
    [
      'Transitions by Days and by Date',
      doc(v2(`${transition(days(1), 'GLACIER')}${transition(date('2027-01-01T00:00:00Z'), 'DEEP_ARCHIVE')}`)),
      request("Found mixed 'Date' and 'Days' based Transition actions in lifecycle rule for filter '(prefix=)'"),
    ],
    [
      'Expiration by Days, Transition by Date',
      doc(v2(`${transition(date('2027-01-01T00:00:00Z'), 'GLACIER')}<Expiration>${days(365)}</Expiration>`)),
      request("Found mixed 'Date' and 'Days' based Expiration and Transition actions in lifecycle rule for filter '(prefix=)'"),
    ],
    [
      'Expiration on the day of the Transition',
      doc(v2(`${transition(days(30), 'STANDARD_IA')}<Expiration>${days(30)}</Expiration>`)),
      argument("'Days' in the Expiration action for filter '(prefix=)' must be greater than 'Days' in the Transition action", 'Days', '30'),
    ],
    [
      'Expiration before the Transition, filter with a prefix',
      doc(v2(`<Filter><Prefix>test/</Prefix></Filter>${transition(days(180), 'DEEP_ARCHIVE')}<Expiration>${days(180)}</Expiration>`)),
      argument("'Days' in the Expiration action for filter '(prefix=test/)' must be greater than 'Days' in the Transition action", 'Days', '180'),
    ],
    [
      'Expiration Date on the Transition Date',
      doc(v2(`${transition(date('2027-01-01T00:00:00Z'), 'DEEP_ARCHIVE')}<Expiration>${date('2027-01-01T00:00:00Z')}</Expiration>`)),
      argument("'Date' in the Expiration action for filter '(prefix=)' must be greater than 'Date' in the Transition action", 'Date', 'Thu Dec 31 16:00:00 PST 2026'),
    ],
    [
      'a colder class due before a warmer one',
      doc(v2(`${transition(days(60), 'STANDARD_IA')}${transition(days(30), 'GLACIER')}`)),
      argument(
        "'Days' in the 'Transition' action for StorageClass 'GLACIER' for filter '(prefix=)' must be greater than 'Days' in the 'Transition' action for StorageClass 'STANDARD_IA' for filter '(prefix=)'",
        'Days',
        '30',
      ),
    ],
    [
      'GLACIER only 15 days after STANDARD_IA',
      doc(v2(`${transition(days(30), 'STANDARD_IA')}${transition(days(45), 'GLACIER')}`)),
      argument(
        "'Days' in the 'Transition' action for StorageClass 'GLACIER' for filter '(prefix=)' must be 30 days more than 'filter '(prefix=)'' in the 'Transition' action for StorageClass 'STANDARD_IA'",
        'Days',
        '45',
      ),
    ],
    [
      'DEEP_ARCHIVE only 30 days after GLACIER',
      doc(v2(`${transition(days(0), 'GLACIER')}${transition(days(30), 'DEEP_ARCHIVE')}`)),
      argument(
        "'Days' in the 'Transition' action for StorageClass 'DEEP_ARCHIVE' for filter '(prefix=)' must be 90 days more than 'filter '(prefix=)'' in the 'Transition' action for StorageClass 'GLACIER'",
        'Days',
        '30',
      ),
    ],
    [
      'ONEZONE_IA to GLACIER_IR (not in the waterfall)',
      doc(v2(`${transition(days(30), 'ONEZONE_IA')}${transition(days(90), 'GLACIER_IR')}`)),
      argument(
        "'Days' in the 'Transition' action for StorageClass 'GLACIER_IR' for filter '(prefix=)' must be greater than 'Days' in the 'Transition' action for StorageClass 'ONEZONE_IA' for filter '(prefix=)'",
        'Days',
        '90',
      ),
    ],
    ['a NoncurrentVersionTransition without NoncurrentDays', doc(v2('<NoncurrentVersionTransition><StorageClass>GLACIER</StorageClass></NoncurrentVersionTransition>')), MALFORMED],
    [
      'a NoncurrentVersionTransition to STANDARD_IA after 10 days',
      doc(v2(noncurrentTransition(10, 'STANDARD_IA'))),
      argument("'NoncurrentDays' in NoncurrentVersionTransition action must be greater than or equal to 30 for storageClass 'STANDARD_IA'", 'NoncurrentDays', '10'),
    ],
    [
      'two NoncurrentVersionTransitions to one class',
      doc(v2(`${noncurrentTransition(1, 'GLACIER')}${noncurrentTransition(200, 'GLACIER')}`)),
      request("'StorageClass' must be different for 'NoncurrentVersionTransition' actions in same 'Rule' with filter '(prefix=)'"),
    ],
    [
      'NoncurrentVersionExpiration on the day of the NoncurrentVersionTransition',
      doc(v2(`${noncurrentTransition(30, 'GLACIER')}<NoncurrentVersionExpiration><NoncurrentDays>30</NoncurrentDays></NoncurrentVersionExpiration>`)),
      argument(
        "'NoncurrentDays' in the NoncurrentVersionExpiration action for filter '(prefix=)' must be greater than 'NoncurrentDays' in the NoncurrentVersionTransition action",
        'NoncurrentDays',
        '30',
      ),
    ],
    [
      'NewerNoncurrentVersions of a NoncurrentVersionTransition in a V1 rule',
      doc(`<ID>r</ID><Prefix></Prefix><Status>Enabled</Status>${noncurrentTransition(1, 'GLACIER', '<NewerNoncurrentVersions>1</NewerNoncurrentVersions>')}`),
      request('NewerNoncurrentVersions element can only be used in Lifecycle V2.'),
    ],
    // V1 overlaps
    [
      'V1 prefixes that overlap, both expiring',
      doc(`<ID>b</ID><Prefix>a</Prefix><Status>Enabled</Status>${EXPIRE}`, `<ID>a</ID><Prefix></Prefix><Status>Disabled</Status>${EXPIRE}`),
      request("Found overlapping prefixes '' and 'a' for same action type 'Expiration'"),
    ],
    [
      'V1 rules with one prefix, both transitioning',
      doc(`<ID>a</ID><Prefix>logs/</Prefix><Status>Enabled</Status>${transition(days(0), 'GLACIER')}`, `<ID>b</ID><Prefix>logs/</Prefix><Status>Enabled</Status>${transition(days(1), 'DEEP_ARCHIVE')}`),
      request("Found overlapping prefixes 'logs/' and 'logs/' for same action type 'Transition'"),
    ],
  ];
  for (const [name, body, expected] of rejected) {
    it(`${name}: ${expected.code}`, () => {
      expectS3Error(() => configure(body), expected);
    });
  }
});

describe('validateLifecycle: the first fault answers', () => {
  it('a duplicate ID is found before a fault in an earlier rule', () => {
    expectS3Error(() => configure(doc(v2(`<Expiration>${days(0)}</Expiration>`, 'x'), v2(EXPIRE, 'x'))), { code: 'InvalidArgument', message: 'Rule ID must be unique. Found same ID for more than one rule' });
  });
  it('rules are checked in order', () => {
    expectS3Error(() => configure(doc(v2(`<Expiration>${days(0)}</Expiration>`, 'a'), v2(`<Status>bad</Status>${EXPIRE}`, 'b'))), {
      code: 'InvalidArgument',
      message: "'Days' for Expiration action must be a positive integer",
    });
    expectS3Error(() => configure(doc(v2(`<Status>bad</Status>${EXPIRE}`, 'a'), v2(`<Expiration>${days(0)}</Expiration>`, 'b'))), MALFORMED);
  });
});

describe('validateLifecycle: rule IDs', () => {
  it('a rule without an ID, or with an empty one, gets a generated one', () => {
    const config = configure(doc(`<Filter/><Status>Enabled</Status>${EXPIRE}`, `<ID></ID><Filter/><Status>Enabled</Status>${EXPIRE}`, v2(EXPIRE, 'given')));
    assert.deepEqual(config.rules.map((r) => r.id), ['generated-1', 'generated-2', 'given']);
  });
  it('a generated ID never repeats one given', () => {
    const ids = ['taken', 'taken', 'fresh'];
    const config = configure(doc(v2(EXPIRE, 'taken'), `<Filter/><Status>Enabled</Status>${EXPIRE}`), { newRuleId: () => ids.shift() ?? 'x' });
    assert.deepEqual(config.rules.map((r) => r.id), ['taken', 'fresh']);
  });
  it('by default, as S3: 48 characters of base64 holding a UUID', () => {
    const body = doc(`<Filter/><Status>Enabled</Status>${EXPIRE}`);
    const id = validateLifecycle(parseLifecycleConfiguration(body)).rules[0]?.id ?? '';
    assert.match(id, /^[A-Za-z0-9+/]{48}$/);
    assert.match(Buffer.from(id, 'base64').toString(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('validateLifecycle: a test clock', () => {
  it('with a 10-second day, a Date must fall on a multiple of 10 seconds', () => {
    const body = (iso: string): string => doc(v2(`<Expiration>${date(iso)}</Expiration>`));
    assert.ok(configure(body('2027-01-01T00:00:10Z'), { dayMs: 10_000 }));
    expectS3Error(() => configure(body('2027-01-01T00:00:15Z'), { dayMs: 10_000 }), { code: 'InvalidArgument', message: "'Date' must be at midnight GMT" });
  });
});
