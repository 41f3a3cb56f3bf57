import { canonicalIdOf } from '../../identity/canonicalId.js';
import type { AccountStore } from '../../ports/AccountStore.js';

/** The Owner element of a listing entry: the account's canonical id and display name. */
export interface OwnerInfo {
  readonly id: string;
  readonly displayName?: string;
}

/**
 * A per-request lookup from an owner account id to its Owner: each account is read once however many entries it
 * owns. An account that no longer exists still gets its (derived) canonical id, without a display name.
 */
export function ownerLookup(accounts: Pick<AccountStore, 'getAccount'>): (accountId: string) => Promise<OwnerInfo> {
  const cache = new Map<string, Promise<OwnerInfo>>();
  return (accountId) => {
    let owner = cache.get(accountId);
    if (owner === undefined) {
      owner = accounts.getAccount(accountId).then((account) =>
        account === undefined ? { id: canonicalIdOf(accountId) } : { id: account.canonicalId, displayName: account.displayName },
      );
      cache.set(accountId, owner);
    }
    return owner;
  };
}
