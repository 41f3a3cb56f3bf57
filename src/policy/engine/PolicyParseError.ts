/**
 * A policy document that cannot be accepted, with the statement it concerns. The S3 layer maps it to MalformedPolicy
 * (bucket policies) and the IAM API to MalformedPolicyDocument (identity policies); `reason` is the message AWS
 * gives for the same problem where AWS documents one, `problem` a stable code for callers.
 */
export type PolicyProblem =
  | 'InvalidJson'
  | 'InvalidVersion'
  | 'InvalidElement'
  | 'MissingField'
  | 'UnknownField'
  | 'InvalidSid'
  | 'DuplicateSid'
  | 'InvalidEffect'
  | 'InvalidPrincipal'
  | 'PrincipalNotAllowed'
  | 'InvalidAction'
  | 'InvalidResource'
  | 'ActionResourceMismatch'
  | 'InvalidCondition'
  | 'InvalidConditionKey'
  | 'ConditionActionMismatch';

export class PolicyParseError extends Error {
  override readonly name = 'PolicyParseError';

  constructor(
    readonly problem: PolicyProblem,
    /** What is wrong, e.g. "Policy has invalid action". */
    readonly reason: string,
    /** Index of the offending statement in the Statement list (0-based); undefined for document-level problems. */
    readonly statementIndex: number | undefined,
    /** Sid of the offending statement, when it has one. */
    readonly sid: string | undefined,
    /** The offending value (an action, resource, principal, key, …), when there is one. */
    readonly value: string | undefined = undefined,
  ) {
    super(PolicyParseError.describe(reason, statementIndex, sid, value));
  }

  private static describe(reason: string, index: number | undefined, sid: string | undefined, value: string | undefined): string {
    const where = index === undefined ? '' : `Statement ${index}${sid ? ` (Sid "${sid}")` : ''}: `;
    return `${where}${reason}${value !== undefined ? `: ${value}` : ''}`;
  }
}
