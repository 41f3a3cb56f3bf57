import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileCondition, evaluateCondition } from '../../../src/policy/engine/conditions.js';
import { mulberry32 } from '../../support/seededRandom.js';

/**
 * IpAddress and Date matchers remember their last answer (conditions.ts `lastAnswer`): one compiled condition asked
 * about a run of request values, repeats and changes mixed, must answer each as a freshly compiled one does.
 */
const options = { variables: true, allowForeignKeys: false };
const none = (): undefined => undefined;

function sameAsFresh(operator: string, key: string, policyValues: string[], requests: readonly string[]): number {
  const reused = compileCondition(operator, key, policyValues, options);
  let trues = 0;
  for (const value of requests) {
    const fresh = evaluateCondition(compileCondition(operator, key, policyValues, options), [value], none);
    assert.equal(evaluateCondition(reused, [value], none), fresh, `${operator} ${JSON.stringify(policyValues)} vs ${value}`);
    if (fresh === true) trues++;
  }
  return trues;
}

describe('conditions that remember their last answer answer as fresh ones (randomized)', () => {
  it('IpAddress and NotIpAddress over runs of addresses', () => {
    const random = mulberry32(91);
    const addresses = ['127.0.0.1', '10.1.2.3', '192.168.0.9', '::1', '::ffff:127.0.0.1', '2001:db8::7', ' 10.0.0.1 ', 'not-an-ip'];
    const blocks = ['127.0.0.0/8', '10.0.0.0/8', '::1/128', '2001:db8::/32', '192.168.0.0/24'];
    let trues = 0;
    for (let round = 0; round < 200; round++) {
      const policy = blocks.filter(() => random() < 0.4);
      if (policy.length === 0) policy.push(blocks[0]!);
      const requests = Array.from({ length: 12 }, () => addresses[Math.floor(random() * addresses.length)]!);
      for (const operator of ['IpAddress', 'NotIpAddress']) trues += sameAsFresh(operator, 'aws:SourceIp', policy, requests);
    }
    assert.ok(trues > 500, `both answers were drawn (${trues} true)`);
  });

  it('DateLessThan and DateGreaterThan over runs of times', () => {
    const random = mulberry32(92);
    const times = ['2024-06-01T00:00:00Z', '2024-06-01T00:00:01Z', '2030-01-01T00:00:00Z', '1700000000', 'yesterday', '2024-06-01T00:00:00+02:00'];
    let trues = 0;
    for (let round = 0; round < 200; round++) {
      const policy = [times[Math.floor(random() * 3)]!];
      const requests = Array.from({ length: 12 }, () => times[Math.floor(random() * times.length)]!);
      for (const operator of ['DateLessThan', 'DateGreaterThan', 'DateEquals']) trues += sameAsFresh(operator, 'aws:CurrentTime', policy, requests);
    }
    assert.ok(trues > 300, `both answers were drawn (${trues} true)`);
  });
});
