import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateNow, type Policy } from '../../../src/policy/engine/index.js';
import { arnOf, ask, BUCKET, context, iamUser, OWNER, tagLoader, tags, userPolicy, type Ask } from './helpers.js';

/**
 * evaluateNow: evaluate's decision without a promise, or undefined when the decision waits on a lazily loaded key —
 * whose loader it never calls (the S3 authorizer's in-memory path then hands the request to its full path).
 */
const alice = iamUser(OWNER, 'alice');
const OBJECTS = `arn:aws:s3:::${BUCKET}/*`;
const PUBLIC = { StringEquals: { 's3:ExistingObjectTag/security': 'public' } };
const policyOf = (...statements: Record<string, unknown>[]): Policy => userPolicy({ Version: '2012-10-17', Statement: statements });

function now(a: Ask): ReturnType<typeof evaluateNow> {
  return evaluateNow(
    { action: a.action, resource: arnOf(a.key), resourceOwnerAccountId: OWNER, context: context(a.principal, a.extras) },
    { identity: a.identity ?? [], resource: a.resource },
  );
}

void describe('evaluateNow', () => {
  const readPublic = policyOf({ Effect: 'Allow', Action: 's3:GetObject', Resource: OBJECTS, Condition: PUBLIC });
  const denyPrivate = policyOf({ Effect: 'Deny', Action: 's3:GetObject', Resource: OBJECTS, Condition: { StringEquals: { 's3:ExistingObjectTag/security': 'private' } } });
  const allowAll = policyOf({ Effect: 'Allow', Action: 's3:*', Resource: '*' });

  void it('tags given up front: the same decision as evaluate, for each of these', async () => {
    const table: Array<[string, Policy[], Record<string, string>]> = [
      ['allowed by an existing-tag condition', [readPublic], { security: 'public' }],
      ['not allowed: the tag differs', [readPublic], { security: 'internal' }],
      ['denied by an existing-tag Deny', [allowAll, denyPrivate], { security: 'private' }],
      ['allowed: the Deny does not apply', [allowAll, denyPrivate], { security: 'public' }],
      ['no policy', [], {}],
    ];
    for (const [what, identity, given] of table) {
      const a: Ask = { principal: alice, action: 's3:GetObject', key: 'k', identity, extras: { existingObjectTags: tags(given) } };
      assert.deepEqual(now(a), await ask(a), what);
    }
  });

  void it('a decision that waits on a lazy key: undefined, and the loader is not called', () => {
    for (const identity of [[readPublic], [allowAll, denyPrivate]]) {
      const loader = tagLoader(tags({ security: 'public' }));
      assert.equal(now({ principal: alice, action: 's3:GetObject', key: 'k', identity, extras: { existingObjectTags: loader.load } }), undefined);
      assert.equal(loader.calls, 0);
    }
  });

  void it('a lazy key no applicable statement needs: decided at once', () => {
    const loader = tagLoader(tags({ security: 'public' }));
    const d = now({ principal: alice, action: 's3:PutObject', key: 'k', identity: [readPublic, allowAll], extras: { existingObjectTags: loader.load } });
    assert.equal(d?.effect, 'Allow');
    assert.equal(loader.calls, 0);
  });
});
