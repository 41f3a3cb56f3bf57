import type { Tag } from '../core/tags/Tag.js';
import { parsePolicy, PolicyParseError, type Policy } from '../policy/engine/index.js';
import { IamError } from '../errors/IamError.js';
import type { FormParams } from './wire/FormParams.js';

/** Input checks of the IAM API, with IAM's wording (ValidationError "1 validation error detected: …"). */

const NAME = /^[\w+=,.@-]+$/;
const PATH = /^(\/|\/[\x21-\x7e]+\/)$/;

function constraint(value: string, field: string, rule: string): IamError {
  return new IamError('ValidationError', `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: ${rule}`);
}

/** User, role, group names: 1..64 of `[\w+=,.@-]`; policy names 1..128. */
export function checkName(value: string, field: string, max = 64): string {
  if (value.length < 1 || value.length > max) throw constraint(value, field, `Member must have length less than or equal to ${max}`);
  if (!NAME.test(value)) throw constraint(value, field, 'Member must satisfy regular expression pattern: [\\w+=,.@-]+');
  return value;
}

/** Path: `/` or `/…/` of printable ASCII, at most 512 characters; default `/`. */
export function checkPath(value: string | undefined, field = 'path'): string {
  if (value === undefined) return '/';
  if (value.length > 512 || !PATH.test(value)) {
    throw constraint(value, field, 'Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)');
  }
  return value;
}

/** `Tags.member.N.Key/Value`: at most 50, keys 1..128 unique (case-insensitively), values up to 256. */
export function tagsOf(params: FormParams): Tag[] {
  const members = params.members('Tags', ['Key', 'Value']);
  if (members.length > 50) throw constraint('tags', 'tags', 'Member must have length less than or equal to 50');
  const seen = new Set<string>();
  return members.map((m) => {
    const key = m.Key;
    if (key === undefined || key.length === 0 || key.length > 128) throw new IamError('InvalidInput', 'Invalid tag key.');
    const value = m.Value ?? '';
    if (value.length > 256) throw new IamError('InvalidInput', `Tag value for key ${key} is too long.`);
    if (seen.has(key.toLowerCase())) throw new IamError('InvalidInput', 'Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    seen.add(key.toLowerCase());
    return { key, value };
  });
}

/** IAM counts a policy's size without whitespace. */
function policySize(document: string): number {
  return document.replace(/\s/g, '').length;
}

/**
 * Validate an identity policy (user or role permissions, managed policies, session policies) with the policy
 * engine; a problem is MalformedPolicyDocument naming the statement. `maxSize` is IAM's quota for the kind.
 */
export function checkIdentityPolicy(document: string, maxSize: number, limitMessage: string): Policy {
  if (policySize(document) > maxSize) throw new IamError('LimitExceeded', limitMessage);
  try {
    return parsePolicy(document, 'identity');
  } catch (err) {
    if (err instanceof PolicyParseError) throw new IamError('MalformedPolicyDocument', err.message);
    throw err;
  }
}

/** Quotas (IAM "IAM and AWS STS quotas"): inline user 2,048, inline role 10,240, managed 6,144, session 2,048. */
export const POLICY_SIZE = { userInline: 2048, roleInline: 10240, managed: 6144, session: 2048, trust: 2048 } as const;
