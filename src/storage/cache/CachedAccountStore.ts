import type { AccessKey, Account } from '../../core/identity/Account.js';
import type { AccountStore } from '../../core/ports/AccountStore.js';
import { GenerationCache, MISS } from './readCaches.js';
import type { WriteSignal } from './WriteSignal.js';

/**
 * An AccountStore whose account and access key reads (every request signed with a stored key) are remembered until
 * the next write to identity data (WriteSignal.identityWrites). An absent one is read again each time: `tessera
 * accounts create` may add it from another process. Writes go straight through.
 */
export class CachedAccountStore implements AccountStore {
  private readonly keyCache: GenerationCache<AccessKey | undefined>;
  private readonly accountCache: GenerationCache<Account | undefined>;

  constructor(
    private readonly inner: AccountStore,
    signal: WriteSignal,
  ) {
    const identityWrites = (): number => signal.identityWrites;
    const inWrite = (): boolean => signal.inWrite;
    this.keyCache = new GenerationCache<AccessKey | undefined>(identityWrites, inWrite, (key) => (key === undefined ? undefined : Object.freeze(key)));
    this.accountCache = new GenerationCache<Account | undefined>(identityWrites, inWrite, (account) =>
      account === undefined ? undefined : Object.freeze(account),
    );
  }

  getAccount(accountId: string): Promise<Account | undefined> {
    const cached = this.accountCache.find(accountId);
    if (cached !== MISS && cached !== undefined) return Promise.resolve(cached);
    const token = this.accountCache.token();
    return this.inner.getAccount(accountId).then((account) => this.accountCache.remember(accountId, account, token));
  }

  getAccessKey(accessKeyId: string): Promise<AccessKey | undefined> {
    const cached = this.keyCache.find(accessKeyId);
    if (cached !== MISS && cached !== undefined) return Promise.resolve(cached);
    const token = this.keyCache.token();
    return this.inner.getAccessKey(accessKeyId).then((key) => this.keyCache.remember(accessKeyId, key, token));
  }

  createAccount(account: Account): Promise<'created' | 'exists'> {
    return this.inner.createAccount(account);
  }

  listAccounts(): Promise<Account[]> {
    return this.inner.listAccounts();
  }

  putAccessKey(key: AccessKey): Promise<void> {
    return this.inner.putAccessKey(key);
  }
}
