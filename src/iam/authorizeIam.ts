import type { UserPrincipal } from '../core/identity/Principal.js';
import { IamError } from '../errors/IamError.js';
import { authorizeIdentity } from '../policy/authorizeIdentity.js';
import { CompiledPolicies } from '../policy/CompiledPolicies.js';
import type { IdentityPolicySource } from '../policy/IdentityPolicySource.js';
import type { RequestFacts } from '../policy/RequestFacts.js';

/**
 * Authorize an IAM/STS action on a resource of the caller's own account through the one authorizer
 * (src/policy/authorizeIdentity.ts): root users may; IAM users and role sessions need an identity-policy Allow
 * (explicit Deny wins). A denial is IAM's AccessDenied, worded as AWS words it.
 */
export async function authorizeIam(
  caller: UserPrincipal,
  action: string,
  resource: string,
  policies: IdentityPolicySource,
  facts: RequestFacts,
): Promise<void> {
  const decision = await authorizeIdentity({ principal: caller, action, resource, facts, identityPolicies: await new CompiledPolicies(policies).of(caller) });
  if (decision.effect === 'Allow') return;
  const why = decision.reason === 'ExplicitDeny' ? 'with an explicit deny in an identity-based policy' : 'because no identity-based policy allows the ' + action + ' action';
  throw new IamError('AccessDenied', `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${resource} ${why}`);
}
