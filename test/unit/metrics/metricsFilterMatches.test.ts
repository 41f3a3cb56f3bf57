import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { filterNeedsTags, type MetricsFilter } from '../../../src/core/metrics/MetricsConfiguration.js';
import { metricsFilterMatches } from '../../../src/core/metrics/metricsFilterMatches.js';
import type { Tag } from '../../../src/core/tags/Tag.js';
import { AP_ARN } from './support.js';

const t = (key: string, value: string): Tag => ({ key, value });

describe('metricsFilterMatches', () => {
  const rows: ReadonlyArray<[string, MetricsFilter | undefined, string, Tag[], boolean]> = [
    ['no filter, any key', undefined, 'a/b', [], true],
    ['no filter, the empty key', undefined, '', [], true],
    ['prefix: key under it', { prefix: 'logs/', tags: [] }, 'logs/2024/a', [], true],
    ['prefix: the prefix itself', { prefix: 'logs/', tags: [] }, 'logs/', [], true],
    ['prefix: key outside it', { prefix: 'logs/', tags: [] }, 'log/a', [], false],
    ['prefix: case-sensitive', { prefix: 'Logs/', tags: [] }, 'logs/a', [], false],
    ['prefix: empty matches all', { prefix: '', tags: [] }, 'anything', [], true],
    ['prefix: key shorter than the prefix', { prefix: 'abc', tags: [] }, 'ab', [], false],
    ['tag: present with the value', { tags: [t('env', 'prod')] }, 'k', [t('env', 'prod')], true],
    ['tag: present with other tags beside', { tags: [t('env', 'prod')] }, 'k', [t('a', '1'), t('env', 'prod'), t('z', '')], true],
    ['tag: other value', { tags: [t('env', 'prod')] }, 'k', [t('env', 'dev')], false],
    ['tag: value case-sensitive', { tags: [t('env', 'prod')] }, 'k', [t('env', 'Prod')], false],
    ['tag: key case-sensitive', { tags: [t('env', 'prod')] }, 'k', [t('Env', 'prod')], false],
    ['tag: absent', { tags: [t('env', 'prod')] }, 'k', [], false],
    ['tag: empty value wanted, empty value present', { tags: [t('env', '')] }, 'k', [t('env', '')], true],
    ['tag: empty value wanted, other value present', { tags: [t('env', '')] }, 'k', [t('env', 'x')], false],
    ['and: prefix and both tags', { prefix: 'd/', tags: [t('a', '1'), t('b', '2')] }, 'd/x', [t('b', '2'), t('a', '1')], true],
    ['and: one tag missing', { prefix: 'd/', tags: [t('a', '1'), t('b', '2')] }, 'd/x', [t('a', '1')], false],
    ['and: tags but prefix wrong', { prefix: 'd/', tags: [t('a', '1'), t('b', '2')] }, 'e/x', [t('a', '1'), t('b', '2')], false],
    ['and: two tags, no prefix', { tags: [t('a', '1'), t('b', '2')] }, 'x', [t('a', '1'), t('b', '2')], true],
    ['access point alone: never', { tags: [], accessPointArn: AP_ARN }, 'k', [], false],
    ['access point in an And whose other conditions hold: never', { prefix: '', tags: [t('a', '1')], accessPointArn: AP_ARN }, 'k', [t('a', '1')], false],
  ];
  for (const [name, filter, key, tags, expected] of rows) {
    it(`${name}: ${expected}`, () => {
      assert.equal(metricsFilterMatches(filter, key, tags), expected);
    });
  }
});

describe('filterNeedsTags', () => {
  it('filterNeedsTags: only filters with a tag condition that can match', () => {
    assert.equal(filterNeedsTags(undefined), false);
    assert.equal(filterNeedsTags({ prefix: 'a', tags: [] }), false);
    assert.equal(filterNeedsTags({ tags: [t('a', '1')] }), true);
    assert.equal(filterNeedsTags({ tags: [t('a', '1')], accessPointArn: AP_ARN }), false);
  });
});
