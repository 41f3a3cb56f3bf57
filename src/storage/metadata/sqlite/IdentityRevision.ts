/**
 * Counts the writes to identity data on one SQLite connection: accounts, access keys, and the IAM tables (users,
 * policies, attachments, roles, sessions). Every such write bumps it inside its own transaction, so a read cache
 * keyed on `value` (GenerationCache) drops what it holds before the next read sees the change. Unlike the group
 * commit's generation it does not move on object writes, so identity caches survive a PUT-heavy load.
 */
export class IdentityRevision {
  private count = 0;

  get value(): number {
    return this.count;
  }

  bump(): void {
    this.count++;
  }
}
