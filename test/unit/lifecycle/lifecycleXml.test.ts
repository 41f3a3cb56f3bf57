import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LifecycleDraft } from '../../../src/core/lifecycle/LifecycleDraft.js';
import { parseLifecycleConfiguration, renderLifecycleConfiguration } from '../../../src/s3/xml/shapes/LifecycleConfiguration.js';
import { configure, doc, expectS3Error, MALFORMED } from './support.js';

const HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<LifecycleConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">';
const TAIL = '</LifecycleConfiguration>';

describe('LifecycleConfiguration XML: parse', () => {
  it('reads a V2 document into a draft, every element as given', () => {
    const body = `<?xml version="1.0" encoding="UTF-8"?>
<LifecycleConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Rule>
    <ID>logs</ID>
    <Filter>
      <And>
        <Prefix>logs/</Prefix>
        <Tag><Key>class</Key><Value>debug</Value></Tag>
        <Tag><Key>team</Key></Tag>
        <ObjectSizeGreaterThan>1024</ObjectSizeGreaterThan>
      </And>
    </Filter>
    <Status>Enabled</Status>
    <Transition><Days>30</Days><StorageClass>STANDARD_IA</StorageClass></Transition>
    <Transition><Days>120</Days><StorageClass>GLACIER</StorageClass></Transition>
    <Expiration><Days>365</Days></Expiration>
    <NoncurrentVersionTransition><NoncurrentDays>30</NoncurrentDays><NewerNoncurrentVersions>2</NewerNoncurrentVersions><StorageClass>GLACIER_IR</StorageClass></NoncurrentVersionTransition>
    <NoncurrentVersionExpiration><NoncurrentDays>90</NoncurrentDays><NewerNoncurrentVersions>3</NewerNoncurrentVersions></NoncurrentVersionExpiration>
  </Rule>
  <Rule>
    <Status> Disabled </Status>
    <Filter/>
    <AbortIncompleteMultipartUpload><DaysAfterInitiation>7</DaysAfterInitiation></AbortIncompleteMultipartUpload>
    <Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>
  </Rule>
</LifecycleConfiguration>`;
    const expected: LifecycleDraft = {
      rules: [
        {
          id: 'logs',
          status: 'Enabled',
          filter: {
            tags: [],
            and: {
              prefix: 'logs/',
              tags: [{ key: 'class', value: 'debug' }, { key: 'team', value: '' }],
              objectSizeGreaterThan: 1024,
            },
          },
          expiration: { days: 365 },
          transitions: [{ days: 30, storageClass: 'STANDARD_IA' }, { days: 120, storageClass: 'GLACIER' }],
          noncurrentVersionExpiration: { noncurrentDays: 90, newerNoncurrentVersions: 3 },
          noncurrentVersionTransitions: [{ noncurrentDays: 30, newerNoncurrentVersions: 2, storageClass: 'GLACIER_IR' }],
        },
        {
          status: 'Disabled',
          filter: { tags: [] },
          expiration: { expiredObjectDeleteMarker: true },
          transitions: [],
          noncurrentVersionTransitions: [],
          abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        },
      ],
    };
    assert.deepEqual(parseLifecycleConfiguration(body), expected);
  });

  it('reads a V1 (PutBucketLifecycle) rule with its rule-level Prefix', () => {
    const draft = parseLifecycleConfiguration(doc('<ID>old</ID><Prefix>projectdocs/</Prefix><Status>Enabled</Status><Expiration><Days>3650</Days></Expiration>'));
    assert.deepEqual(draft.rules[0], { id: 'old', status: 'Enabled', prefix: 'projectdocs/', expiration: { days: 3650 }, transitions: [], noncurrentVersionTransitions: [] });
  });

  it('keeps a prefix as written (spaces, entities)', () => {
    const draft = parseLifecycleConfiguration(doc('<Filter><Prefix> a&amp;b </Prefix></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>'));
    assert.equal(draft.rules[0]?.filter?.prefix, ' a&b ');
  });

  const malformed: ReadonlyArray<[string, string]> = [
    ['an empty body', ''],
    ['text that is not XML', 'lifecycle please'],
    ['another root element', '<LifeCycleConfiguration><Rule/></LifeCycleConfiguration>'],
    ['an entity declaration', '<!DOCTYPE x [<!ENTITY e "boom">]><LifecycleConfiguration>&e;</LifecycleConfiguration>'],
    ['an unknown element beside the rules', '<LifecycleConfiguration><Rule><ID>a</ID></Rule><Other/></LifecycleConfiguration>'],
    ['an unknown element in a rule', doc('<ID>a</ID><Filter/><Status>Enabled</Status><DelMarkerExpiration><Days>1</Days></DelMarkerExpiration>')],
    ['an unknown element in a filter', doc('<Filter><Suffix>.log</Suffix></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>')],
    ['an unknown element in an Expiration', doc('<Filter/><Status>Enabled</Status><Expiration><Days>1</Days><Hours>2</Hours></Expiration>')],
    ['two Expiration elements', doc('<Filter/><Status>Enabled</Status><Expiration><Days>1</Days></Expiration><Expiration><Days>2</Days></Expiration>')],
    ['two Status elements', doc('<Filter/><Status>Enabled</Status><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>')],
    ['two Filter elements', doc('<Filter/><Filter/><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>')],
    ['Days that are not a number', doc('<Filter/><Status>Enabled</Status><Expiration><Days>seven</Days></Expiration>')],
    ['Days with a fraction', doc('<Filter/><Status>Enabled</Status><Expiration><Days>1.5</Days></Expiration>')],
    ['Days past a 32-bit integer', doc('<Filter/><Status>Enabled</Status><Expiration><Days>2147483648</Days></Expiration>')],
    ['a size that is not a number', doc('<Filter><ObjectSizeGreaterThan>1KB</ObjectSizeGreaterThan></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>')],
    ['ExpiredObjectDeleteMarker that is not a boolean', doc('<Filter/><Status>Enabled</Status><Expiration><ExpiredObjectDeleteMarker>yes</ExpiredObjectDeleteMarker></Expiration>')],
    ['an element where a prefix was expected', doc('<Filter><Prefix><A/></Prefix></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>')],
  ];
  for (const [name, body] of malformed) {
    it(`${name}: MalformedXML`, () => {
      expectS3Error(() => parseLifecycleConfiguration(body), MALFORMED);
    });
  }
});

describe('LifecycleConfiguration XML: render (golden)', () => {
  it('writes each rule as ID, Filter, Status, then its actions, in stored order', () => {
    const config = configure(
      doc(
        // elements in any order on the way in
        '<Status>Enabled</Status><Expiration><Days>365</Days></Expiration><Transition><Days>30</Days><StorageClass>STANDARD_IA</StorageClass></Transition><Filter><Prefix>documents &amp; &lt;more&gt;/</Prefix></Filter><ID>z-first</ID>',
        '<ID>a-second</ID><Filter><Tag><Key>k</Key><Value>v w</Value></Tag></Filter><Status>Disabled</Status><Expiration><Date>2027-01-01T00:00:00Z</Date></Expiration>',
        '<ID>marker</ID><Filter></Filter><Status>Enabled</Status><Expiration><ExpiredObjectDeleteMarker>false</ExpiredObjectDeleteMarker></Expiration><AbortIncompleteMultipartUpload><DaysAfterInitiation>3</DaysAfterInitiation></AbortIncompleteMultipartUpload>',
        '<ID>versions</ID><Filter><And><Prefix></Prefix><Tag><Key>team</Key></Tag><ObjectSizeGreaterThan>0</ObjectSizeGreaterThan><ObjectSizeLessThan>131072</ObjectSizeLessThan></And></Filter><Status>Enabled</Status>' +
          '<NoncurrentVersionExpiration><NewerNoncurrentVersions>5</NewerNoncurrentVersions><NoncurrentDays>90</NoncurrentDays></NoncurrentVersionExpiration>' +
          '<NoncurrentVersionTransition><StorageClass>GLACIER</StorageClass><NoncurrentDays>30</NoncurrentDays></NoncurrentVersionTransition>',
        '<ID>small</ID><Filter><ObjectSizeLessThan>1</ObjectSizeLessThan></Filter><Status>Enabled</Status><NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays></NoncurrentVersionExpiration>',
      ),
    );
    assert.equal(
      renderLifecycleConfiguration(config),
      HEAD +
        '<Rule><ID>z-first</ID><Filter><Prefix>documents &amp; &lt;more&gt;/</Prefix></Filter><Status>Enabled</Status>' +
        '<Transition><Days>30</Days><StorageClass>STANDARD_IA</StorageClass></Transition><Expiration><Days>365</Days></Expiration></Rule>' +
        '<Rule><ID>a-second</ID><Filter><Tag><Key>k</Key><Value>v w</Value></Tag></Filter><Status>Disabled</Status>' +
        '<Expiration><Date>2027-01-01T00:00:00.000Z</Date></Expiration></Rule>' +
        '<Rule><ID>marker</ID><Filter></Filter><Status>Enabled</Status><Expiration><ExpiredObjectDeleteMarker>false</ExpiredObjectDeleteMarker></Expiration>' +
        '<AbortIncompleteMultipartUpload><DaysAfterInitiation>3</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule>' +
        '<Rule><ID>versions</ID><Filter><And><Prefix></Prefix><Tag><Key>team</Key><Value></Value></Tag><ObjectSizeGreaterThan>0</ObjectSizeGreaterThan>' +
        '<ObjectSizeLessThan>131072</ObjectSizeLessThan></And></Filter><Status>Enabled</Status>' +
        '<NoncurrentVersionTransition><NoncurrentDays>30</NoncurrentDays><StorageClass>GLACIER</StorageClass></NoncurrentVersionTransition>' +
        '<NoncurrentVersionExpiration><NoncurrentDays>90</NoncurrentDays><NewerNoncurrentVersions>5</NewerNoncurrentVersions></NoncurrentVersionExpiration></Rule>' +
        '<Rule><ID>small</ID><Filter><ObjectSizeLessThan>1</ObjectSizeLessThan></Filter><Status>Enabled</Status>' +
        '<NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays></NoncurrentVersionExpiration></Rule>' +
        TAIL,
    );
  });

  it('gives back a V1 rule with its rule-level Prefix, and a generated ID', () => {
    const config = configure(
      doc('<Prefix>projectdocs/</Prefix><Status>Enabled</Status><Transition><Days>365</Days><StorageClass>GLACIER</StorageClass></Transition><Expiration><Days>3650</Days></Expiration>'),
    );
    assert.equal(
      renderLifecycleConfiguration(config),
      HEAD +
        '<Rule><ID>generated-1</ID><Prefix>projectdocs/</Prefix><Status>Enabled</Status>' +
        '<Transition><Days>365</Days><StorageClass>GLACIER</StorageClass></Transition><Expiration><Days>3650</Days></Expiration></Rule>' +
        TAIL,
    );
  });

  it('a transition by date', () => {
    const config = configure(doc('<ID>d</ID><Filter><Prefix>a</Prefix></Filter><Status>Enabled</Status><Transition><Date>2027-06-01T00:00:00+00:00</Date><StorageClass>DEEP_ARCHIVE</StorageClass></Transition>'));
    assert.equal(
      renderLifecycleConfiguration(config),
      HEAD +
        '<Rule><ID>d</ID><Filter><Prefix>a</Prefix></Filter><Status>Enabled</Status><Transition><Date>2027-06-01T00:00:00.000Z</Date><StorageClass>DEEP_ARCHIVE</StorageClass></Transition></Rule>' +
        TAIL,
    );
  });

  it('what it renders parses back to the same configuration', () => {
    const body = doc(
      '<ID>a</ID><Filter><And><Prefix>x/</Prefix><Tag><Key>k</Key><Value>v</Value></Tag></And></Filter><Status>Enabled</Status><Transition><Days>0</Days><StorageClass>GLACIER_IR</StorageClass></Transition><Expiration><Days>9</Days></Expiration>',
      '<ID>b</ID><Filter><ObjectSizeGreaterThan>5</ObjectSizeGreaterThan></Filter><Status>Disabled</Status><NoncurrentVersionExpiration><NoncurrentDays>4</NoncurrentDays><NewerNoncurrentVersions>1</NewerNoncurrentVersions></NoncurrentVersionExpiration>',
    );
    const once = configure(body);
    const twice = configure(renderLifecycleConfiguration(once));
    assert.deepEqual(twice, once);
  });
});
