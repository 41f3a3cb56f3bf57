import type { UserPrincipal } from '../core/identity/Principal.js';
import { evaluate, parsePolicy, RequestContext, type Policy } from '../policy/engine/index.js';
import type { IdentityPolicySource } from '../policy/IdentityPolicySource.js';

/**
 * Whether the caller may perform an action on a resource of its own account (s3:CreateJob, iam:PassRole, …): the
 * account's root user always may; an IAM user when its identity policies allow it.
 */
export async function callerMay(
  principal: UserPrincipal,
  policies: IdentityPolicySource,
  action: string,
  resource: string,
  now: Date,
): Promise<boolean> {
  if (principal.isRoot) return true;
  const compiled: Policy[] = [];
  for (const text of await policies.policiesOf(principal)) {
    try {
      compiled.push(parsePolicy(text, 'identity'));
    } catch {
      // an unreadable policy grants nothing
    }
  }
  const context = new RequestContext({ now, principal });
  const decision = await evaluate(
    { action, resource, resourceOwnerAccountId: principal.accountId, context },
    { identity: compiled, resource: undefined },
  );
  return decision.effect === 'Allow';
}
