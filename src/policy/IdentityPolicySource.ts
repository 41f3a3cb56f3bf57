import type { UserPrincipal } from '../core/identity/Principal.js';

/** The identity-based policies (JSON texts, inline and attached) that govern a principal: an IAM user or a role session. */
export interface IdentityPolicySource {
  policiesOf(principal: UserPrincipal): Promise<readonly string[]>;
  /**
   * The same texts when the source holds them in memory (the same frozen list policiesOf hands out), else null: then
   * call policiesOf. Optional: a source without a cache leaves it out.
   */
  policiesInMemory?(principal: UserPrincipal): readonly string[] | null;
}
