import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReplicationConfiguration } from '../../../src/core/replication/ReplicationRule.js';
import { replicatesDeleteMarkers, replicationRuleFor, replicationRulesFor, ruleApplies } from '../../../src/core/replication/selectRule.js';
import type { Tag } from '../../../src/core/tags/Tag.js';
import { configure, doc, tag, v1, v2 } from './support.js';

const tags = (...pairs: Array<[string, string]>): Tag[] => pairs.map(([key, value]) => ({ key, value }));

/** A V2 configuration: every kind of filter, overlapping, at different priorities, one Disabled. */
const V2: ReplicationConfiguration = configure(
  doc(
    v2({ id: 'everything', priority: 1 }),
    v2({ id: 'logs', priority: 5, filter: '<Filter><Prefix>logs/</Prefix></Filter>' }),
    v2({ id: 'gold', priority: 8, filter: `<Filter>${tag('tier', 'gold')}</Filter>` }),
    v2({ id: 'secret-logs', priority: 9, filter: `<Filter><And><Prefix>logs/secret/</Prefix>${tag('tier', 'gold')}${tag('team', 'ops')}</And></Filter>` }),
    v2({ id: 'off', priority: 100, status: 'Disabled' }),
    v2({ id: 'archive', priority: 2, filter: '<Filter><Prefix>logs/</Prefix></Filter>', dest: 'arn:aws:s3:::archive' }),
  ),
);

describe('replicationRuleFor: the Enabled rule that applies, highest Priority first', () => {
  const cases: ReadonlyArray<[string, string, Tag[], string | undefined]> = [
    ['a key no filter names: the empty filter', 'photos/a.jpg', [], 'everything'],
    ['a key under logs/: the prefix rule outranks the empty filter', 'logs/app.log', [], 'logs'],
    ['a gold object under logs/: the tag rule has the higher priority', 'logs/app.log', tags(['tier', 'gold']), 'gold'],
    ['a tag with another value does not match', 'x', tags(['tier', 'silver']), 'everything'],
    ['tag keys are case-sensitive', 'x', tags(['Tier', 'gold']), 'everything'],
    ['an And needs its prefix and every tag', 'logs/secret/k', tags(['tier', 'gold'], ['team', 'ops']), 'secret-logs'],
    ['an And with one tag missing falls back', 'logs/secret/k', tags(['tier', 'gold']), 'gold'],
    ['an And with the prefix missing falls back', 'logs/public/k', tags(['tier', 'gold'], ['team', 'ops'], ['extra', '1']), 'gold'],
    ['extra tags on the object do not matter', 'logs/secret/k', tags(['a', 'b'], ['team', 'ops'], ['tier', 'gold']), 'secret-logs'],
    ['a Disabled rule never applies, whatever its priority', 'photos/a.jpg', [], 'everything'],
  ];
  for (const [name, key, objectTags, expected] of cases) {
    it(name, () => {
      assert.equal(replicationRuleFor(V2, { key, tags: objectTags })?.id, expected);
    });
  }

  it('no rule applies: undefined', () => {
    const config = configure(doc(v2({ filter: '<Filter><Prefix>a/</Prefix></Filter>' })));
    assert.equal(replicationRuleFor(config, { key: 'b/x', tags: [] }), undefined);
  });

  it('the order of the rules does not matter in V2, only the priority', () => {
    const low = v2({ id: 'low', priority: 1, filter: '<Filter><Prefix>a</Prefix></Filter>' });
    const high = v2({ id: 'high', priority: 2, filter: '<Filter><Prefix>ab</Prefix></Filter>' });
    for (const config of [configure(doc(low, high)), configure(doc(high, low))]) {
      assert.equal(replicationRuleFor(config, { key: 'abc', tags: [] })?.id, 'high');
    }
  });

  it('V1 rules have no priority: the first that applies wins', () => {
    const config = configure(doc(v1('short', 'a'), v1('long', 'ab'), v1('other', 'b')));
    assert.equal(replicationRuleFor(config, { key: 'abc', tags: [] })?.id, 'short');
    assert.equal(replicationRuleFor(config, { key: 'b', tags: [] })?.id, 'other');
    assert.equal(replicationRuleFor(config, { key: 'c', tags: [] }), undefined);
  });
});

describe('replicationRulesFor: one rule per destination bucket', () => {
  it('each destination gets its own highest-priority rule', () => {
    const rules = replicationRulesFor(V2, { key: 'logs/app.log', tags: tags(['tier', 'gold']) });
    assert.deepEqual(rules.map((r) => [r.id, r.destination.bucket]), [['gold', 'destination'], ['archive', 'archive']]);
  });

  it('a destination no applying rule names is left out', () => {
    const rules = replicationRulesFor(V2, { key: 'photos/a.jpg', tags: [] });
    assert.deepEqual(rules.map((r) => r.id), ['everything']);
  });
});

describe('ruleApplies and replicatesDeleteMarkers', () => {
  it('a delete marker (no tags) never matches a tag rule', () => {
    const gold = V2.rules.find((r) => r.id === 'gold')!;
    assert.equal(ruleApplies(gold, { key: 'x', tags: [] }), false);
  });

  const config = configure(
    doc(
      v2({ id: 'on', priority: 1, filter: '<Filter><Prefix>a</Prefix></Filter>', deleteMarkers: 'Enabled' }),
      v2({ id: 'off', priority: 2, filter: '<Filter><Prefix>b</Prefix></Filter>' }),
    ),
  );
  const cases: ReadonlyArray<[string, ReplicationConfiguration, string, boolean]> = [
    ['a V2 rule with DeleteMarkerReplication Enabled', config, 'on', true],
    ['a V2 rule with DeleteMarkerReplication Disabled', config, 'off', false],
    ['a V1 rule: always (the first schema has no switch)', configure(doc(v1('v1', ''))), 'v1', true],
  ];
  for (const [name, c, id, expected] of cases) {
    it(name, () => {
      assert.equal(replicatesDeleteMarkers(c.rules.find((r) => r.id === id)!), expected);
    });
  }
});
