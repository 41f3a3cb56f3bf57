import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchPrincipal, parsePrincipal, notPrincipalApplies, type PolicyPrincipal } from '../../../src/policy/engine/principals.js';
import { OTHER, OWNER, canonicalOf } from './helpers.js';

function session(account: string, role: string, name: string): PolicyPrincipal {
  return {
    kind: 'user',
    accountId: account,
    arn: `arn:aws:sts::${account}:assumed-role/${role}/${name}`,
    isRoot: false,
    canonicalId: canonicalOf(account),
    userId: `AROA${role.toUpperCase()}:${name}`,
    role: { arn: `arn:aws:iam::${account}:role/${role}` },
  };
}

describe('role sessions as policy principals', () => {
  it('a Principal naming the role matches its sessions', () => {
    const spec = parsePrincipal({ AWS: `arn:aws:iam::${OWNER}:role/Reader` });
    assert.equal(matchPrincipal(spec, session(OWNER, 'Reader', 's1')), 'direct');
    assert.equal(matchPrincipal(spec, session(OWNER, 'Writer', 's1')), 'none');
    assert.equal(matchPrincipal(spec, session(OTHER, 'Reader', 's1')), 'none');
  });
  it('a Principal naming one session matches only that session', () => {
    const spec = parsePrincipal({ AWS: `arn:aws:sts::${OWNER}:assumed-role/Reader/s1` });
    assert.equal(matchPrincipal(spec, session(OWNER, 'Reader', 's1')), 'direct');
    assert.equal(matchPrincipal(spec, session(OWNER, 'Reader', 's2')), 'none');
  });
  it('NotPrincipal with the account and the role excludes its sessions', () => {
    const spec = parsePrincipal({ AWS: [OWNER, `arn:aws:iam::${OWNER}:role/Reader`] });
    assert.equal(notPrincipalApplies(spec, session(OWNER, 'Reader', 's1')), false);
    assert.equal(notPrincipalApplies(spec, session(OWNER, 'Writer', 's1')), true);
  });
});
