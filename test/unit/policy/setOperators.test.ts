import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cond } from './helpers.js';

/**
 * ForAllValues / ForAnyValue against a multivalued key (s3:RequestObjectTagKeys), with the policy values
 * ["Owner", "CreationDate"]. Request values: absent (undefined), empty set, [""] (a null data set too), one, several.
 */
const POLICY = ['Owner', 'CreationDate'];
const ABSENT = undefined;
const EMPTY: readonly string[] = [];
const EMPTY_STRING: readonly string[] = [''];
const SUBSET: readonly string[] = ['Owner'];
const ALL: readonly string[] = ['Owner', 'CreationDate'];
const MIXED: readonly string[] = ['Owner', 'Project'];
const NONE: readonly string[] = ['Project', 'Cost'];

type Row = readonly [operator: string, request: readonly string[] | undefined, expected: boolean];

const ROWS: readonly Row[] = [
  // ForAllValues: every request value matches some policy value; true for absent / empty.
  ['ForAllValues:StringEquals', ABSENT, true],
  ['ForAllValues:StringEquals', EMPTY, true],
  ['ForAllValues:StringEquals', EMPTY_STRING, true],
  ['ForAllValues:StringEquals', SUBSET, true],
  ['ForAllValues:StringEquals', ALL, true],
  ['ForAllValues:StringEquals', MIXED, false],
  ['ForAllValues:StringEquals', NONE, false],
  // ForAnyValue: at least one request value matches; false for absent / empty.
  ['ForAnyValue:StringEquals', ABSENT, false],
  ['ForAnyValue:StringEquals', EMPTY, false],
  ['ForAnyValue:StringEquals', EMPTY_STRING, false],
  ['ForAnyValue:StringEquals', SUBSET, true],
  ['ForAnyValue:StringEquals', MIXED, true],
  ['ForAnyValue:StringEquals', NONE, false],
  // ForAllValues with a negated operator: no request value matches any policy value; still true when absent.
  ['ForAllValues:StringNotEquals', ABSENT, true],
  ['ForAllValues:StringNotEquals', EMPTY, true],
  ['ForAllValues:StringNotEquals', SUBSET, false],
  ['ForAllValues:StringNotEquals', MIXED, false],
  ['ForAllValues:StringNotEquals', NONE, true],
  // ForAnyValue with a negated operator: some request value matches none of the policy values; false when absent.
  ['ForAnyValue:StringNotEquals', ABSENT, false],
  ['ForAnyValue:StringNotEquals', EMPTY, false],
  ['ForAnyValue:StringNotEquals', SUBSET, false],
  ['ForAnyValue:StringNotEquals', ALL, false],
  ['ForAnyValue:StringNotEquals', MIXED, true],
  ['ForAnyValue:StringNotEquals', NONE, true],
  // IfExists: an absent or empty key passes for both qualifiers.
  ['ForAnyValue:StringEqualsIfExists', ABSENT, true],
  ['ForAnyValue:StringEqualsIfExists', EMPTY, true],
  ['ForAnyValue:StringEqualsIfExists', NONE, false],
  ['ForAllValues:StringEqualsIfExists', ABSENT, true],
  ['ForAllValues:StringEqualsIfExists', MIXED, false],
  // Like operators.
  ['ForAllValues:StringLike', ['Owner', 'CreationDate'], true],
  ['ForAnyValue:StringNotLike', ['Owner', 'CreationDate'], false],
];

describe('set operators on s3:RequestObjectTagKeys with ["Owner", "CreationDate"]', () => {
  for (const [operator, request, expected] of ROWS) {
    it(`${operator} vs ${JSON.stringify(request)} → ${expected}`, () => {
      assert.equal(cond(operator, 's3:RequestObjectTagKeys', POLICY, request), expected);
    });
  }

  it('wildcards in set operators', () => {
    assert.equal(cond('ForAllValues:StringLike', 's3:RequestObjectTagKeys', ['team-*'], ['team-a', 'team-b']), true);
    assert.equal(cond('ForAllValues:StringLike', 's3:RequestObjectTagKeys', ['team-*'], ['team-a', 'owner']), false);
    assert.equal(cond('ForAnyValue:StringLike', 's3:RequestObjectTagKeys', ['team-*'], ['owner', 'team-a']), true);
  });

  it('the tag-key values are case-sensitive', () => {
    assert.equal(cond('ForAllValues:StringEquals', 's3:RequestObjectTagKeys', POLICY, ['owner']), false);
    assert.equal(cond('ForAllValues:StringEqualsIgnoreCase', 's3:RequestObjectTagKeys', POLICY, ['owner']), true);
  });

  it('set operators also work on single-valued keys (each value tested, absent key as above)', () => {
    assert.equal(cond('ForAnyValue:StringEquals', 's3:prefix', ['a/', 'b/'], ['b/']), true);
    assert.equal(cond('ForAllValues:StringEquals', 's3:prefix', ['a/'], undefined), true);
    assert.equal(cond('ForAnyValue:IpAddress', 'aws:SourceIp', ['10.0.0.0/8'], ['10.1.1.1']), true);
  });

  it('a plain operator on a multivalued key matches when any request value matches', () => {
    assert.equal(cond('StringEquals', 's3:RequestObjectTagKeys', 'Owner', ['Project', 'Owner']), true);
    assert.equal(cond('StringNotEquals', 's3:RequestObjectTagKeys', 'Owner', ['Project', 'Owner']), false);
    assert.equal(cond('StringNotEquals', 's3:RequestObjectTagKeys', 'Owner', ['Project']), true);
  });
});
