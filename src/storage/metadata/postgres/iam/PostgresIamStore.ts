import type { AccessKey } from '../../../../core/identity/Account.js';
import type { DeleteConflict, IamRole, IamStore, IamUser, ManagedPolicy, PolicyHolder, RoleSession } from '../../../../core/ports/IamStore.js';
import type { Tag } from '../../../../core/tags/Tag.js';
import { toAccessKey, type AccessKeyRow } from '../../rows/accessKeyRows.js';
import {
  policyParams,
  roleParams,
  sessionParams,
  toPolicy,
  toRole,
  toSession,
  toUser,
  type PolicyRow,
  type RoleRow,
  type SessionRow,
  type UserRow,
} from '../../rows/iamRows.js';
import type { PostgresDatabase, Tx } from '../PostgresDatabase.js';

/** The holder's tags, in key order, as a JSON array (one statement reads a user or role with its tags). */
const tagsOf = (kind: PolicyHolder['kind'], alias: string, column: string): string =>
  `coalesce((SELECT json_agg(json_build_object('key', t.key, 'value', t.value) ORDER BY t.key)
     FROM iam_tags t WHERE t.account_id = ${alias}.account_id AND t.holder_kind = '${kind}' AND lower(t.holder_name) = lower(${alias}.${column})), '[]')`;

const USER_COLUMNS = `u.account_id, u.user_name, u.user_id, u.path, u.created_at, ${tagsOf('user', 'u', 'user_name')} AS tags`;
const ROLE_COLUMNS = `r.account_id, r.role_name, r.role_id, r.path, r.trust_policy, r.description, r.max_session_duration, r.created_at,
  ${tagsOf('role', 'r', 'role_name')} AS tags`;
const POLICY_COLUMNS = `p.arn, p.account_id, p.policy_name, p.policy_id, p.path, p.description, p.document, p.created_at,
  p.updated_at, (SELECT count(*) FROM iam_attachments a WHERE a.policy_arn = p.arn)::integer AS attachments`;

type Tagged<R> = R & { readonly tags: Tag[] };

/** The table and name column of a holder kind (fixed strings, never input). */
const HOLDERS = {
  user: { table: 'iam_users', column: 'user_name' },
  role: { table: 'iam_roles', column: 'role_name' },
} as const;

/** Bumped in the same transaction as every write to identity data (see identityRevision). */
const BUMP_REVISION = `INSERT INTO counters (name, value) VALUES ('identity_revision', 1)
  ON CONFLICT (name) DO UPDATE SET value = counters.value + 1`;

/**
 * IamStore on PostgreSQL (tables of migration 003). Names of users, roles and policies are unique per account
 * regardless of case (unique indexes on lower(name)) and keep their case; every lookup by name compares lower().
 * Every write is one SERIALIZABLE transaction (it reads, then decides: the access-key limit, the delete
 * conflicts), retried after a conflict, and bumps `counters('identity_revision')` in the same transaction.
 *
 * There is no synchronous `revision()`: another node's write would not move it. `identityRevision()` reads the
 * shared counter, for caches that must drop what they hold when any node changes identity data.
 */
export class PostgresIamStore implements IamStore {
  constructor(private readonly db: PostgresDatabase) {}

  /** The shared identity revision: it changes with every committed write to identity data, on any node. */
  async identityRevision(): Promise<number> {
    const result = await this.db.query<{ value: number }>(
      "SELECT coalesce((SELECT value FROM counters WHERE name = 'identity_revision'), 0) AS value",
      [],
      'iam-identity-revision',
    );
    return result.rows[0]!.value;
  }

  private write<T>(work: (tx: Tx) => Promise<T>, bump: (result: T) => boolean = () => true): Promise<T> {
    return this.db.transaction(
      async (tx) => {
        const result = await work(tx);
        if (bump(result)) await tx.query(BUMP_REVISION, [], 'iam-bump-revision');
        return result;
      },
      { serializable: true },
    );
  }

  /** The holder's name as stored (lookups are case-insensitive). */
  private async holderName(tx: Tx, accountId: string, holder: PolicyHolder): Promise<string | undefined> {
    const { table, column } = HOLDERS[holder.kind];
    const result = await tx.query<{ name: string }>(
      `SELECT ${column} AS name FROM ${table} WHERE account_id = $1 AND lower(${column}) = lower($2)`,
      [accountId, holder.name],
      `iam-${holder.kind}-name`,
    );
    return result.rows[0]?.name;
  }

  private async insertTags(tx: Tx, accountId: string, kind: PolicyHolder['kind'], name: string, tags: readonly Tag[]): Promise<void> {
    if (tags.length === 0) return;
    await tx.query(
      `INSERT INTO iam_tags (account_id, holder_kind, holder_name, key, value)
       SELECT $1, $2, $3, * FROM unnest($4::text[], $5::text[])`,
      [accountId, kind, name, tags.map((t) => t.key), tags.map((t) => t.value)],
    );
  }

  private async policyConflict(tx: Tx, accountId: string, kind: PolicyHolder['kind'], name: string): Promise<DeleteConflict | undefined> {
    const result = await tx.query<{ inline: boolean; attached: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM iam_inline_policies WHERE account_id = $1 AND holder_kind = $2 AND lower(holder_name) = lower($3)) AS inline,
              EXISTS (SELECT 1 FROM iam_attachments WHERE account_id = $1 AND holder_kind = $2 AND lower(holder_name) = lower($3)) AS attached`,
      [accountId, kind, name],
    );
    const row = result.rows[0]!;
    if (row.inline) return 'has-inline-policies';
    return row.attached ? 'has-attached-policies' : undefined;
  }

  // ---- users ----

  createUser(user: IamUser): Promise<'created' | 'exists'> {
    return this.write(
      async (tx) => {
        const inserted = await tx.query(
          `INSERT INTO iam_users (account_id, user_name, user_id, path, created_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (account_id, lower(user_name)) DO NOTHING`,
          [user.accountId, user.userName, user.userId, user.path, user.createdAt.getTime()],
        );
        if (inserted.rowCount === 0) return 'exists' as const;
        await this.insertTags(tx, user.accountId, 'user', user.userName, user.tags);
        return 'created' as const;
      },
      (result) => result === 'created',
    );
  }

  async getUser(accountId: string, userName: string): Promise<IamUser | undefined> {
    const result = await this.db.query<Tagged<UserRow>>(
      `SELECT ${USER_COLUMNS} FROM iam_users u WHERE u.account_id = $1 AND lower(u.user_name) = lower($2)`,
      [accountId, userName],
      'iam-get-user',
    );
    const row = result.rows[0];
    return row === undefined ? undefined : toUser(row, row.tags);
  }

  async listUsers(accountId: string): Promise<IamUser[]> {
    const result = await this.db.query<Tagged<UserRow>>(
      `SELECT ${USER_COLUMNS} FROM iam_users u WHERE u.account_id = $1 ORDER BY lower(u.user_name) COLLATE "C"`,
      [accountId],
    );
    return result.rows.map((row) => toUser(row, row.tags));
  }

  deleteUser(accountId: string, userName: string): Promise<'deleted' | 'missing' | DeleteConflict> {
    return this.write(
      async (tx): Promise<'deleted' | 'missing' | DeleteConflict> => {
        const name = await this.holderName(tx, accountId, { kind: 'user', name: userName });
        if (name === undefined) return 'missing';
        const keys = await tx.query('SELECT 1 FROM access_keys WHERE account_id = $1 AND user_name = $2 LIMIT 1', [accountId, name]);
        if (keys.rowCount !== 0) return 'has-access-keys';
        const policies = await this.policyConflict(tx, accountId, 'user', name);
        if (policies !== undefined) return policies;
        await tx.query("DELETE FROM iam_tags WHERE account_id = $1 AND holder_kind = 'user' AND lower(holder_name) = lower($2)", [accountId, name]);
        await tx.query('DELETE FROM iam_users WHERE account_id = $1 AND user_name = $2', [accountId, name]);
        return 'deleted';
      },
      (result) => result === 'deleted',
    );
  }

  // ---- access keys ----

  createAccessKey(key: AccessKey & { readonly userName: string }, max: number): Promise<'created' | 'missing-user' | 'limit'> {
    return this.write(
      async (tx): Promise<'created' | 'missing-user' | 'limit'> => {
        const name = await this.holderName(tx, key.accountId, { kind: 'user', name: key.userName });
        if (name === undefined) return 'missing-user';
        const count = await tx.query<{ n: number }>('SELECT count(*)::integer AS n FROM access_keys WHERE account_id = $1 AND user_name = $2', [
          key.accountId,
          name,
        ]);
        if (count.rows[0]!.n >= max) return 'limit';
        await tx.query(
          `INSERT INTO access_keys (access_key_id, secret_access_key, account_id, user_name, status, created_at)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [key.accessKeyId, key.secretAccessKey, key.accountId, name, key.status, key.createdAt.getTime()],
        );
        return 'created';
      },
      (result) => result === 'created',
    );
  }

  async listAccessKeys(accountId: string, userName: string): Promise<AccessKey[]> {
    const result = await this.db.query<AccessKeyRow>(
      `SELECT k.* FROM access_keys k JOIN iam_users u ON u.account_id = k.account_id AND u.user_name = k.user_name
        WHERE k.account_id = $1 AND lower(u.user_name) = lower($2) ORDER BY k.created_at, k.access_key_id COLLATE "C"`,
      [accountId, userName],
    );
    return result.rows.map(toAccessKey);
  }

  setAccessKeyStatus(accountId: string, userName: string, accessKeyId: string, status: 'Active' | 'Inactive'): Promise<'ok' | 'missing'> {
    return this.write(
      async (tx) => {
        const name = await this.holderName(tx, accountId, { kind: 'user', name: userName });
        if (name === undefined) return 'missing' as const;
        const updated = await tx.query('UPDATE access_keys SET status = $1 WHERE access_key_id = $2 AND account_id = $3 AND user_name = $4', [
          status,
          accessKeyId,
          accountId,
          name,
        ]);
        return updated.rowCount === 1 ? ('ok' as const) : ('missing' as const);
      },
      (result) => result === 'ok',
    );
  }

  deleteAccessKey(accountId: string, userName: string, accessKeyId: string): Promise<'deleted' | 'missing'> {
    return this.write(
      async (tx) => {
        const name = await this.holderName(tx, accountId, { kind: 'user', name: userName });
        if (name === undefined) return 'missing' as const;
        const deleted = await tx.query('DELETE FROM access_keys WHERE access_key_id = $1 AND account_id = $2 AND user_name = $3', [
          accessKeyId,
          accountId,
          name,
        ]);
        return deleted.rowCount === 1 ? ('deleted' as const) : ('missing' as const);
      },
      (result) => result === 'deleted',
    );
  }

  // ---- inline policies ----

  putInlinePolicy(accountId: string, holder: PolicyHolder, policyName: string, document: string): Promise<'ok' | 'missing'> {
    return this.write(
      async (tx) => {
        const name = await this.holderName(tx, accountId, holder);
        if (name === undefined) return 'missing' as const;
        await tx.query(
          `INSERT INTO iam_inline_policies (account_id, holder_kind, holder_name, policy_name, document) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (account_id, holder_kind, lower(holder_name), policy_name) DO UPDATE SET document = excluded.document`,
          [accountId, holder.kind, name, policyName, document],
        );
        return 'ok' as const;
      },
      (result) => result === 'ok',
    );
  }

  async getInlinePolicy(accountId: string, holder: PolicyHolder, policyName: string): Promise<string | undefined> {
    const result = await this.db.query<{ document: string }>(
      `SELECT document FROM iam_inline_policies
        WHERE account_id = $1 AND holder_kind = $2 AND lower(holder_name) = lower($3) AND policy_name = $4`,
      [accountId, holder.kind, holder.name, policyName],
      'iam-inline-policy',
    );
    return result.rows[0]?.document;
  }

  async listInlinePolicies(accountId: string, holder: PolicyHolder): Promise<{ name: string; document: string }[]> {
    const result = await this.db.query<{ name: string; document: string }>(
      `SELECT policy_name AS name, document FROM iam_inline_policies
        WHERE account_id = $1 AND holder_kind = $2 AND lower(holder_name) = lower($3) ORDER BY policy_name`,
      [accountId, holder.kind, holder.name],
      'iam-inline-policies',
    );
    return result.rows;
  }

  deleteInlinePolicy(accountId: string, holder: PolicyHolder, policyName: string): Promise<'deleted' | 'missing'> {
    return this.write(
      async (tx) => {
        const deleted = await tx.query(
          'DELETE FROM iam_inline_policies WHERE account_id = $1 AND holder_kind = $2 AND lower(holder_name) = lower($3) AND policy_name = $4',
          [accountId, holder.kind, holder.name, policyName],
        );
        return deleted.rowCount === 1 ? ('deleted' as const) : ('missing' as const);
      },
      (result) => result === 'deleted',
    );
  }

  // ---- managed policies ----

  createPolicy(policy: ManagedPolicy): Promise<'created' | 'exists'> {
    return this.write(
      async (tx) => {
        const inserted = await tx.query(
          `INSERT INTO iam_managed_policies (arn, account_id, policy_name, policy_id, path, description, document, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
          policyParams(policy),
        );
        return inserted.rowCount === 1 ? ('created' as const) : ('exists' as const);
      },
      (result) => result === 'created',
    );
  }

  async getPolicy(arn: string): Promise<ManagedPolicy | undefined> {
    const result = await this.db.query<PolicyRow>(`SELECT ${POLICY_COLUMNS} FROM iam_managed_policies p WHERE p.arn = $1`, [arn], 'iam-get-policy');
    const row = result.rows[0];
    return row === undefined ? undefined : toPolicy(row);
  }

  async listPolicies(accountId: string): Promise<ManagedPolicy[]> {
    const result = await this.db.query<PolicyRow>(
      `SELECT ${POLICY_COLUMNS} FROM iam_managed_policies p WHERE p.account_id = $1 ORDER BY lower(p.policy_name) COLLATE "C"`,
      [accountId],
    );
    return result.rows.map(toPolicy);
  }

  deletePolicy(arn: string): Promise<'deleted' | 'missing' | 'conflict'> {
    return this.write(
      async (tx): Promise<'deleted' | 'missing' | 'conflict'> => {
        const attached = await tx.query('SELECT 1 FROM iam_attachments WHERE policy_arn = $1 LIMIT 1', [arn]);
        if (attached.rowCount !== 0) return 'conflict';
        const deleted = await tx.query('DELETE FROM iam_managed_policies WHERE arn = $1', [arn]);
        return deleted.rowCount === 1 ? 'deleted' : 'missing';
      },
      (result) => result === 'deleted',
    );
  }

  attachPolicy(accountId: string, holder: PolicyHolder, arn: string): Promise<'ok' | 'missing-holder' | 'missing-policy'> {
    return this.write(
      async (tx): Promise<'ok' | 'missing-holder' | 'missing-policy'> => {
        const name = await this.holderName(tx, accountId, holder);
        if (name === undefined) return 'missing-holder';
        const policy = await tx.query('SELECT 1 FROM iam_managed_policies WHERE arn = $1', [arn]);
        if (policy.rowCount === 0) return 'missing-policy';
        await tx.query(
          `INSERT INTO iam_attachments (account_id, holder_kind, holder_name, policy_arn) VALUES ($1, $2, $3, $4)
           ON CONFLICT DO NOTHING`,
          [accountId, holder.kind, name, arn],
        );
        return 'ok';
      },
      (result) => result === 'ok',
    );
  }

  detachPolicy(accountId: string, holder: PolicyHolder, arn: string): Promise<'ok' | 'not-attached'> {
    return this.write(
      async (tx) => {
        const deleted = await tx.query(
          'DELETE FROM iam_attachments WHERE account_id = $1 AND holder_kind = $2 AND lower(holder_name) = lower($3) AND policy_arn = $4',
          [accountId, holder.kind, holder.name, arn],
        );
        return deleted.rowCount === 1 ? ('ok' as const) : ('not-attached' as const);
      },
      (result) => result === 'ok',
    );
  }

  async attachedPolicies(accountId: string, holder: PolicyHolder): Promise<ManagedPolicy[]> {
    const result = await this.db.query<PolicyRow>(
      `SELECT ${POLICY_COLUMNS} FROM iam_attachments a2 JOIN iam_managed_policies p ON p.arn = a2.policy_arn
        WHERE a2.account_id = $1 AND a2.holder_kind = $2 AND lower(a2.holder_name) = lower($3)
        ORDER BY lower(p.policy_name) COLLATE "C"`,
      [accountId, holder.kind, holder.name],
      'iam-attached-policies',
    );
    return result.rows.map(toPolicy);
  }

  // ---- roles ----

  createRole(role: IamRole): Promise<'created' | 'exists'> {
    return this.write(
      async (tx) => {
        const inserted = await tx.query(
          `INSERT INTO iam_roles (account_id, role_name, role_id, path, trust_policy, description, max_session_duration, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (account_id, lower(role_name)) DO NOTHING`,
          roleParams(role),
        );
        if (inserted.rowCount === 0) return 'exists' as const;
        await this.insertTags(tx, role.accountId, 'role', role.roleName, role.tags);
        return 'created' as const;
      },
      (result) => result === 'created',
    );
  }

  async getRole(accountId: string, roleName: string): Promise<IamRole | undefined> {
    const result = await this.db.query<Tagged<RoleRow>>(
      `SELECT ${ROLE_COLUMNS} FROM iam_roles r WHERE r.account_id = $1 AND lower(r.role_name) = lower($2)`,
      [accountId, roleName],
      'iam-get-role',
    );
    const row = result.rows[0];
    return row === undefined ? undefined : toRole(row, row.tags);
  }

  async listRoles(accountId: string): Promise<IamRole[]> {
    const result = await this.db.query<Tagged<RoleRow>>(
      `SELECT ${ROLE_COLUMNS} FROM iam_roles r WHERE r.account_id = $1 ORDER BY lower(r.role_name) COLLATE "C"`,
      [accountId],
    );
    return result.rows.map((row) => toRole(row, row.tags));
  }

  deleteRole(accountId: string, roleName: string): Promise<'deleted' | 'missing' | DeleteConflict> {
    return this.write(
      async (tx): Promise<'deleted' | 'missing' | DeleteConflict> => {
        const name = await this.holderName(tx, accountId, { kind: 'role', name: roleName });
        if (name === undefined) return 'missing';
        const policies = await this.policyConflict(tx, accountId, 'role', name);
        if (policies !== undefined) return policies;
        await tx.query("DELETE FROM iam_tags WHERE account_id = $1 AND holder_kind = 'role' AND lower(holder_name) = lower($2)", [accountId, name]);
        await tx.query('DELETE FROM iam_roles WHERE account_id = $1 AND role_name = $2', [accountId, name]);
        return 'deleted';
      },
      (result) => result === 'deleted',
    );
  }

  setTrustPolicy(accountId: string, roleName: string, document: string): Promise<'ok' | 'missing'> {
    return this.write(
      async (tx) => {
        const updated = await tx.query('UPDATE iam_roles SET trust_policy = $1 WHERE account_id = $2 AND lower(role_name) = lower($3)', [
          document,
          accountId,
          roleName,
        ]);
        return updated.rowCount === 1 ? ('ok' as const) : ('missing' as const);
      },
      (result) => result === 'ok',
    );
  }

  // ---- sessions ----

  async putSession(session: RoleSession): Promise<void> {
    await this.write(async (tx) => {
      await tx.query(
        `INSERT INTO iam_sessions (access_key_id, secret_access_key, session_token, account_id, role_name, role_id,
           session_name, session_policy, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        sessionParams(session),
        'iam-put-session',
      );
    });
  }

  async getSession(accessKeyId: string): Promise<RoleSession | undefined> {
    const result = await this.db.query<SessionRow>('SELECT * FROM iam_sessions WHERE access_key_id = $1', [accessKeyId], 'iam-get-session');
    const row = result.rows[0];
    return row === undefined ? undefined : toSession(row);
  }

  deleteExpiredSessions(now: Date): Promise<number> {
    return this.write(
      async (tx) => (await tx.query('DELETE FROM iam_sessions WHERE expires_at < $1', [now.getTime()])).rowCount ?? 0,
      (deleted) => deleted > 0,
    );
  }
}
