import type { UserPrincipal } from '../core/identity/Principal.js';
import { evaluate, parsePolicy, RequestContext } from '../policy/engine/index.js';
import { IamError } from '../errors/IamError.js';
import type { IdentityPolicies } from './IdentityPolicies.js';

export interface IamRequestFacts {
  readonly now: Date;
  readonly sourceIp?: string;
  readonly secureTransport?: boolean;
  readonly userAgent?: string;
}

/**
 * Authorize an IAM/STS action on a resource of the caller's own account. Root users: allowed. IAM users and role
 * sessions: their identity policies must allow it (explicit Deny wins), evaluated by the policy engine.
 */
export async function authorizeIam(
  caller: UserPrincipal,
  action: string,
  resource: string,
  policies: IdentityPolicies,
  facts: IamRequestFacts,
): Promise<void> {
  if (caller.isRoot) return;
  const texts = await policies.policiesOf(caller);
  const context = new RequestContext({
    now: facts.now,
    principal: {
      kind: 'user',
      accountId: caller.accountId,
      arn: caller.arn,
      isRoot: false,
      canonicalId: caller.canonicalId,
      ...(caller.userName === undefined ? {} : { userName: caller.userName }),
      ...(caller.userId === undefined ? {} : { userId: caller.userId }),
    },
    sourceIp: facts.sourceIp,
    secureTransport: facts.secureTransport,
    userAgent: facts.userAgent,
  });
  const decision = await evaluate(
    { action, resource, resourceOwnerAccountId: caller.accountId, context },
    { identity: texts.map((t) => parsePolicy(t, 'identity')), resource: undefined },
  );
  if (decision.effect === 'Allow') return;
  const why = decision.reason === 'ExplicitDeny' ? 'with an explicit deny in an identity-based policy' : 'because no identity-based policy allows the ' + action + ' action';
  throw new IamError('AccessDenied', `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${resource} ${why}`);
}
