import type { Database, Statement } from 'better-sqlite3';
import type { AccessKey } from '../../../../core/identity/Account.js';
import type { Tag } from '../../../../core/tags/Tag.js';
import type { DeleteConflict, IamRole, IamStore, IamUser, ManagedPolicy, PolicyHolder, RoleSession } from '../../../../core/ports/IamStore.js';
import type { SqliteDatabase } from '../SqliteDatabase.js';
import { toAccessKey, type AccessKeyRow } from '../../rows/accessKeyRows.js';
import {
  policyParams,
  roleParams,
  sessionParams,
  toPolicy,
  toRole,
  toSession,
  toUser,
  type PolicyParams,
  type PolicyRow,
  type RoleParams,
  type RoleRow,
  type SessionParams,
  type SessionRow,
  type UserRow,
} from '../../rows/iamRows.js';

const POLICY_COLUMNS = `p.arn, p.account_id, p.policy_name, p.policy_id, p.path, p.description, p.document, p.created_at,
  p.updated_at, (SELECT COUNT(*) FROM iam_attachments a WHERE a.policy_arn = p.arn) AS attachments`;

/** Every statement the store runs, compiled once per connection. */
function prepareStatements(db: Database) {
  return {
    tagsOf: db.prepare<[string, string, string], Tag>(
      'SELECT key, value FROM iam_tags WHERE account_id = ? AND holder_kind = ? AND holder_name = ? ORDER BY key',
    ),
    insertTag: db.prepare<[string, string, string, string, string]>(
      'INSERT INTO iam_tags (account_id, holder_kind, holder_name, key, value) VALUES (?, ?, ?, ?, ?)',
    ),
    deleteTags: db.prepare<[string, string, string]>('DELETE FROM iam_tags WHERE account_id = ? AND holder_kind = ? AND holder_name = ?'),
    userName: db.prepare<[string, string], { name: string }>(
      'SELECT user_name AS name FROM iam_users WHERE account_id = ? AND user_name = ?',
    ),
    roleName: db.prepare<[string, string], { name: string }>(
      'SELECT role_name AS name FROM iam_roles WHERE account_id = ? AND role_name = ?',
    ),
    insertUser: db.prepare<[string, string, string, string, number]>(
      `INSERT INTO iam_users (account_id, user_name, user_id, path, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (account_id, user_name) DO NOTHING`,
    ),
    user: db.prepare<[string, string], UserRow>('SELECT * FROM iam_users WHERE account_id = ? AND user_name = ?'),
    users: db.prepare<[string], UserRow>('SELECT * FROM iam_users WHERE account_id = ? ORDER BY user_name'),
    anyKeyOfUser: db.prepare<[string, string]>('SELECT 1 FROM access_keys WHERE account_id = ? AND user_name = ?'),
    deleteUser: db.prepare<[string, string]>('DELETE FROM iam_users WHERE account_id = ? AND user_name = ?'),
    anyInline: db.prepare<[string, string, string]>(
      'SELECT 1 FROM iam_inline_policies WHERE account_id = ? AND holder_kind = ? AND holder_name = ?',
    ),
    anyAttached: db.prepare<[string, string, string]>(
      'SELECT 1 FROM iam_attachments WHERE account_id = ? AND holder_kind = ? AND holder_name = ?',
    ),
    countKeys: db.prepare<[string, string], { n: number }>(
      'SELECT COUNT(*) AS n FROM access_keys WHERE account_id = ? AND user_name = ?',
    ),
    insertKey: db.prepare<[string, string, string, string, string, number]>(
      `INSERT INTO access_keys (access_key_id, secret_access_key, account_id, user_name, status, created_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    keys: db.prepare<[string, string], AccessKeyRow>(
      `SELECT k.* FROM access_keys k JOIN iam_users u ON u.account_id = k.account_id AND u.user_name = k.user_name
       WHERE k.account_id = ? AND u.user_name = ? ORDER BY k.created_at, k.access_key_id`,
    ),
    setKeyStatus: db.prepare<[string, string, string, string]>(
      'UPDATE access_keys SET status = ? WHERE access_key_id = ? AND account_id = ? AND user_name = ?',
    ),
    deleteKey: db.prepare<[string, string, string]>(
      'DELETE FROM access_keys WHERE access_key_id = ? AND account_id = ? AND user_name = ?',
    ),
    putInline: db.prepare<[string, string, string, string, string]>(
      `INSERT INTO iam_inline_policies (account_id, holder_kind, holder_name, policy_name, document) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (account_id, holder_kind, holder_name, policy_name) DO UPDATE SET document = excluded.document`,
    ),
    inline: db.prepare<[string, string, string, string], { document: string }>(
      `SELECT document FROM iam_inline_policies
       WHERE account_id = ? AND holder_kind = ? AND holder_name = ? AND policy_name = ?`,
    ),
    inlines: db.prepare<[string, string, string], { name: string; document: string }>(
      `SELECT policy_name AS name, document FROM iam_inline_policies
       WHERE account_id = ? AND holder_kind = ? AND holder_name = ? ORDER BY policy_name`,
    ),
    deleteInline: db.prepare<[string, string, string, string]>(
      'DELETE FROM iam_inline_policies WHERE account_id = ? AND holder_kind = ? AND holder_name = ? AND policy_name = ?',
    ),
    insertPolicy: db.prepare<PolicyParams>(
      `INSERT INTO iam_managed_policies
         (arn, account_id, policy_name, policy_id, path, description, document, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    ),
    policy: db.prepare<[string], PolicyRow>(`SELECT ${POLICY_COLUMNS} FROM iam_managed_policies p WHERE p.arn = ?`),
    policies: db.prepare<[string], PolicyRow>(
      `SELECT ${POLICY_COLUMNS} FROM iam_managed_policies p WHERE p.account_id = ? ORDER BY p.policy_name`,
    ),
    anyAttachmentOf: db.prepare<[string]>('SELECT 1 FROM iam_attachments WHERE policy_arn = ?'),
    policyExists: db.prepare<[string]>('SELECT 1 FROM iam_managed_policies WHERE arn = ?'),
    deletePolicy: db.prepare<[string]>('DELETE FROM iam_managed_policies WHERE arn = ?'),
    attach: db.prepare<[string, string, string, string]>(
      `INSERT INTO iam_attachments (account_id, holder_kind, holder_name, policy_arn) VALUES (?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    ),
    detach: db.prepare<[string, string, string, string]>(
      'DELETE FROM iam_attachments WHERE account_id = ? AND holder_kind = ? AND holder_name = ? AND policy_arn = ?',
    ),
    attached: db.prepare<[string, string, string], PolicyRow>(
      `SELECT ${POLICY_COLUMNS} FROM iam_attachments a2 JOIN iam_managed_policies p ON p.arn = a2.policy_arn
       WHERE a2.account_id = ? AND a2.holder_kind = ? AND a2.holder_name = ? ORDER BY p.policy_name`,
    ),
    insertRole: db.prepare<RoleParams>(
      `INSERT INTO iam_roles
         (account_id, role_name, role_id, path, trust_policy, description, max_session_duration, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account_id, role_name) DO NOTHING`,
    ),
    role: db.prepare<[string, string], RoleRow>('SELECT * FROM iam_roles WHERE account_id = ? AND role_name = ?'),
    roles: db.prepare<[string], RoleRow>('SELECT * FROM iam_roles WHERE account_id = ? ORDER BY role_name'),
    deleteRole: db.prepare<[string, string]>('DELETE FROM iam_roles WHERE account_id = ? AND role_name = ?'),
    setTrust: db.prepare<[string, string, string]>('UPDATE iam_roles SET trust_policy = ? WHERE account_id = ? AND role_name = ?'),
    insertSession: db.prepare<SessionParams>(
      `INSERT INTO iam_sessions (access_key_id, secret_access_key, session_token, account_id, role_name, role_id,
         session_name, session_policy, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    session: db.prepare<[string], SessionRow>('SELECT * FROM iam_sessions WHERE access_key_id = ?'),
    deleteExpired: db.prepare<[number]>('DELETE FROM iam_sessions WHERE expires_at < ?'),
  } satisfies Record<string, Statement<never[], unknown>>;
}

/**
 * IamStore on the shared SQLite connection (tables of migration 002). Reads run on `db`; writes go through the
 * group commit, so they resolve once durable and share transactions with the metadata store's writes. Statements
 * are prepared once, in the constructor. Every write bumps the connection's identity revision (`revision()`), which
 * the request path's caches of credentials and policies follow.
 */
export class SqliteIamStore implements IamStore {
  private readonly sql: ReturnType<typeof prepareStatements>;

  constructor(private readonly connection: SqliteDatabase) {
    this.sql = prepareStatements(connection.db);
  }

  /** Changes with every write to identity data on this connection (see IdentityRevision). */
  revision(): number {
    return this.connection.identity.value;
  }

  private write<T>(work: () => T): Promise<T> {
    return this.connection.commits.run(() => {
      this.connection.identity.bump();
      return work();
    });
  }

  /** A synchronous read as a promise (a throw becomes a rejection). */
  private read<T>(work: () => T): Promise<T> {
    return new Promise((resolve) => resolve(work()));
  }

  private tagsOf(accountId: string, kind: PolicyHolder['kind'], name: string): Tag[] {
    return this.sql.tagsOf.all(accountId, kind, name);
  }

  private insertTags(accountId: string, kind: PolicyHolder['kind'], name: string, tags: readonly Tag[]): void {
    for (const tag of tags) this.sql.insertTag.run(accountId, kind, name, tag.key, tag.value);
  }

  /** The holder's name as stored (lookups are case-insensitive). */
  private holderName(accountId: string, holder: PolicyHolder): string | undefined {
    return (holder.kind === 'user' ? this.sql.userName : this.sql.roleName).get(accountId, holder.name)?.name;
  }

  // ---- users ----

  createUser(user: IamUser): Promise<'created' | 'exists'> {
    return this.write(() => {
      const { changes } = this.sql.insertUser.run(user.accountId, user.userName, user.userId, user.path, user.createdAt.getTime());
      if (changes === 0) return 'exists';
      this.insertTags(user.accountId, 'user', user.userName, user.tags);
      return 'created';
    });
  }

  getUser(accountId: string, userName: string): Promise<IamUser | undefined> {
    return this.read(() => {
      const row = this.sql.user.get(accountId, userName);
      return row === undefined ? undefined : toUser(row, this.tagsOf(accountId, 'user', row.user_name));
    });
  }

  listUsers(accountId: string): Promise<IamUser[]> {
    return this.read(() => this.sql.users.all(accountId).map((row) => toUser(row, this.tagsOf(accountId, 'user', row.user_name))));
  }

  deleteUser(accountId: string, userName: string): Promise<'deleted' | 'missing' | DeleteConflict> {
    return this.write(() => {
      const name = this.holderName(accountId, { kind: 'user', name: userName });
      if (name === undefined) return 'missing';
      if (this.sql.anyKeyOfUser.get(accountId, name) !== undefined) return 'has-access-keys';
      const policies = this.policyConflict(accountId, 'user', name);
      if (policies !== undefined) return policies;
      this.sql.deleteTags.run(accountId, 'user', name);
      this.sql.deleteUser.run(accountId, name);
      return 'deleted';
    });
  }

  private policyConflict(accountId: string, kind: PolicyHolder['kind'], name: string): DeleteConflict | undefined {
    const inline = this.sql.anyInline.get(accountId, kind, name);
    const attached = this.sql.anyAttached.get(accountId, kind, name);
    if (inline !== undefined) return 'has-inline-policies';
    return attached !== undefined ? 'has-attached-policies' : undefined;
  }

  // ---- access keys ----

  createAccessKey(key: AccessKey & { readonly userName: string }, max: number): Promise<'created' | 'missing-user' | 'limit'> {
    return this.write(() => {
      const name = this.holderName(key.accountId, { kind: 'user', name: key.userName });
      if (name === undefined) return 'missing-user';
      const { n } = this.sql.countKeys.get(key.accountId, name) ?? { n: 0 };
      if (n >= max) return 'limit';
      this.sql.insertKey.run(key.accessKeyId, key.secretAccessKey, key.accountId, name, key.status, key.createdAt.getTime());
      return 'created';
    });
  }

  listAccessKeys(accountId: string, userName: string): Promise<AccessKey[]> {
    return this.read(() => this.sql.keys.all(accountId, userName).map(toAccessKey));
  }

  setAccessKeyStatus(accountId: string, userName: string, accessKeyId: string, status: 'Active' | 'Inactive'): Promise<'ok' | 'missing'> {
    return this.write(() => {
      const name = this.holderName(accountId, { kind: 'user', name: userName });
      if (name === undefined) return 'missing';
      const { changes } = this.sql.setKeyStatus.run(status, accessKeyId, accountId, name);
      return changes === 1 ? 'ok' : 'missing';
    });
  }

  deleteAccessKey(accountId: string, userName: string, accessKeyId: string): Promise<'deleted' | 'missing'> {
    return this.write(() => {
      const name = this.holderName(accountId, { kind: 'user', name: userName });
      if (name === undefined) return 'missing';
      const { changes } = this.sql.deleteKey.run(accessKeyId, accountId, name);
      return changes === 1 ? 'deleted' : 'missing';
    });
  }

  // ---- inline policies ----

  putInlinePolicy(accountId: string, holder: PolicyHolder, policyName: string, document: string): Promise<'ok' | 'missing'> {
    return this.write(() => {
      const name = this.holderName(accountId, holder);
      if (name === undefined) return 'missing';
      this.sql.putInline.run(accountId, holder.kind, name, policyName, document);
      return 'ok';
    });
  }

  getInlinePolicy(accountId: string, holder: PolicyHolder, policyName: string): Promise<string | undefined> {
    return this.read(() => this.sql.inline.get(accountId, holder.kind, holder.name, policyName)?.document);
  }

  listInlinePolicies(accountId: string, holder: PolicyHolder): Promise<{ name: string; document: string }[]> {
    return this.read(() => this.sql.inlines.all(accountId, holder.kind, holder.name));
  }

  deleteInlinePolicy(accountId: string, holder: PolicyHolder, policyName: string): Promise<'deleted' | 'missing'> {
    return this.write(() => {
      const { changes } = this.sql.deleteInline.run(accountId, holder.kind, holder.name, policyName);
      return changes === 1 ? 'deleted' : 'missing';
    });
  }

  // ---- managed policies ----

  createPolicy(policy: ManagedPolicy): Promise<'created' | 'exists'> {
    return this.write(() => {
      const { changes } = this.sql.insertPolicy.run(...policyParams(policy));
      return changes === 1 ? 'created' : 'exists';
    });
  }

  getPolicy(arn: string): Promise<ManagedPolicy | undefined> {
    return this.read(() => {
      const row = this.sql.policy.get(arn);
      return row === undefined ? undefined : toPolicy(row);
    });
  }

  listPolicies(accountId: string): Promise<ManagedPolicy[]> {
    return this.read(() => this.sql.policies.all(accountId).map(toPolicy));
  }

  deletePolicy(arn: string): Promise<'deleted' | 'missing' | 'conflict'> {
    return this.write(() => {
      if (this.sql.anyAttachmentOf.get(arn) !== undefined) {
        return this.sql.policyExists.get(arn) === undefined ? 'missing' : 'conflict';
      }
      const { changes } = this.sql.deletePolicy.run(arn);
      return changes === 1 ? 'deleted' : 'missing';
    });
  }

  attachPolicy(accountId: string, holder: PolicyHolder, arn: string): Promise<'ok' | 'missing-holder' | 'missing-policy'> {
    return this.write(() => {
      const name = this.holderName(accountId, holder);
      if (name === undefined) return 'missing-holder';
      if (this.sql.policyExists.get(arn) === undefined) return 'missing-policy';
      this.sql.attach.run(accountId, holder.kind, name, arn);
      return 'ok';
    });
  }

  detachPolicy(accountId: string, holder: PolicyHolder, arn: string): Promise<'ok' | 'not-attached'> {
    return this.write(() => {
      const { changes } = this.sql.detach.run(accountId, holder.kind, holder.name, arn);
      return changes === 1 ? 'ok' : 'not-attached';
    });
  }

  attachedPolicies(accountId: string, holder: PolicyHolder): Promise<ManagedPolicy[]> {
    return this.read(() => this.sql.attached.all(accountId, holder.kind, holder.name).map(toPolicy));
  }

  // ---- roles ----

  createRole(role: IamRole): Promise<'created' | 'exists'> {
    return this.write(() => {
      const { changes } = this.sql.insertRole.run(...roleParams(role));
      if (changes === 0) return 'exists';
      this.insertTags(role.accountId, 'role', role.roleName, role.tags);
      return 'created';
    });
  }

  getRole(accountId: string, roleName: string): Promise<IamRole | undefined> {
    return this.read(() => {
      const row = this.sql.role.get(accountId, roleName);
      return row === undefined ? undefined : toRole(row, this.tagsOf(accountId, 'role', row.role_name));
    });
  }

  listRoles(accountId: string): Promise<IamRole[]> {
    return this.read(() => this.sql.roles.all(accountId).map((row) => toRole(row, this.tagsOf(accountId, 'role', row.role_name))));
  }

  deleteRole(accountId: string, roleName: string): Promise<'deleted' | 'missing' | DeleteConflict> {
    return this.write(() => {
      const name = this.holderName(accountId, { kind: 'role', name: roleName });
      if (name === undefined) return 'missing';
      const policies = this.policyConflict(accountId, 'role', name);
      if (policies !== undefined) return policies;
      this.sql.deleteTags.run(accountId, 'role', name);
      this.sql.deleteRole.run(accountId, name);
      return 'deleted';
    });
  }

  setTrustPolicy(accountId: string, roleName: string, document: string): Promise<'ok' | 'missing'> {
    return this.write(() => {
      const { changes } = this.sql.setTrust.run(document, accountId, roleName);
      return changes === 1 ? 'ok' : 'missing';
    });
  }

  // ---- sessions ----

  putSession(session: RoleSession): Promise<void> {
    return this.write(() => {
      this.sql.insertSession.run(...sessionParams(session));
    });
  }

  getSession(accessKeyId: string): Promise<RoleSession | undefined> {
    return this.read(() => {
      const row = this.sql.session.get(accessKeyId);
      return row === undefined ? undefined : toSession(row);
    });
  }

  deleteExpiredSessions(now: Date): Promise<number> {
    return this.write(() => this.sql.deleteExpired.run(now.getTime()).changes);
  }
}
