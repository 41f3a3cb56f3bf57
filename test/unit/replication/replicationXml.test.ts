import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReplicationDraft } from '../../../src/core/replication/ReplicationDraft.js';
import { parseReplicationConfiguration, renderReplicationConfiguration } from '../../../src/s3/xml/shapes/ReplicationConfiguration.js';
import { configure, destination, doc, expectS3Error, MALFORMED, ROLE, tag, v1, v2 } from './support.js';

const HEAD = `<?xml version="1.0" encoding="UTF-8"?>\n<ReplicationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Role>${ROLE}</Role>`;
const TAIL = '</ReplicationConfiguration>';

describe('ReplicationConfiguration XML: parse', () => {
  it('reads a document into a draft, every element as given', () => {
    const body = `<?xml version="1.0" encoding="UTF-8"?>
<ReplicationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Role>${ROLE}</Role>
  <Rule>
    <ID>tax</ID>
    <Priority>2</Priority>
    <Status>Enabled</Status>
    <DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>
    <Filter>
      <And>
        <Prefix>TaxDocs</Prefix>
        <Tag><Key>key1</Key><Value>value1</Value></Tag>
        <Tag><Key>key2</Key></Tag>
      </And>
    </Filter>
    <Destination>
      <Bucket>arn:aws:s3:::exampletargetbucket</Bucket>
      <Account>210987654321</Account>
      <StorageClass>STANDARD_IA</StorageClass>
    </Destination>
    <ExistingObjectReplication><Status>Enabled</Status></ExistingObjectReplication>
  </Rule>
  <Rule>
    <Status> Disabled </Status>
    <Prefix>old/</Prefix>
    <Destination><Bucket>arn:aws:s3:::exampletargetbucket</Bucket></Destination>
  </Rule>
</ReplicationConfiguration>`;
    const expected: ReplicationDraft = {
      role: ROLE,
      rules: [
        {
          id: 'tax',
          priority: 2,
          status: 'Enabled',
          filter: { tags: [], and: { prefix: 'TaxDocs', tags: [{ key: 'key1', value: 'value1' }, { key: 'key2', value: '' }] } },
          destination: { bucket: 'arn:aws:s3:::exampletargetbucket', account: '210987654321', storageClass: 'STANDARD_IA' },
          deleteMarkerReplication: { status: 'Disabled' },
          existingObjectReplication: { status: 'Enabled' },
        },
        { status: 'Disabled', prefix: 'old/', destination: { bucket: 'arn:aws:s3:::exampletargetbucket' } },
      ],
    };
    assert.deepEqual(parseReplicationConfiguration(body), expected);
  });

  it('keeps a prefix as written (spaces, entities)', () => {
    const draft = parseReplicationConfiguration(doc(v2({ filter: '<Filter><Prefix> a&amp;b </Prefix></Filter>' })));
    assert.equal(draft.rules[0]?.filter?.prefix, ' a&b ');
  });

  const malformed: ReadonlyArray<[string, string]> = [
    ['an empty body', ''],
    ['text that is not XML', 'replicate please'],
    ['another root element', `<ReplicationConfig><Role>${ROLE}</Role></ReplicationConfig>`],
    ['an entity declaration', '<!DOCTYPE x [<!ENTITY e "boom">]><ReplicationConfiguration>&e;</ReplicationConfiguration>'],
    ['an unknown element beside the rules', doc(v2()).replace('</ReplicationConfiguration>', '<Other/></ReplicationConfiguration>')],
    ['two Role elements', doc(v2()).replace('<Rule>', `<Role>${ROLE}</Role><Rule>`)],
    ['an unknown element in a rule', doc(v2({ extra: '<DeleteReplication><Status>Enabled</Status></DeleteReplication>' }))],
    ['an unknown element in a filter', doc(v2({ filter: '<Filter><Suffix>.log</Suffix></Filter>' }))],
    ['an unknown element in an And', doc(v2({ filter: `<Filter><And><Prefix>a</Prefix>${tag('k')}<Size>1</Size></And></Filter>` }))],
    ['an unknown element in a Destination', doc(v2().replace('</Bucket>', '</Bucket><Region>eu-west-1</Region>'))],
    ['an unknown element in a Tag', doc(v2({ filter: '<Filter><Tag><Key>k</Key><Value>v</Value><Other/></Tag></Filter>' }))],
    ['an unknown element in DeleteMarkerReplication', doc(v2().replace('<DeleteMarkerReplication><Status>Disabled</Status>', '<DeleteMarkerReplication><Status>Disabled</Status><Mode>all</Mode>'))],
    ['two Status elements', doc(v2({ extra: '<Status>Enabled</Status>' }))],
    ['two Priority elements', doc(v2({ extra: '<Priority>2</Priority>' }))],
    ['two Filter elements', doc(v2({ filter: '<Filter/><Filter/>' }))],
    ['two Destination elements', doc(v2({ extra: destination() }))],
    ['two Bucket elements', doc(v2().replace('</Bucket>', `</Bucket><Bucket>arn:aws:s3:::other</Bucket>`))],
    ['two And elements', doc(v2({ filter: `<Filter><And>${tag('a')}${tag('b')}</And><And>${tag('c')}${tag('d')}</And></Filter>` }))],
    ['Priority that is not a number', doc(v2().replace('<Priority>1</Priority>', '<Priority>high</Priority>'))],
    ['Priority with a fraction', doc(v2().replace('<Priority>1</Priority>', '<Priority>1.5</Priority>'))],
    ['Priority past a 32-bit integer', doc(v2().replace('<Priority>1</Priority>', '<Priority>2147483648</Priority>'))],
    ['a tag without Key', doc(v2({ filter: '<Filter><Tag><Value>v</Value></Tag></Filter>' }))],
    ['an element where a prefix was expected', doc(v2({ filter: '<Filter><Prefix><A/></Prefix></Filter>' }))],
  ];
  for (const [name, body] of malformed) {
    it(`${name}: MalformedXML`, () => {
      expectS3Error(() => parseReplicationConfiguration(body), MALFORMED);
    });
  }

  const unsupported: ReadonlyArray<[string, string, string]> = [
    ['SourceSelectionCriteria', doc(v2({ extra: '<SourceSelectionCriteria><ReplicaModifications><Status>Enabled</Status></ReplicaModifications></SourceSelectionCriteria>' })), 'SourceSelectionCriteria'],
    ['a Destination with ReplicationTime', doc(v2().replace('</Bucket>', '</Bucket><ReplicationTime><Status>Enabled</Status><Time><Minutes>15</Minutes></Time></ReplicationTime>')), 'ReplicationTime'],
    ['a Destination with AccessControlTranslation', doc(v2().replace('</Bucket>', '</Bucket><AccessControlTranslation><Owner>Destination</Owner></AccessControlTranslation>')), 'AccessControlTranslation'],
  ];
  for (const [name, body, element] of unsupported) {
    it(`${name}: NotImplemented, not silently dropped`, () => {
      expectS3Error(() => parseReplicationConfiguration(body), {
        code: 'NotImplemented',
        message: `The replication configuration element ${element} is not supported.`,
      });
    });
  }
});

describe('ReplicationConfiguration XML: render (golden)', () => {
  it('writes the role, then each rule as ID, Priority, Filter, Status, ExistingObjectReplication, Destination, DeleteMarkerReplication', () => {
    const config = configure(
      doc(
        // elements in any order on the way in
        '<DeleteMarkerReplication><Status>Enabled</Status></DeleteMarkerReplication><Destination><StorageClass>STANDARD_IA</StorageClass><Bucket>arn:aws:s3:::dest-a</Bucket></Destination>' +
          '<Status>Enabled</Status><Filter><Prefix>documents &amp; &lt;more&gt;/</Prefix></Filter><Priority>10</Priority><ID>z-first</ID>',
        `<ID>a-second</ID><Priority>3</Priority><Filter><Tag><Key>k</Key><Value>v w</Value></Tag></Filter><Status>Disabled</Status>${destination('arn:aws:s3:::dest-b', '<Account>210987654321</Account>')}` +
          '<DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication><ExistingObjectReplication><Status>Enabled</Status></ExistingObjectReplication>',
        `<ID>all</ID><Priority>0</Priority><Filter></Filter><Status>Enabled</Status>${destination()}<DeleteMarkerReplication/>`,
        `<ID>and</ID><Priority>7</Priority><Filter><And><Prefix></Prefix><Tag><Key>team</Key></Tag>${tag('env', 'prod')}</And></Filter><Status>Enabled</Status>${destination()}` +
          '<DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>',
      ),
    );
    assert.equal(
      renderReplicationConfiguration(config),
      HEAD +
        '<Rule><ID>z-first</ID><Priority>10</Priority><Filter><Prefix>documents &amp; &lt;more&gt;/</Prefix></Filter><Status>Enabled</Status>' +
        '<Destination><Bucket>arn:aws:s3:::dest-a</Bucket><StorageClass>STANDARD_IA</StorageClass></Destination>' +
        '<DeleteMarkerReplication><Status>Enabled</Status></DeleteMarkerReplication></Rule>' +
        '<Rule><ID>a-second</ID><Priority>3</Priority><Filter><Tag><Key>k</Key><Value>v w</Value></Tag></Filter><Status>Disabled</Status>' +
        '<ExistingObjectReplication><Status>Enabled</Status></ExistingObjectReplication>' +
        '<Destination><Bucket>arn:aws:s3:::dest-b</Bucket><Account>210987654321</Account></Destination>' +
        '<DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication></Rule>' +
        '<Rule><ID>all</ID><Priority>0</Priority><Filter></Filter><Status>Enabled</Status>' +
        '<Destination><Bucket>arn:aws:s3:::destination</Bucket></Destination><DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication></Rule>' +
        '<Rule><ID>and</ID><Priority>7</Priority><Filter><And><Prefix></Prefix><Tag><Key>team</Key><Value></Value></Tag><Tag><Key>env</Key><Value>prod</Value></Tag></And></Filter>' +
        '<Status>Enabled</Status><Destination><Bucket>arn:aws:s3:::destination</Bucket></Destination>' +
        '<DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication></Rule>' +
        TAIL,
    );
  });

  it('gives back V1 rules with their rule-level Prefix and no Priority, and a generated ID', () => {
    const config = configure(doc('<Prefix>projectdocs/</Prefix><Status>Enabled</Status>' + destination(), v1('b', '')));
    assert.equal(
      renderReplicationConfiguration(config),
      HEAD +
        '<Rule><ID>generated-1</ID><Prefix>projectdocs/</Prefix><Status>Enabled</Status><Destination><Bucket>arn:aws:s3:::destination</Bucket></Destination></Rule>' +
        '<Rule><ID>b</ID><Prefix></Prefix><Status>Enabled</Status><Destination><Bucket>arn:aws:s3:::destination</Bucket></Destination></Rule>' +
        TAIL,
    );
  });

  it('what it renders parses back to the same configuration', () => {
    const body = doc(
      v2({ id: 'a', priority: 4, filter: `<Filter><And><Prefix>x/</Prefix>${tag('k')}</And></Filter>`, extra: '<ExistingObjectReplication><Status>Disabled</Status></ExistingObjectReplication>' }),
      v2({ id: 'b', priority: 9, filter: '<Filter><Prefix>y/</Prefix></Filter>', deleteMarkers: 'Enabled', dest: 'arn:aws:s3:::elsewhere' }),
      v2({ id: 'c', priority: 1, filter: `<Filter>${tag('only', '')}</Filter>`, status: 'Disabled' }).replace('</Bucket>', '</Bucket><Account>1</Account><StorageClass>GLACIER</StorageClass>'),
    );
    const once = configure(body);
    const twice = configure(renderReplicationConfiguration(once));
    assert.deepEqual(twice, once);
    const v1Once = configure(doc(v1('p', 'a/'), v1('q', 'b/')));
    assert.deepEqual(configure(renderReplicationConfiguration(v1Once)), v1Once);
  });
});
