import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MetricsConfigurationDraft } from '../../../src/core/metrics/MetricsConfigurationDraft.js';
import {
  parseMetricsConfiguration,
  renderListMetricsConfigurationsResult,
  renderMetricsConfiguration,
} from '../../../src/s3/xml/shapes/MetricsConfiguration.js';
import { AP_ARN, configure, doc, expectS3Error, MALFORMED, tag } from './support.js';

const XMLNS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';
const DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';

describe('MetricsConfiguration XML: parse', () => {
  it('reads a document into a draft, every element as given', () => {
    const body = `<?xml version="1.0" encoding="UTF-8"?>
<MetricsConfiguration ${XMLNS}>
  <Id>ImportantBlueDocuments</Id>
  <Filter>
    <And>
      <Prefix>documents/</Prefix>
      <Tag><Key>priority</Key><Value>high</Value></Tag>
      <Tag><Key>class</Key><Value>blue</Value></Tag>
      <AccessPointArn> ${AP_ARN} </AccessPointArn>
    </And>
  </Filter>
</MetricsConfiguration>`;
    const expected: MetricsConfigurationDraft = {
      id: 'ImportantBlueDocuments',
      filter: {
        tags: [],
        and: { prefix: 'documents/', tags: [{ key: 'priority', value: 'high' }, { key: 'class', value: 'blue' }], accessPointArn: AP_ARN },
      },
    };
    assert.deepEqual(parseMetricsConfiguration(body), expected);
  });

  it('keeps every direct condition, so that more than one can be refused', () => {
    assert.deepEqual(parseMetricsConfiguration(doc('a', `<Filter><Prefix>p</Prefix>${tag('k')}${tag('l')}</Filter>`)), {
      id: 'a',
      filter: { prefix: 'p', tags: [{ key: 'k', value: 'v' }, { key: 'l', value: 'v' }] },
    });
  });

  it('a document without Id or Filter is still a draft (the Id is required by validation)', () => {
    assert.deepEqual(parseMetricsConfiguration('<MetricsConfiguration/>'), {});
  });

  const malformed: ReadonlyArray<[string, string]> = [
    ['an empty body', ''],
    ['text that is not XML', 'count my requests'],
    ['another root element', '<MetricsConfig><Id>a</Id></MetricsConfig>'],
    ['the list result as body', '<ListMetricsConfigurationsResult><IsTruncated>false</IsTruncated></ListMetricsConfigurationsResult>'],
    ['an entity declaration', '<!DOCTYPE x [<!ENTITY e "boom">]><MetricsConfiguration><Id>&e;</Id></MetricsConfiguration>'],
    ['an unknown element', doc('a', '<Status>Enabled</Status>')],
    ['two Id elements', doc('a', '<Id>b</Id>')],
    ['two Filter elements', doc('a', '<Filter><Prefix>a</Prefix></Filter><Filter><Prefix>b</Prefix></Filter>')],
    ['an unknown element in a Filter', doc('a', '<Filter><Suffix>.log</Suffix></Filter>')],
    ['an unknown element in an And', doc('a', `<Filter><And>${tag('k')}${tag('l')}<Size>1</Size></And></Filter>`)],
    ['two Prefix elements in a Filter', doc('a', '<Filter><Prefix>a</Prefix><Prefix>b</Prefix></Filter>')],
    ['two Prefix elements in an And', doc('a', `<Filter><And><Prefix>a</Prefix><Prefix>b</Prefix>${tag('k')}</And></Filter>`)],
    ['two AccessPointArn elements', doc('a', `<Filter><And><AccessPointArn>${AP_ARN}</AccessPointArn><AccessPointArn>${AP_ARN}</AccessPointArn></And></Filter>`)],
    ['two And elements', doc('a', `<Filter><And>${tag('a')}${tag('b')}</And><And>${tag('c')}${tag('d')}</And></Filter>`)],
    ['a tag without Key', doc('a', '<Filter><Tag><Value>v</Value></Tag></Filter>')],
    ['an unknown element in a Tag', doc('a', '<Filter><Tag><Key>k</Key><Value>v</Value><Other/></Tag></Filter>')],
    ['an element where the Id was expected', doc(undefined, '<Id><A/></Id>')],
    ['text where the Filter was expected', doc('a', '<Filter>logs/</Filter>')],
  ];
  for (const [name, body] of malformed) {
    it(`${name}: MalformedXML`, () => {
      expectS3Error(() => parseMetricsConfiguration(body), MALFORMED);
    });
  }
});

describe('MetricsConfiguration XML: render (golden)', () => {
  const golden: ReadonlyArray<[string, string, string]> = [
    ['no filter', doc('EntireBucket'), '<Id>EntireBucket</Id>'],
    ['a prefix, escaped', doc('p', '<Filter><Prefix>a &amp; &lt;b&gt;/</Prefix></Filter>'), '<Id>p</Id><Filter><Prefix>a &amp; &lt;b&gt;/</Prefix></Filter>'],
    ['the empty prefix', doc('p', '<Filter><Prefix/></Filter>'), '<Id>p</Id><Filter><Prefix></Prefix></Filter>'],
    ['a tag', doc('t', `<Filter>${tag('env', 'prod one')}</Filter>`), '<Id>t</Id><Filter><Tag><Key>env</Key><Value>prod one</Value></Tag></Filter>'],
    ['an access point', doc('a', `<Filter><AccessPointArn>${AP_ARN}</AccessPointArn></Filter>`), `<Id>a</Id><Filter><AccessPointArn>${AP_ARN}</AccessPointArn></Filter>`],
    [
      'an And, in schema order whatever the order sent, tags as sent',
      doc('and', `<Filter><And><AccessPointArn>${AP_ARN}</AccessPointArn>${tag('z', '1')}<Prefix>d/</Prefix>${tag('a', '2')}</And></Filter>`),
      `<Id>and</Id><Filter><And><Prefix>d/</Prefix><Tag><Key>z</Key><Value>1</Value></Tag><Tag><Key>a</Key><Value>2</Value></Tag><AccessPointArn>${AP_ARN}</AccessPointArn></And></Filter>`,
    ],
    ['an And of a prefix and a tag', doc('pt', `<Filter><And><Prefix></Prefix>${tag('k', '')}</And></Filter>`), '<Id>pt</Id><Filter><And><Prefix></Prefix><Tag><Key>k</Key><Value></Value></Tag></And></Filter>'],
  ];
  for (const [name, body, inner] of golden) {
    it(name, () => {
      const id = /<Id>([^<]*)<\/Id>/.exec(body)?.[1];
      const rendered = renderMetricsConfiguration(configure(body, id));
      assert.equal(rendered, `${DECL}<MetricsConfiguration ${XMLNS}>${inner}</MetricsConfiguration>`);
      // and what is rendered parses back to the same configuration
      assert.deepEqual(configure(rendered, id), configure(body, id));
    });
  }
});

describe('ListMetricsConfigurationsResult XML: render (golden)', () => {
  it('an empty, complete list', () => {
    assert.equal(
      renderListMetricsConfigurationsResult({ configurations: [], isTruncated: false }),
      `${DECL}<ListMetricsConfigurationsResult ${XMLNS}><IsTruncated>false</IsTruncated></ListMetricsConfigurationsResult>`,
    );
  });

  it('a truncated page: the token sent, the next token, each configuration as a MetricsConfiguration element', () => {
    const rendered = renderListMetricsConfigurationsResult({
      configurations: [{ id: 'a' }, { id: 'b', filter: { prefix: 'x/', tags: [] } }],
      isTruncated: true,
      continuationToken: 'bTE6MA==',
      nextContinuationToken: 'bTE6Yg==',
    });
    assert.equal(
      rendered,
      `${DECL}<ListMetricsConfigurationsResult ${XMLNS}><IsTruncated>true</IsTruncated><ContinuationToken>bTE6MA==</ContinuationToken>` +
        '<NextContinuationToken>bTE6Yg==</NextContinuationToken><MetricsConfiguration><Id>a</Id></MetricsConfiguration>' +
        '<MetricsConfiguration><Id>b</Id><Filter><Prefix>x/</Prefix></Filter></MetricsConfiguration></ListMetricsConfigurationsResult>',
    );
  });
});
