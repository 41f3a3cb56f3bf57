import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { authorizeIdentity } from '../../../src/policy/authorizeIdentity.js';
import { parsePolicy, type Policy } from '../../../src/policy/engine/index.js';
import { decisionIgnoresObjectKey } from '../../../src/policy/objectKeyIndependence.js';
import { mulberry32 } from '../../support/seededRandom.js';

function policy(statements: object[]): Policy {
  return parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: statements }), 'identity');
}

const allow = (resource: string | string[], extra: object = {}): object => ({ Effect: 'Allow', Action: 's3:PutObjectTagging', Resource: resource, ...extra });

describe('decisionIgnoresObjectKey', () => {
  const cases: [string, object[], boolean][] = [
    ['Resource *', [allow('*')], true],
    ['every object', [allow('arn:aws:s3:::*/*')], true],
    ['every S3 ARN', [allow('arn:aws:s3:::*')], true],
    ['the bucket’s objects', [allow('arn:aws:s3:::b/*')], true],
    ['another bucket’s objects', [allow('arn:aws:s3:::other/*')], true],
    ['a bucket ARN', [allow('arn:aws:s3:::b')], true],
    ['NotResource on a whole bucket', [{ Effect: 'Deny', Action: 's3:*', NotResource: 'arn:aws:s3:::b/*' }], true],
    ['a key prefix', [allow('arn:aws:s3:::b/logs/*')], false],
    ['one key', [allow('arn:aws:s3:::b/k')], false],
    ['a wildcard in the bucket', [allow('arn:aws:s3:::b*/*')], false],
    ['a single-character wildcard', [allow('arn:aws:s3:::b/?')], false],
    ['a variable', [allow('arn:aws:s3:::b/${aws:username}/*')], false],
    ['a condition', [allow('*', { Condition: { StringEquals: { 's3:ExistingObjectTag/team': 'a' } } })], false],
    ['a condition on the clock', [allow('*', { Condition: { DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } } })], false],
    ['one statement of two depends on the key', [allow('*'), { Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::b/secret/*' }], false],
  ];
  for (const [name, statements, expected] of cases) {
    it(name, () => assert.equal(decisionIgnoresObjectKey([policy(statements)], 'b'), expected));
  }

  it('no policy at all decides alike for every key', () => assert.equal(decisionIgnoresObjectKey([], 'b'), true));

  it('when it says so, every key of the bucket gets the same decision (randomized against the evaluator)', async () => {
    const resources = ['*', 'arn:aws:s3:::*', 'arn:aws:s3:::*/*', 'arn:aws:s3:::b/*', 'arn:aws:s3:::c/*', 'arn:aws:s3:::b', 'arn:aws:s3:::b/a*', 'arn:aws:s3:::b/x/?', 'arn:aws:s3:::b*/*'];
    const actions = ['s3:PutObjectTagging', 's3:PutObject*', 's3:*', 's3:GetObject'];
    const keys = ['a', 'ab', 'x/y', 'x/yz', 'zzz', 'a/b/c', ''];
    const random = mulberry32(21);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    let independent = 0;
    for (let n = 0; n < 400; n++) {
      const statements = Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({
        Effect: random() < 0.7 ? 'Allow' : 'Deny',
        Action: pick(actions),
        [random() < 0.85 ? 'Resource' : 'NotResource']: pick(resources),
      }));
      const policies = [policy(statements)];
      const bucket = pick(['b', 'c']);
      if (!decisionIgnoresObjectKey(policies, bucket)) continue;
      independent++;
      const decisions = new Set<string>();
      for (const key of keys) {
        const decision = await authorizeIdentity({
          principal: { kind: 'user', accountId: '111122223333', arn: 'arn:aws:sts::111122223333:assumed-role/r/s3-batch-operations', isRoot: false },
          action: 's3:PutObjectTagging',
          resource: `arn:aws:s3:::${bucket}/${key}`,
          facts: { now: new Date() },
          identityPolicies: policies,
        });
        decisions.add(decision.effect);
      }
      assert.equal(decisions.size, 1, `${JSON.stringify(statements)} on ${bucket}: ${[...decisions].join(', ')}`);
    }
    assert.ok(independent > 50, `only ${independent} cases were key-independent`);
  });
});
