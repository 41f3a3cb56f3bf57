import type { UserPrincipal } from '../core/identity/Principal.js';
import type { RoleDirectory, RoleInfo } from '../core/identity/RoleDirectory.js';
import type { IdentityPolicySource } from '../s3/policy/IdentityPolicySource.js';
import type { IamStore, PolicyHolder } from '../storage/metadata/IamStore.js';
import { parseRoleArn, roleArn } from './arns.js';

/**
 * The identity-based policies that govern a principal: an IAM user's inline and attached policies, or, for a role
 * session, its role's. The root user has none (it is allowed everything in its account). Also the RoleDirectory.
 */
export class IdentityPolicies implements IdentityPolicySource, RoleDirectory {
  constructor(private readonly store: IamStore) {}

  async policiesOf(principal: UserPrincipal): Promise<readonly string[]> {
    if (principal.isRoot) return [];
    if (principal.role !== undefined) return this.holderPolicies(principal.accountId, { kind: 'role', name: principal.role.roleName });
    if (principal.userName !== undefined) return this.holderPolicies(principal.accountId, { kind: 'user', name: principal.userName });
    return [];
  }

  async holderPolicies(accountId: string, holder: PolicyHolder): Promise<string[]> {
    const [inline, attached] = await Promise.all([
      this.store.listInlinePolicies(accountId, holder),
      this.store.attachedPolicies(accountId, holder),
    ]);
    return [...inline.map((p) => p.document), ...attached.map((p) => p.document)];
  }

  async roleByArn(arn: string): Promise<RoleInfo | undefined> {
    const parsed = parseRoleArn(arn);
    if (!parsed) return undefined;
    const role = await this.store.getRole(parsed.accountId, parsed.roleName);
    if (!role || role.path !== parsed.path) return undefined;
    return {
      accountId: role.accountId,
      roleName: role.roleName,
      arn: roleArn(role.accountId, role.path, role.roleName),
      trustPolicy: role.trustPolicy,
      policies: await this.holderPolicies(role.accountId, { kind: 'role', name: role.roleName }),
    };
  }
}
