import type { UserPrincipal } from '../core/identity/Principal.js';

/** The identity-based policies (JSON texts, inline and attached) that govern a principal: an IAM user or a role session. */
export interface IdentityPolicySource {
  policiesOf(principal: UserPrincipal): Promise<readonly string[]>;
}
