import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateLifecycle, type VersionFacts } from '../../../src/core/lifecycle/evaluateLifecycle.js';
import { explainLifecycle } from '../../../src/core/lifecycle/explainLifecycle.js';
import { rulesOf } from './support.js';

const rules = rulesOf(
  '<ID>logs</ID><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>30</Days></Expiration>',
  '<ID>debug</ID><Filter><And><Prefix>logs/</Prefix><Tag><Key>class</Key><Value>debug</Value></Tag></And></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>',
  '<ID>big</ID><Filter><ObjectSizeGreaterThan>1000000</ObjectSizeGreaterThan></Filter><Status>Enabled</Status><Transition><Days>0</Days><StorageClass>GLACIER</StorageClass></Transition>',
  '<ID>old</ID><Filter/><Status>Disabled</Status><Expiration><Days>1</Days></Expiration>',
  '<ID>docs</ID><Filter><Prefix>docs/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>',
);

const version: VersionFacts = {
  key: 'logs/app.log',
  size: 2048,
  tags: [{ key: 'class', value: 'keep' }],
  lastModified: new Date('2026-01-15T10:30:00Z'),
  storageClass: 'STANDARD',
  isLatest: true,
  isDeleteMarker: false,
  newerNoncurrentVersions: 0,
  noncurrentVersions: 0,
};
const context = { now: new Date('2026-01-20T00:00:00Z'), versioning: 'Unversioned' as const };

describe('explainLifecycle', () => {
  const explanation = explainLifecycle(rules, version, context);
  const byId = (id: string) => explanation.rules.find((r) => r.ruleId === id)!;

  it('lists every rule, in configuration order, matched or not', () => {
    assert.deepEqual(
      explanation.rules.map((r) => [r.ruleId, r.matched]),
      [['logs', true], ['debug', false], ['big', false], ['old', false], ['docs', false]],
    );
  });

  it('says why, condition by condition', () => {
    const cases: ReadonlyArray<[string, Array<[string, boolean, string]>]> = [
      ['logs', [['status', true, 'the rule is Enabled'], ['prefix', true, 'key "logs/app.log" starts with "logs/"']]],
      [
        'debug',
        [
          ['status', true, 'the rule is Enabled'],
          ['prefix', true, 'key "logs/app.log" starts with "logs/"'],
          ['tag', false, 'tag class is "keep", the rule wants "debug"'],
        ],
      ],
      ['big', [['status', true, 'the rule is Enabled'], ['objectSizeGreaterThan', false, 'size 2048 is not greater than 1000000']]],
      ['old', [['status', false, 'the rule is Disabled']]],
      ['docs', [['status', true, 'the rule is Enabled'], ['prefix', false, 'key "logs/app.log" does not start with "docs/"']]],
    ];
    for (const [id, checks] of cases) {
      assert.deepEqual(byId(id).checks.map((c) => [c.condition, c.ok, c.detail]), checks, id);
    }
  });

  it('says what each rule would do and when, and whether that time has come', () => {
    const actions = (id: string) => byId(id).actions.map((a) => [a.action.kind, a.dueAt?.toISOString(), a.due, a.heldBy]);
    assert.deepEqual(actions('logs'), [['expireCurrent', '2026-02-15T00:00:00.000Z', false, undefined]]);
    // the rule the object misses by one tag: it would have been deleted already
    assert.deepEqual(actions('debug'), [['expireCurrent', '2026-01-17T00:00:00.000Z', true, undefined]]);
    // a size condition of its own: the 128 KB default does not hold it back
    assert.deepEqual(actions('big'), [['transition', '2026-01-16T00:00:00.000Z', true, undefined]]);
  });

  it('the outcome is evaluateLifecycle’s', () => {
    assert.deepEqual(explanation.evaluation, evaluateLifecycle(rules, version, context));
    assert.equal(explanation.evaluation.due, undefined);
    assert.equal(explanation.evaluation.upcoming[0]?.ruleId, 'logs');
  });

  it('after a tag change, the same object falls under the other rule', () => {
    const tagged = explainLifecycle(rules, { ...version, tags: [{ key: 'class', value: 'debug' }] }, context);
    assert.equal(tagged.rules.find((r) => r.ruleId === 'debug')?.matched, true);
    assert.equal(tagged.evaluation.due?.ruleId, 'debug');
  });

  it('a held-back action says why', () => {
    const keep = rulesOf(
      '<ID>keep-2</ID><Filter/><Status>Enabled</Status><NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays><NewerNoncurrentVersions>2</NewerNoncurrentVersions></NoncurrentVersionExpiration>',
    );
    const noncurrent: VersionFacts = { ...version, isLatest: false, noncurrentSince: new Date('2026-01-16T00:00:00Z'), newerNoncurrentVersions: 1 };
    const [rule] = explainLifecycle(keep, noncurrent, { ...context, versioning: 'Enabled' }).rules;
    assert.deepEqual(rule?.actions.map((a) => a.heldBy), ['NewerNoncurrentVersions keeps the 2 newest noncurrent version(s); 1 are newer than this one']);
  });
});
