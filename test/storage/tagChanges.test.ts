import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Tag } from '../../src/core/tags/Tag.js';
import { tagChanges } from '../../src/storage/metadata/rows/tagChanges.js';

const t = (key: string, value: string): Tag => ({ key, value });

describe('tagChanges: the tag rows a write must change', () => {
  const rows: ReadonlyArray<readonly [string, readonly Tag[], readonly Tag[], { remove: string[]; update: Tag[]; insert: Tag[] }]> = [
    ['no tags to none', [], [], { remove: [], update: [], insert: [] }],
    ['first tags', [], [t('a', '1'), t('b', '2')], { remove: [], update: [], insert: [t('a', '1'), t('b', '2')] }],
    ['all removed', [t('a', '1'), t('b', '2')], [], { remove: ['a', 'b'], update: [], insert: [] }],
    ['the same set again', [t('a', '1'), t('b', '2')], [t('a', '1'), t('b', '2')], { remove: [], update: [], insert: [] }],
    ['the same set in another order', [t('b', '2'), t('a', '1')], [t('a', '1'), t('b', '2')], { remove: [], update: [], insert: [] }],
    ['one value changes', [t('a', '1'), t('b', '2')], [t('a', '1'), t('b', '3')], { remove: [], update: [t('b', '3')], insert: [] }],
    ['a value becomes empty', [t('a', '1')], [t('a', '')], { remove: [], update: [t('a', '')], insert: [] }],
    ['an empty value is kept', [t('a', '')], [t('a', '')], { remove: [], update: [], insert: [] }],
    ['keys differ only in case', [t('a', '1')], [t('A', '1')], { remove: ['a'], update: [], insert: [t('A', '1')] }],
    [
      'mixed',
      [t('keep', 'x'), t('change', 'old'), t('drop', 'y')],
      [t('add', 'z'), t('change', 'new'), t('keep', 'x')],
      { remove: ['drop'], update: [t('change', 'new')], insert: [t('add', 'z')] },
    ],
    ['everything replaced', [t('a', '1'), t('b', '2')], [t('c', '3')], { remove: ['a', 'b'], update: [], insert: [t('c', '3')] }],
  ];
  for (const [name, current, next, expected] of rows) {
    it(name, () => assert.deepEqual(tagChanges(current, next), expected));
  }
});
