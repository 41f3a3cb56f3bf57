import type { Database, Statement } from 'better-sqlite3';
import type { AccessKey, Account } from '../../../core/identity/Account.js';
import { toAccessKey, type AccessKeyRow } from '../rows/accessKeyRows.js';

interface AccountRow {
  readonly id: string;
  readonly canonical_id: string;
  readonly display_name: string;
  readonly created_at: number;
}


/** Accounts and their access keys. */
export class AccountRepo {
  private readonly insertAccount: Statement<[string, string, string, number]>;
  private readonly selectAccount: Statement<[string], AccountRow>;
  private readonly selectAccounts: Statement<[], AccountRow>;
  private readonly upsertKey: Statement<[string, string, string, string | null, string, number]>;
  private readonly selectKey: Statement<[string], AccessKeyRow>;

  constructor(db: Database) {
    this.insertAccount = db.prepare(
      'INSERT INTO accounts (id, canonical_id, display_name, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
    );
    this.selectAccount = db.prepare('SELECT id, canonical_id, display_name, created_at FROM accounts WHERE id = ?');
    this.selectAccounts = db.prepare('SELECT id, canonical_id, display_name, created_at FROM accounts ORDER BY id');
    this.upsertKey = db.prepare(`INSERT INTO access_keys
        (access_key_id, secret_access_key, account_id, user_name, status, created_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (access_key_id) DO UPDATE SET secret_access_key = excluded.secret_access_key,
        account_id = excluded.account_id, user_name = excluded.user_name, status = excluded.status,
        created_at = excluded.created_at`);
    this.selectKey = db.prepare(
      'SELECT access_key_id, secret_access_key, account_id, user_name, status, created_at FROM access_keys WHERE access_key_id = ?',
    );
  }

  create(account: Account): 'created' | 'exists' {
    const { changes } = this.insertAccount.run(
      account.id,
      account.canonicalId,
      account.displayName,
      account.createdAt.getTime(),
    );
    return changes === 1 ? 'created' : 'exists';
  }

  get(accountId: string): Account | undefined {
    const row = this.selectAccount.get(accountId);
    return row === undefined ? undefined : toAccount(row);
  }

  list(): Account[] {
    return this.selectAccounts.all().map(toAccount);
  }

  putKey(key: AccessKey): void {
    this.upsertKey.run(
      key.accessKeyId,
      key.secretAccessKey,
      key.accountId,
      key.userName ?? null,
      key.status,
      key.createdAt.getTime(),
    );
  }

  getKey(accessKeyId: string): AccessKey | undefined {
    const row = this.selectKey.get(accessKeyId);
    return row === undefined ? undefined : toAccessKey(row);
  }
}

function toAccount(row: AccountRow): Account {
  return {
    id: row.id,
    canonicalId: row.canonical_id,
    displayName: row.display_name,
    createdAt: new Date(row.created_at),
  };
}
