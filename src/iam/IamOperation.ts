import type { Account } from '../core/identity/Account.js';
import type { UserPrincipal } from '../core/identity/Principal.js';
import type { XmlElement } from '../xml/codec.js';
import type { IamStore } from '../core/ports/IamStore.js';
import type { IdentityPolicies } from './IdentityPolicies.js';
import type { FormParams } from './wire/FormParams.js';

/** What an IAM or STS operation gets: the request's parameters, the authenticated caller and the IAM store. */
export interface IamContext {
  readonly params: FormParams;
  readonly caller: UserPrincipal;
  /** The caller's account: every IAM operation acts within it. */
  readonly accountId: string;
  readonly account: Account;
  readonly store: IamStore;
  readonly policies: IdentityPolicies;
  readonly now: Date;
  /**
   * Throws AccessDenied unless the caller may perform `action` (e.g. `iam:CreateUser`) on `resource` (an ARN):
   * an account's root user may do everything in its account; anyone else needs an identity-policy Allow.
   */
  authorize(action: string, resource: string): Promise<void>;
}

/** One IAM/STS action, in a file named as AWS names it. `handle` returns the content of `<{name}Result>`, if any. */
export interface IamOperation {
  readonly name: string;
  handle(ctx: IamContext): Promise<XmlElement | undefined>;
}
