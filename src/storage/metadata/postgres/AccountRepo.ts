import type { AccessKey, Account } from '../../../core/identity/Account.js';
import { toAccessKey, type AccessKeyRow } from '../rows/accessKeyRows.js';
import type { Queryable } from './Queryable.js';

interface AccountRow {
  readonly id: string;
  readonly canonical_id: string;
  readonly display_name: string;
  readonly created_at: number;
}

const ACCOUNT_COLUMNS = 'id, canonical_id, display_name, created_at';

/** Accounts and their access keys (each method one statement). */
export class AccountRepo {
  async create(sql: Queryable, account: Account): Promise<'created' | 'exists'> {
    const result = await sql.query(
      'INSERT INTO accounts (id, canonical_id, display_name, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING',
      [account.id, account.canonicalId, account.displayName, account.createdAt.getTime()],
    );
    return result.rowCount === 1 ? 'created' : 'exists';
  }

  async get(sql: Queryable, accountId: string): Promise<Account | undefined> {
    const result = await sql.query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = $1`, [accountId], 'tessera_account');
    const row = result.rows[0];
    return row === undefined ? undefined : toAccount(row);
  }

  async list(sql: Queryable): Promise<Account[]> {
    const result = await sql.query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts ORDER BY id COLLATE "C"`);
    return result.rows.map(toAccount);
  }

  async putKey(sql: Queryable, key: AccessKey): Promise<void> {
    await sql.query(
      `INSERT INTO access_keys (access_key_id, secret_access_key, account_id, user_name, status, created_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (access_key_id) DO UPDATE SET secret_access_key = excluded.secret_access_key,
         account_id = excluded.account_id, user_name = excluded.user_name, status = excluded.status,
         created_at = excluded.created_at`,
      [key.accessKeyId, key.secretAccessKey, key.accountId, key.userName ?? null, key.status, key.createdAt.getTime()],
    );
  }

  async getKey(sql: Queryable, accessKeyId: string): Promise<AccessKey | undefined> {
    const result = await sql.query<AccessKeyRow>(
      'SELECT access_key_id, secret_access_key, account_id, user_name, status, created_at FROM access_keys WHERE access_key_id = $1',
      [accessKeyId],
      'tessera_access_key',
    );
    const row = result.rows[0];
    return row === undefined ? undefined : toAccessKey(row);
  }
}

function toAccount(row: AccountRow): Account {
  return { id: row.id, canonicalId: row.canonical_id, displayName: row.display_name, createdAt: new Date(row.created_at) };
}
