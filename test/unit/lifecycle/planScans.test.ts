import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planScans, scanVisits, visitedEarlier, type VersionScan } from '../../../src/core/lifecycle/planScans.js';
import { rulesOf } from './support.js';

const rawTag = '<Tag><Key>type</Key><Value>raw</Value></Tag>';

describe('planScans: the scans a pass reads, from the Enabled rules', () => {
  const cases: ReadonlyArray<{ name: string; rules: string[]; versions: VersionScan[]; uploads: string[] }> = [
    {
      name: 'a tag rule reads the tag index under its prefix',
      rules: [`<ID>a</ID><Filter><And><Prefix>photos/</Prefix>${rawTag}</And></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>`],
      versions: [{ kind: 'tagged', tag: { key: 'type', value: 'raw' }, prefix: 'photos/' }],
      uploads: [],
    },
    {
      name: 'a prefix rule reads the keys under it',
      rules: ['<ID>a</ID><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>'],
      versions: [{ kind: 'keys', prefix: 'logs/' }],
      uploads: [],
    },
    {
      name: 'a rule over every key contains every other scan',
      rules: [
        `<ID>a</ID><Filter>${rawTag}</Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>`,
        '<ID>b</ID><Filter><ObjectSizeGreaterThan>10</ObjectSizeGreaterThan></Filter><Status>Enabled</Status><Expiration><Days>5</Days></Expiration>',
        '<ID>c</ID><Filter><Prefix>x/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>5</Days></Expiration>',
      ],
      versions: [{ kind: 'keys', prefix: '' }],
      uploads: [],
    },
    {
      name: 'Disabled rules are not read; nested prefixes are read once',
      rules: [
        '<ID>a</ID><Filter><Prefix>a/b/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>',
        '<ID>b</ID><Filter><Prefix>a/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>2</Days></Expiration>',
        '<ID>c</ID><Filter><Prefix>z/</Prefix></Filter><Status>Disabled</Status><Expiration><Days>2</Days></Expiration>',
        `<ID>d</ID><Filter><And><Prefix>a/c/</Prefix>${rawTag}</And></Filter><Status>Enabled</Status><Expiration><Days>2</Days></Expiration>`,
      ],
      versions: [{ kind: 'keys', prefix: 'a/' }],
      uploads: [],
    },
    {
      name: 'the widest scan of one tag replaces the narrower ones',
      rules: [
        `<ID>a</ID><Filter><And><Prefix>p/q/</Prefix>${rawTag}</And></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>`,
        `<ID>b</ID><Filter><And><Prefix>p/</Prefix>${rawTag}</And></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>`,
        `<ID>c</ID><Filter><And><Prefix>p/</Prefix><Tag><Key>type</Key><Value>other</Value></Tag></And></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>`,
      ],
      versions: [
        { kind: 'tagged', tag: { key: 'type', value: 'raw' }, prefix: 'p/' },
        { kind: 'tagged', tag: { key: 'type', value: 'other' }, prefix: 'p/' },
      ],
      uploads: [],
    },
    {
      name: 'AbortIncompleteMultipartUpload reads uploads, not versions',
      rules: [
        '<ID>a</ID><Filter><Prefix>tmp/</Prefix></Filter><Status>Enabled</Status><AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation></AbortIncompleteMultipartUpload>',
        '<ID>b</ID><Filter><Prefix>tmp/x/</Prefix></Filter><Status>Enabled</Status><AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation></AbortIncompleteMultipartUpload>',
      ],
      versions: [],
      uploads: ['tmp/'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const plan = planScans(rulesOf(...c.rules));
      assert.deepEqual(plan.versions, c.versions);
      assert.deepEqual(plan.uploads, c.uploads);
    });
  }
});

describe('visitedEarlier: each version is decided by the first scan that reads it', () => {
  const scans: VersionScan[] = [
    { kind: 'keys', prefix: 'logs/' },
    { kind: 'tagged', tag: { key: 'type', value: 'raw' }, prefix: '' },
    { kind: 'tagged', tag: { key: 'k', value: 'v' }, prefix: 'p/' },
  ];
  const raw = [{ key: 'type', value: 'raw' }];
  const both = [...raw, { key: 'k', value: 'v' }];
  const cases: ReadonlyArray<[string, number, string, typeof raw, boolean]> = [
    ['the first scan never skips', 0, 'logs/1', raw, false],
    ['a raw log was read by the keys scan', 1, 'logs/1', raw, true],
    ['a raw photo was not', 1, 'photos/1', raw, false],
    ['a p/ key with both tags was read by the raw scan', 2, 'p/1', both, true],
    ['a p/ key with only k=v was not', 2, 'p/1', [{ key: 'k', value: 'v' }], false],
  ];
  for (const [name, index, key, tags, expected] of cases) {
    it(name, () => assert.equal(visitedEarlier(scans, index, key, tags), expected));
  }
  it('scanVisits: a tag scan needs the exact value under the prefix', () => {
    assert.equal(scanVisits(scans[2]!, 'p/x', [{ key: 'k', value: 'V' }]), false);
    assert.equal(scanVisits(scans[2]!, 'q/x', [{ key: 'k', value: 'v' }]), false);
    assert.equal(scanVisits(scans[2]!, 'p/x', [{ key: 'k', value: 'v' }]), true);
  });
});
