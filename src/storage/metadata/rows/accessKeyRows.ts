import type { AccessKey } from '../../../core/identity/Account.js';

/** A row of `access_keys` (root users' keys and IAM users' keys share the table). */
export interface AccessKeyRow {
  readonly access_key_id: string;
  readonly secret_access_key: string;
  readonly account_id: string;
  readonly user_name: string | null;
  readonly status: 'Active' | 'Inactive';
  readonly created_at: number;
}

/** The one mapping from an `access_keys` row to an AccessKey (used by the account repo and the IAM store). */
export function toAccessKey(row: AccessKeyRow): AccessKey {
  return {
    accessKeyId: row.access_key_id,
    secretAccessKey: row.secret_access_key,
    accountId: row.account_id,
    ...(row.user_name === null ? {} : { userName: row.user_name }),
    status: row.status,
    createdAt: new Date(row.created_at),
  };
}
