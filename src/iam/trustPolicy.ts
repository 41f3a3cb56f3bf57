import type { UserPrincipal } from '../core/identity/Principal.js';
import { matchPrincipal, parsePrincipal, PrincipalError, type PrincipalSpec } from '../policy/engine/principals.js';
import { globRegExp } from '../policy/engine/wildcard.js';
import { IamError } from '../errors/IamError.js';
import { POLICY_SIZE } from './validate.js';

/**
 * A role's trust policy (AssumeRolePolicyDocument): a resource policy whose resource is the role. Each statement
 * has an Effect, a Principal and `sts:` actions, and no Resource. Conditions are not supported (refused, so a
 * policy never means less than it says). Evaluated by AssumeRole.
 */
export interface TrustPolicy {
  readonly statements: readonly TrustStatement[];
}

interface TrustStatement {
  readonly effect: 'Allow' | 'Deny';
  readonly principal: PrincipalSpec;
  readonly actions: readonly RegExp[];
}

const FIELDS = new Set(['Sid', 'Effect', 'Principal', 'Action']);

function malformed(index: number | undefined, reason: string): IamError {
  return new IamError('MalformedPolicyDocument', index === undefined ? reason : `Statement ${index}: ${reason}`);
}

export function parseTrustPolicy(document: string): TrustPolicy {
  if (document.replace(/\s/g, '').length > POLICY_SIZE.trust) {
    throw new IamError('LimitExceeded', `Cannot exceed quota for ACLSizePerRole: ${POLICY_SIZE.trust}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(document);
  } catch {
    throw malformed(undefined, 'This policy contains invalid Json');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw malformed(undefined, 'This policy contains invalid Json');
  const doc = json as Record<string, unknown>;
  for (const key of Object.keys(doc)) {
    if (!['Version', 'Id', 'Statement'].includes(key)) throw malformed(undefined, `Policy document contains unknown field ${key}`);
  }
  if (doc.Version !== undefined && doc.Version !== '2012-10-17' && doc.Version !== '2008-10-17') {
    throw malformed(undefined, 'The policy must contain a valid version string');
  }
  const raw = doc.Statement;
  const list = Array.isArray(raw) ? (raw as unknown[]) : raw === undefined ? [] : [raw];
  if (list.length === 0) throw malformed(undefined, 'Policy document should not be empty.');
  return { statements: list.map((s, i) => parseStatement(s, i)) };
}

function parseStatement(raw: unknown, index: number): TrustStatement {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw malformed(index, 'Statement must be an object');
  const s = raw as Record<string, unknown>;
  for (const key of Object.keys(s)) {
    if (key === 'Resource' || key === 'NotResource') throw malformed(index, `Has prohibited field ${key}`);
    if (key === 'Condition') throw malformed(index, 'Conditions in trust policies are not supported by Tessera');
    if (key === 'NotPrincipal' || key === 'NotAction') throw malformed(index, `${key} is not supported in trust policies by Tessera`);
    if (!FIELDS.has(key)) throw malformed(index, `Statement contains unknown field ${key}`);
  }
  if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw malformed(index, 'Invalid effect');
  if (s.Principal === undefined) throw malformed(index, 'AssumeRolepolicy contained an invalid principal element');
  let principal: PrincipalSpec;
  try {
    principal = parsePrincipal(s.Principal);
  } catch (err) {
    if (err instanceof PrincipalError) throw malformed(index, `Invalid principal in policy: ${err.value}`);
    throw err;
  }
  const actions = Array.isArray(s.Action) ? (s.Action as unknown[]) : s.Action === undefined ? [] : [s.Action];
  if (actions.length === 0) throw malformed(index, 'Missing required field Action');
  return {
    effect: s.Effect,
    principal,
    actions: actions.map((a) => {
      if (typeof a !== 'string' || !(a === '*' || /^sts:[A-Za-z*?]+$/i.test(a))) {
        throw malformed(index, `Invalid action in trust policy: ${String(a)}`);
      }
      return globRegExp(a, { ignoreCase: true });
    }),
  };
}

/** Whether the trust policy lets `caller` perform `action` (sts:AssumeRole) on the role: an Allow and no Deny. */
export function trustAllows(policy: TrustPolicy, caller: UserPrincipal, action = 'sts:AssumeRole'): boolean {
  let allowed = false;
  for (const statement of policy.statements) {
    if (!statement.actions.some((re) => re.test(action))) continue;
    const named =
      matchPrincipal(statement.principal, caller) !== 'none' ||
      (caller.role !== undefined && statement.principal.arns.has(caller.role.arn));
    if (!named) continue;
    if (statement.effect === 'Deny') return false;
    allowed = true;
  }
  return allowed;
}
