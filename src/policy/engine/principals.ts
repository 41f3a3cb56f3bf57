/**
 * The Principal / NotPrincipal element of resource policies, and who makes a request.
 *
 * Accepted forms (IAM "AWS JSON policy elements: Principal"): `"*"`; `{"AWS": …}` with `"*"`, a 12-digit account id,
 * `arn:aws:iam::<account>:root`, an IAM user or role ARN, or an STS assumed-role session ARN; `{"CanonicalUser": …}`
 * with a 64-hex canonical id (it names the account); `{"Service": …}` and `{"Federated": …}` (accepted, and never
 * match a Tessera principal). Each may be a string or a non-empty list. Wildcards other than a lone `*` are invalid.
 *
 * Matching follows AWS: `*` matches everyone, anonymous included. An account principal names the account: it
 * matches the account's root user directly; for the account's IAM users an Allow only delegates (their identity
 * policies must also allow), while a Deny applies to them too (S3 since October 2023).
 */

/** Who makes a request (the structural subset of core's Principal the engine needs). */
export type PolicyPrincipal =
  | { readonly kind: 'anonymous' }
  | {
      readonly kind: 'user';
      /** 12-digit account id. */
      readonly accountId: string;
      /** arn:aws:iam::<account>:root for the root user, arn:aws:iam::<account>:user/<name> for IAM users. */
      readonly arn: string;
      readonly isRoot: boolean;
      /** The account's canonical user id (64 hex), matched by `{"CanonicalUser": …}`. */
      readonly canonicalId?: string;
      /** IAM user name (aws:username); undefined for the root user. */
      readonly userName?: string;
      /** IAM unique id (aws:userid) of an IAM user; the root user's is its account id. */
      readonly userId?: string;
      /** For a role session (arn is the assumed-role session ARN): the role, which a Principal naming it matches. */
      readonly role?: { readonly arn: string };
    };

export interface PrincipalSpec {
  readonly everyone: boolean;
  readonly accounts: ReadonlySet<string>;
  readonly arns: ReadonlySet<string>;
  readonly canonicalIds: ReadonlySet<string>;
  readonly services: readonly string[];
  readonly federated: readonly string[];
}

export class PrincipalError extends Error {
  constructor(readonly value: string) {
    super('Invalid principal in policy');
  }
}

const ACCOUNT = /^\d{12}$/;
const ROOT_ARN = /^arn:aws:iam::(\d{12}):root$/;
const IAM_ARN = /^arn:aws:iam::\d{12}:(?:user|role)\/[\w+=,.@/-]+$/;
const STS_ARN = /^arn:aws:sts::\d{12}:assumed-role\/[\w+=,.@-]+\/[\w+=,.@-]+$/;
const CANONICAL = /^[0-9a-fA-F]{64}$/;
const SERVICE = /^[a-z0-9][a-z0-9.-]*$/;

function stringList(value: unknown): string[] {
  const list = Array.isArray(value) ? (value as unknown[]) : [value];
  if (list.length === 0) throw new PrincipalError('[]');
  return list.map((v) => {
    if (typeof v !== 'string' || v === '') throw new PrincipalError(JSON.stringify(v) ?? String(v));
    return v;
  });
}

/** Parse a Principal or NotPrincipal value. Throws PrincipalError. */
export function parsePrincipal(value: unknown): PrincipalSpec {
  const accounts = new Set<string>();
  const arns = new Set<string>();
  const canonicalIds = new Set<string>();
  const services: string[] = [];
  const federated: string[] = [];
  let everyone = false;
  if (value === '*') {
    everyone = true;
  } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) throw new PrincipalError('{}');
    for (const [type, v] of entries) {
      const list = stringList(v);
      switch (type) {
        case 'AWS':
          for (const p of list) {
            const root = ROOT_ARN.exec(p);
            if (p === '*') everyone = true;
            else if (ACCOUNT.test(p)) accounts.add(p);
            else if (root) accounts.add(root[1] ?? '');
            else if (IAM_ARN.test(p) || STS_ARN.test(p)) arns.add(p);
            else throw new PrincipalError(p);
          }
          break;
        case 'CanonicalUser':
          for (const p of list) {
            if (!CANONICAL.test(p)) throw new PrincipalError(p);
            canonicalIds.add(p.toLowerCase());
          }
          break;
        case 'Service':
          for (const p of list) {
            if (!SERVICE.test(p)) throw new PrincipalError(p);
            services.push(p);
          }
          break;
        case 'Federated':
          federated.push(...list);
          break;
        default:
          throw new PrincipalError(type);
      }
    }
  } else {
    throw new PrincipalError(typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)));
  }
  return { everyone, accounts, arns, canonicalIds, services, federated };
}

/** How a Principal element matches: by name or `*` (direct), through the principal's account, or not at all. */
export type PrincipalMatch = 'direct' | 'account' | 'none';

function accountListed(spec: PrincipalSpec, p: Extract<PolicyPrincipal, { kind: 'user' }>): boolean {
  return spec.accounts.has(p.accountId) || (p.canonicalId !== undefined && spec.canonicalIds.has(p.canonicalId.toLowerCase()));
}

export function matchPrincipal(spec: PrincipalSpec, p: PolicyPrincipal): PrincipalMatch {
  if (spec.everyone) return 'direct';
  if (p.kind === 'anonymous') return 'none';
  if (spec.arns.has(p.arn) || (p.role !== undefined && spec.arns.has(p.role.arn))) return 'direct';
  if (accountListed(spec, p)) return p.isRoot ? 'direct' : 'account';
  return 'none';
}

/**
 * Whether a NotPrincipal statement applies to the principal. As AWS documents for NotPrincipal with Deny, an IAM
 * user is excluded only when both the user and its account are listed; a root user when its account is listed.
 */
export function notPrincipalApplies(spec: PrincipalSpec, p: PolicyPrincipal): boolean {
  if (spec.everyone) return false;
  if (p.kind === 'anonymous') return true;
  const account = accountListed(spec, p);
  if (p.isRoot) return !account;
  return !(account && (spec.arns.has(p.arn) || (p.role !== undefined && spec.arns.has(p.role.arn))));
}
