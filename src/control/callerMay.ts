import type { UserPrincipal } from '../core/identity/Principal.js';
import { authorizeIdentity } from '../policy/authorizeIdentity.js';
import { CompiledPolicies } from '../policy/CompiledPolicies.js';
import type { IdentityPolicySource } from '../policy/IdentityPolicySource.js';
import type { RequestFacts } from '../policy/RequestFacts.js';

/**
 * Whether the caller may perform an action on a resource of its own account (s3:CreateJob, iam:PassRole, …), decided
 * by the one authorizer (src/policy/authorizeIdentity.ts) on the request's facts: the account's root user always may;
 * an IAM user or role session when its identity policies allow it.
 */
export async function callerMay(
  principal: UserPrincipal,
  policies: IdentityPolicySource,
  action: string,
  resource: string,
  facts: RequestFacts,
): Promise<boolean> {
  const decision = await authorizeIdentity({ principal, action, resource, facts, identityPolicies: await new CompiledPolicies(policies).of(principal) });
  return decision.effect === 'Allow';
}
