import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CompiledPolicies } from '../../../src/policy/CompiledPolicies.js';

const doc = (action: string): string => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });
const actionsOf = (policies: readonly { statements: readonly { action: { patterns: readonly string[] } }[] }[]): string[] =>
  policies.flatMap((p) => p.statements.flatMap((s) => [...s.action.patterns]));

void describe('CompiledPolicies.compile', () => {
  void it('a frozen list is compiled once: the same policies for it, alternating with another list or not', () => {
    const compiled = new CompiledPolicies(undefined);
    const a = Object.freeze([doc('s3:GetObject')]);
    const b = Object.freeze([doc('s3:PutObject'), doc('s3:ListBucket')]);
    const first = compiled.compile(a);
    assert.ok(Object.isFrozen(first));
    assert.deepEqual(actionsOf(first), ['s3:GetObject']);
    for (const list of [a, b, b, a, b]) {
      const policies = compiled.compile(list);
      assert.deepEqual(actionsOf(policies), list === a ? ['s3:GetObject'] : ['s3:PutObject', 's3:ListBucket']);
      if (list === a) assert.equal(policies, first);
    }
  });

  void it('a list that is not frozen is compiled afresh each time (it may have changed)', () => {
    const compiled = new CompiledPolicies(undefined);
    const texts = [doc('s3:GetObject')];
    assert.deepEqual(actionsOf(compiled.compile(texts)), ['s3:GetObject']);
    texts[0] = doc('s3:DeleteObject');
    assert.deepEqual(actionsOf(compiled.compile(texts)), ['s3:DeleteObject']);
  });
});
