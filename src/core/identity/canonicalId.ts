import { createHash } from 'node:crypto';

/** The 64-hex canonical user id of an account, derived from its account id so it is stable across restarts. */
export function canonicalIdOf(accountId: string): string {
  return createHash('sha256').update(`tessera-account:${accountId}`).digest('hex');
}
