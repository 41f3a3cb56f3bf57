import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { UserPrincipal } from '../../../src/core/identity/Principal.js';
import { IamError } from '../../../src/errors/IamError.js';
import { parseTrustPolicy, trustAllows } from '../../../src/iam/trustPolicy.js';

const A = '111111111111';
const B = '222222222222';

function principal(accountId: string, userName?: string): UserPrincipal {
  return {
    kind: 'user',
    accountId,
    canonicalId: 'c'.repeat(64),
    displayName: accountId,
    arn: userName === undefined ? `arn:aws:iam::${accountId}:root` : `arn:aws:iam::${accountId}:user/${userName}`,
    isRoot: userName === undefined,
    accessKeyId: 'AKIA',
    ...(userName === undefined ? {} : { userName }),
  };
}

const trust = (principalJson: unknown, effect = 'Allow', action: unknown = 'sts:AssumeRole'): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: effect, Principal: principalJson, Action: action }] });

void describe('trust policies', () => {
  void it('an account principal admits the account root and its users (who still need an identity Allow)', () => {
    const p = parseTrustPolicy(trust({ AWS: `arn:aws:iam::${A}:root` }));
    assert.equal(trustAllows(p, principal(A)), true);
    assert.equal(trustAllows(p, principal(A, 'bob')), true);
    assert.equal(trustAllows(p, principal(B)), false);
  });

  void it('a user principal admits only that user; other accounts can be trusted', () => {
    const p = parseTrustPolicy(trust({ AWS: [`arn:aws:iam::${B}:user/carol`] }));
    assert.equal(trustAllows(p, principal(B, 'carol')), true);
    assert.equal(trustAllows(p, principal(B, 'dave')), false);
    assert.equal(trustAllows(p, principal(B)), false);
  });

  void it('the action must match and a Deny wins', () => {
    assert.equal(trustAllows(parseTrustPolicy(trust('*', 'Allow', 'sts:TagSession')), principal(A)), false);
    assert.equal(trustAllows(parseTrustPolicy(trust('*', 'Allow', 'sts:*')), principal(A)), true);
    const both = JSON.stringify({
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' },
        { Effect: 'Deny', Principal: { AWS: A }, Action: 'sts:AssumeRole' },
      ],
    });
    assert.equal(trustAllows(parseTrustPolicy(both), principal(A)), false);
    assert.equal(trustAllows(parseTrustPolicy(both), principal(B)), true);
  });

  void it('a service principal never matches a Tessera caller', () => {
    assert.equal(trustAllows(parseTrustPolicy(trust({ Service: 'batchoperations.s3.amazonaws.com' })), principal(A)), false);
  });

  void it('malformed documents are MalformedPolicyDocument naming the statement', () => {
    const bad = (doc: string, pattern: RegExp): void =>
      assert.throws(() => parseTrustPolicy(doc), (e: unknown) => e instanceof IamError && e.code === 'MalformedPolicyDocument' && pattern.test(e.message));
    bad('not json', /invalid Json/);
    bad(JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] }), /Statement 0: .*principal/);
    bad(trust({ AWS: 'arn:aws:iam::1:root' }), /Statement 0: Invalid principal/);
    bad(trust('*', 'Allow', 's3:GetObject'), /Statement 0: Invalid action/);
    bad(JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole', Resource: '*' }] }), /prohibited field Resource/);
    bad(JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole', Condition: {} }] }), /Conditions/);
  });
});
