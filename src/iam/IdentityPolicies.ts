import type { UserPrincipal } from '../core/identity/Principal.js';
import type { RoleDirectory, RoleInfo } from '../core/identity/RoleDirectory.js';
import type { IdentityPolicySource } from '../policy/IdentityPolicySource.js';
import type { IamStore, PolicyHolder } from '../core/ports/IamStore.js';
import { parseRoleArn, roleArn } from './arns.js';

/**
 * The identity-based policies that govern a principal: an IAM user's inline and attached policies, or, for a role
 * session, its role's. The root user has none (it is allowed everything in its account). Also the RoleDirectory.
 */
export class IdentityPolicies implements IdentityPolicySource, RoleDirectory {
  constructor(private readonly store: IamStore) {}

  /** Each holder's policy texts as read at `cachedRevision` of the store. */
  private readonly cache = new Map<string, readonly string[]>();
  /** The same lists by principal object (a resolved key's principal is shared by its requests): no id to build. */
  private byPrincipal = new WeakMap<UserPrincipal, readonly string[]>();
  private cachedRevision: number | undefined;

  /**
   * The texts are remembered per holder while the store's revision stays the same (any IAM write moves it), and the
   * same frozen list is handed out meanwhile, so that a caller may remember what it compiled from it (the authorizer
   * does, by identity).
   */
  async policiesOf(principal: UserPrincipal): Promise<readonly string[]> {
    if (principal.isRoot) return NONE;
    const holder = holderOf(principal);
    return holder === undefined ? NONE : this.cachedPolicies(principal.accountId, holder);
  }

  policiesInMemory(principal: UserPrincipal): readonly string[] | null {
    if (principal.isRoot) return NONE;
    const revision = this.store.revision?.();
    if (revision === undefined || revision !== this.cachedRevision) return null;
    const known = this.byPrincipal.get(principal);
    if (known !== undefined) return known;
    const holder = holderOf(principal);
    if (holder === undefined) return NONE;
    const texts = this.cache.get(cacheId(principal.accountId, holder));
    if (texts === undefined) return null;
    this.byPrincipal.set(principal, texts);
    return texts;
  }

  async holderPolicies(accountId: string, holder: PolicyHolder): Promise<string[]> {
    return [...(await this.cachedPolicies(accountId, holder))];
  }

  private async cachedPolicies(accountId: string, holder: PolicyHolder): Promise<readonly string[]> {
    const revision = this.store.revision?.();
    if (revision === undefined) return this.loadPolicies(accountId, holder);
    if (revision !== this.cachedRevision) {
      this.cache.clear();
      this.byPrincipal = new WeakMap();
      this.cachedRevision = revision;
    }
    const id = cacheId(accountId, holder);
    const cached = this.cache.get(id);
    if (cached !== undefined) return cached;
    const texts = Object.freeze(await this.loadPolicies(accountId, holder));
    // remembered only if nothing was written while it was read
    if (this.store.revision?.() === revision && this.cachedRevision === revision) {
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(id, texts);
    }
    return texts;
  }

  private async loadPolicies(accountId: string, holder: PolicyHolder): Promise<string[]> {
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

/** Most holders remembered; the cache starts over when full. */
const CACHE_LIMIT = 10_000;

const NONE: readonly string[] = Object.freeze([]);

/** Whose policies govern a principal: its role's (a role session) or its own (an IAM user); none otherwise. */
function holderOf(principal: UserPrincipal): PolicyHolder | undefined {
  if (principal.role !== undefined) return { kind: 'role', name: principal.role.roleName };
  if (principal.userName !== undefined) return { kind: 'user', name: principal.userName };
  return undefined;
}

function cacheId(accountId: string, holder: PolicyHolder): string {
  return `${accountId}\u0000${holder.kind}\u0000${holder.name}`;
}
