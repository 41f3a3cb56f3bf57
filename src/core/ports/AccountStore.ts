import type { Account, AccessKey } from '../identity/Account.js';

/** Accounts and their root users' access keys (conventions: see MetadataStore). */
export interface AccountStore {
  createAccount(account: Account): Promise<'created' | 'exists'>;
  getAccount(accountId: string): Promise<Account | undefined>;
  listAccounts(): Promise<Account[]>;
  putAccessKey(key: AccessKey): Promise<void>;
  getAccessKey(accessKeyId: string): Promise<AccessKey | undefined>;
}
