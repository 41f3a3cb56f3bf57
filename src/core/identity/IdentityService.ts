import type { AccountStore } from '../ports/AccountStore.js';
import type { Account } from './Account.js';
import type { Principal, UserPrincipal } from './Principal.js';
import { canonicalIdOf } from './canonicalId.js';

export interface RootCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface ResolvedKey {
  readonly secretAccessKey: string;
  readonly principal: Principal;
  /** For temporary credentials: the x-amz-security-token the request must carry. */
  readonly sessionToken?: string;
  readonly active: boolean;
}

/**
 * Resolves the keys a feature module issues (the IAM module: IAM users' keys with their user ids, AssumeRole's
 * temporary credentials). Consulted after the configured root key and before the plain key table; undefined → not
 * its key.
 */
export interface CredentialSource {
  resolve(accessKeyId: string): Promise<ResolvedKey | undefined>;
  /**
   * The same answer from memory, without a promise: the key, undefined when it is remembered as not this source's,
   * or null when it is not remembered. Throws what `resolve` would reject with (an expired session).
   */
  resolveNow?(accessKeyId: string): ResolvedKey | undefined | null;
}

/**
 * Accounts and their keys. The root account (configured id) always exists; its root user's key comes from the
 * configuration. Other accounts and keys live in the metadata store (created with `tessera accounts create`).
 */
export class IdentityService {
  constructor(
    private readonly accounts: AccountStore,
    private readonly root: { readonly account: Account; readonly credentials: RootCredentials },
  ) {}

  private readonly sources: CredentialSource[] = [];

  /** Add a credential source (the IAM module registers its users' keys and role sessions at start). */
  addCredentialSource(source: CredentialSource): void {
    this.sources.push(source);
  }

  /** Make sure the root account exists in the store. */
  static async ensureRootAccount(accounts: AccountStore, accountId: string, displayName: string, now: Date): Promise<Account> {
    const existing = await accounts.getAccount(accountId);
    if (existing) return existing;
    const account: Account = { id: accountId, canonicalId: canonicalIdOf(accountId), displayName, createdAt: now };
    await accounts.createAccount(account);
    return account;
  }

  get rootAccount(): Account {
    return this.root.account;
  }

  /**
   * CredentialResolver: find the secret and principal behind an access key id. The root key, and a key a source
   * remembers, are answered without an async frame (every request of an IAM user asks).
   */
  resolve(accessKeyId: string): Promise<ResolvedKey | undefined> {
    if (accessKeyId === this.root.credentials.accessKeyId) {
      return Promise.resolve({
        secretAccessKey: this.root.credentials.secretAccessKey,
        principal: rootPrincipal(this.root.account, accessKeyId),
        active: true,
      });
    }
    // the sources in order, as long as each answers from memory; the first not to is asked through `resolve`
    try {
      for (const source of this.sources) {
        const remembered = source.resolveNow === undefined ? null : source.resolveNow(accessKeyId);
        if (remembered === null) break;
        if (remembered !== undefined) return Promise.resolve(remembered);
      }
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    return this.resolveFromSources(accessKeyId);
  }

  private async resolveFromSources(accessKeyId: string): Promise<ResolvedKey | undefined> {
    for (const source of this.sources) {
      const resolved = await source.resolve(accessKeyId);
      if (resolved) return resolved;
    }
    const key = await this.accounts.getAccessKey(accessKeyId);
    if (!key) return undefined;
    const account = await this.accounts.getAccount(key.accountId);
    if (!account) return undefined;
    const principal: UserPrincipal =
      key.userName === undefined
        ? rootPrincipal(account, accessKeyId)
        : {
            kind: 'user',
            accountId: account.id,
            canonicalId: account.canonicalId,
            displayName: account.displayName,
            arn: `arn:aws:iam::${account.id}:user/${key.userName}`,
            userName: key.userName,
            isRoot: false,
            accessKeyId,
          };
    return { secretAccessKey: key.secretAccessKey, principal, active: key.status === 'Active' };
  }

  async accountOf(accountId: string): Promise<Account | undefined> {
    return accountId === this.root.account.id ? this.root.account : this.accounts.getAccount(accountId);
  }
}

export function rootPrincipal(account: Account, accessKeyId: string): UserPrincipal {
  return {
    kind: 'user',
    accountId: account.id,
    canonicalId: account.canonicalId,
    displayName: account.displayName,
    arn: `arn:aws:iam::${account.id}:root`,
    isRoot: true,
    accessKeyId,
  };
}
