import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileCondition, evaluateCondition } from '../../../src/policy/engine/conditions.js';
import { OPERATORS } from '../../../src/policy/engine/index.js';

/**
 * A single-valued key is looked up as one string (RequestContext's `KeyValue`), and evaluateCondition answers it on a
 * path of its own (evaluateOne). That path must answer exactly as the list of that one value does: every operator,
 * with and without `IfExists` and the set qualifiers, on values that match, that do not, that do not parse, and the
 * empty string (an empty set for `ForAllValues` / `ForAnyValue`). Written out rather than drawn: the reference
 * evaluator of fastEvaluation.test.ts shares evaluateCondition, so it cannot tell the two paths apart.
 */
const options = { variables: true, allowForeignKeys: true };
const none = (): undefined => undefined;

/** Per family: a key, policy values, and request values (matching, not matching, malformed, empty). */
const FAMILIES: Record<string, { key: string; policy: string[]; requests: string[] }> = {
  String: { key: 's3:prefix', policy: ['home/', 'Team-*', 'a?c'], requests: ['home/', 'HOME/', 'Team-x', 'team-x', 'abc', 'ab', ''] },
  Numeric: { key: 's3:max-keys', policy: ['10', '2.5'], requests: ['10', '2.5', '3', '100', '-1', 'ten', ''] },
  Date: { key: 'aws:CurrentTime', policy: ['2030-01-01T00:00:00Z'], requests: ['2029-12-31T23:59:59Z', '2030-01-01T00:00:00Z', '2031-01-01', '1893456000', 'soon', ''] },
  Bool: { key: 'aws:SecureTransport', policy: ['true'], requests: ['true', 'TRUE', 'false', 'yes', ''] },
  Binary: { key: 'aws:UserAgent', policy: ['aGVsbG8='], requests: ['aGVsbG8=', 'd29ybGQ=', '!!', ''] },
  IpAddress: { key: 'aws:SourceIp', policy: ['10.0.0.0/8', '::1/128'], requests: ['10.1.2.3', '192.0.2.1', '::1', '::ffff:10.0.0.1', 'host', ''] },
  Arn: { key: 'aws:PrincipalArn', policy: ['arn:aws:iam::123456789012:user/*'], requests: ['arn:aws:iam::123456789012:user/bob', 'arn:aws:iam::999999999999:user/bob', 'x', ''] },
  Null: { key: 's3:prefix', policy: ['true'], requests: ['x', ''] },
};

describe('one value as a string answers as a list of it', () => {
  let compared = 0;
  for (const def of OPERATORS) {
    const family = FAMILIES[def.family];
    assert.ok(family, def.family);
    const variants = def.family === 'Null' ? [def.name] : [def.name, `${def.name}IfExists`, `ForAllValues:${def.name}`, `ForAnyValue:${def.name}`, `ForAllValues:${def.name}IfExists`];
    for (const operator of variants) {
      it(operator, () => {
        const policyValues = def.family === 'Null' ? ['true', 'false'].slice(0, 1) : family.policy;
        const condition = compileCondition(operator, family.key, policyValues, options);
        for (const value of family.requests) {
          assert.equal(evaluateCondition(condition, value, none), evaluateCondition(condition, [value], none), `${operator} on ${JSON.stringify(value)}`);
          compared++;
        }
        if (def.family === 'Null') {
          const notNull = compileCondition(operator, family.key, ['false'], options);
          for (const value of family.requests) assert.equal(evaluateCondition(notNull, value, none), evaluateCondition(notNull, [value], none));
        }
      });
    }
  }
  it('compared every operator', () => assert.ok(compared > 300, `${compared} comparisons`));
});
