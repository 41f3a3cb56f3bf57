import type { AccessKey } from '../identity/Account.js';
import type { Tag } from '../tags/Tag.js';

/** Why a user or role cannot be deleted yet. */
export type DeleteConflict = 'has-access-keys' | 'has-inline-policies' | 'has-attached-policies';

/** Who holds inline policies and attachments: an IAM user or an IAM role of an account. */
export interface PolicyHolder {
  readonly kind: 'user' | 'role';
  readonly name: string;
}

export interface IamUser {
  readonly accountId: string;
  readonly userName: string;
  /** IAM unique id, `AIDA…`. */
  readonly userId: string;
  /** `/` or `/division/…/` */
  readonly path: string;
  readonly createdAt: Date;
  readonly tags: readonly Tag[];
}

export interface IamRole {
  readonly accountId: string;
  readonly roleName: string;
  /** IAM unique id, `AROA…`. */
  readonly roleId: string;
  readonly path: string;
  /** The trust (assume-role) policy document, JSON text as given. */
  readonly trustPolicy: string;
  readonly description?: string;
  /** Longest session AssumeRole may grant, in seconds (3600..43200). */
  readonly maxSessionDuration: number;
  readonly createdAt: Date;
  readonly tags: readonly Tag[];
}

/** A customer managed policy. Only one version (v1) is kept. */
export interface ManagedPolicy {
  readonly accountId: string;
  readonly policyName: string;
  /** IAM unique id, `ANPA…`. */
  readonly policyId: string;
  readonly path: string;
  readonly arn: string;
  readonly description?: string;
  readonly document: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** Users and roles it is attached to (computed on read). */
  readonly attachmentCount: number;
}

/** Temporary credentials issued by AssumeRole. */
export interface RoleSession {
  /** `ASIA…` */
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly accountId: string;
  readonly roleName: string;
  readonly roleId: string;
  readonly sessionName: string;
  /** The session policy passed to AssumeRole (JSON text), if any. */
  readonly sessionPolicy?: string;
  readonly expiresAt: Date;
  readonly createdAt: Date;
}

/**
 * Where the IAM module keeps users, roles, policies, user access keys and role sessions. Same conventions as
 * MetadataStore: each method is one atomic unit, writes resolve once durable, "absent" is a result, not an error.
 * Names of users, roles and policies are unique per account regardless of letter case (as in IAM); lookups are
 * case-insensitive and return the name as created.
 */
export interface IamStore {
  // ---- users ----
  createUser(user: IamUser): Promise<'created' | 'exists'>;
  getUser(accountId: string, userName: string): Promise<IamUser | undefined>;
  /** The account's users sorted by name. */
  listUsers(accountId: string): Promise<IamUser[]>;
  /** Refused while the user still has access keys, inline policies or attached policies (the first found is named). */
  deleteUser(accountId: string, userName: string): Promise<'deleted' | 'missing' | DeleteConflict>;

  // ---- access keys of IAM users (the shared access_keys table) ----
  /** 'limit' when the user already has `max` keys. */
  createAccessKey(key: AccessKey & { readonly userName: string }, max: number): Promise<'created' | 'missing-user' | 'limit'>;
  listAccessKeys(accountId: string, userName: string): Promise<AccessKey[]>;
  setAccessKeyStatus(accountId: string, userName: string, accessKeyId: string, status: 'Active' | 'Inactive'): Promise<'ok' | 'missing'>;
  deleteAccessKey(accountId: string, userName: string, accessKeyId: string): Promise<'deleted' | 'missing'>;

  // ---- inline policies of users and roles ----
  /** Create or replace; 'missing' when the holder does not exist. */
  putInlinePolicy(accountId: string, holder: PolicyHolder, policyName: string, document: string): Promise<'ok' | 'missing'>;
  getInlinePolicy(accountId: string, holder: PolicyHolder, policyName: string): Promise<string | undefined>;
  /** Names sorted; with documents. */
  listInlinePolicies(accountId: string, holder: PolicyHolder): Promise<{ name: string; document: string }[]>;
  deleteInlinePolicy(accountId: string, holder: PolicyHolder, policyName: string): Promise<'deleted' | 'missing'>;

  // ---- managed policies ----
  createPolicy(policy: ManagedPolicy): Promise<'created' | 'exists'>;
  getPolicy(arn: string): Promise<ManagedPolicy | undefined>;
  listPolicies(accountId: string): Promise<ManagedPolicy[]>;
  /** 'conflict' while attached to a user or role. */
  deletePolicy(arn: string): Promise<'deleted' | 'missing' | 'conflict'>;
  attachPolicy(accountId: string, holder: PolicyHolder, arn: string): Promise<'ok' | 'missing-holder' | 'missing-policy'>;
  detachPolicy(accountId: string, holder: PolicyHolder, arn: string): Promise<'ok' | 'not-attached'>;
  /** Policies attached to the holder, sorted by name. */
  attachedPolicies(accountId: string, holder: PolicyHolder): Promise<ManagedPolicy[]>;

  // ---- roles ----
  createRole(role: IamRole): Promise<'created' | 'exists'>;
  getRole(accountId: string, roleName: string): Promise<IamRole | undefined>;
  listRoles(accountId: string): Promise<IamRole[]>;
  /** Refused while the role still has inline or attached policies. */
  deleteRole(accountId: string, roleName: string): Promise<'deleted' | 'missing' | DeleteConflict>;
  setTrustPolicy(accountId: string, roleName: string, document: string): Promise<'ok' | 'missing'>;

  // ---- role sessions ----
  putSession(session: RoleSession): Promise<void>;
  getSession(accessKeyId: string): Promise<RoleSession | undefined>;
  /** Remove sessions that expired before `now`; returns how many. */
  deleteExpiredSessions(now: Date): Promise<number>;

  /**
   * A number that changes with every write to identity data (this store's, and the metadata store's accounts and
   * access keys) by the time the write is visible to reads: what the request path caches from here (resolved keys,
   * policies) is kept while it stays the same. A store without it is read afresh on every request.
   */
  revision?(): number;
}
