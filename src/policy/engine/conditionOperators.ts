/**
 * The condition operators (IAM "Condition operators"), each with its family and whether it is a negated
 * ("not") operator, plus the `…IfExists` suffix and the `ForAllValues:` / `ForAnyValue:` set qualifiers.
 * Operator names are matched exactly as AWS spells them.
 */
export type OperatorFamily = 'String' | 'Numeric' | 'Date' | 'Bool' | 'Binary' | 'IpAddress' | 'Arn' | 'Null';

/** How a request value is compared with a policy value. */
export type Comparison = 'eq' | 'lt' | 'le' | 'gt' | 'ge' | 'like' | 'ignoreCase';

export interface OperatorDef {
  readonly name: string;
  readonly family: OperatorFamily;
  readonly comparison: Comparison;
  /** A "not" operator: true when the request value matches none of the policy values (and when the key is absent). */
  readonly negated: boolean;
}

function op(name: string, family: OperatorFamily, comparison: Comparison, negated = false): OperatorDef {
  return Object.freeze({ name, family, comparison, negated });
}

export const OPERATORS: readonly OperatorDef[] = [
  op('StringEquals', 'String', 'eq'),
  op('StringNotEquals', 'String', 'eq', true),
  op('StringEqualsIgnoreCase', 'String', 'ignoreCase'),
  op('StringNotEqualsIgnoreCase', 'String', 'ignoreCase', true),
  op('StringLike', 'String', 'like'),
  op('StringNotLike', 'String', 'like', true),
  op('NumericEquals', 'Numeric', 'eq'),
  op('NumericNotEquals', 'Numeric', 'eq', true),
  op('NumericLessThan', 'Numeric', 'lt'),
  op('NumericLessThanEquals', 'Numeric', 'le'),
  op('NumericGreaterThan', 'Numeric', 'gt'),
  op('NumericGreaterThanEquals', 'Numeric', 'ge'),
  op('DateEquals', 'Date', 'eq'),
  op('DateNotEquals', 'Date', 'eq', true),
  op('DateLessThan', 'Date', 'lt'),
  op('DateLessThanEquals', 'Date', 'le'),
  op('DateGreaterThan', 'Date', 'gt'),
  op('DateGreaterThanEquals', 'Date', 'ge'),
  op('Bool', 'Bool', 'eq'),
  op('BinaryEquals', 'Binary', 'eq'),
  op('IpAddress', 'IpAddress', 'eq'),
  op('NotIpAddress', 'IpAddress', 'eq', true),
  op('ArnEquals', 'Arn', 'like'),
  op('ArnLike', 'Arn', 'like'),
  op('ArnNotEquals', 'Arn', 'like', true),
  op('ArnNotLike', 'Arn', 'like', true),
  op('Null', 'Null', 'eq'),
];

const BY_NAME = new Map(OPERATORS.map((o) => [o.name, o]));

export type SetQualifier = 'ForAllValues' | 'ForAnyValue';

export interface ParsedOperator {
  /** As written in the policy, e.g. `ForAnyValue:StringLikeIfExists`. */
  readonly text: string;
  readonly def: OperatorDef;
  readonly ifExists: boolean;
  readonly set: SetQualifier | undefined;
}

/** Parse an operator as written in a policy; undefined when it is not a valid operator. */
export function parseOperator(text: string): ParsedOperator | undefined {
  let rest = text;
  let set: SetQualifier | undefined;
  for (const q of ['ForAllValues', 'ForAnyValue'] as const) {
    if (rest.startsWith(`${q}:`)) {
      set = q;
      rest = rest.slice(q.length + 1);
    }
  }
  let ifExists = false;
  if (rest.endsWith('IfExists')) {
    ifExists = true;
    rest = rest.slice(0, -'IfExists'.length);
  }
  const def = BY_NAME.get(rest);
  if (!def) return undefined;
  // Null checks presence itself: it takes neither IfExists nor a set qualifier.
  if (def.family === 'Null' && (ifExists || set)) return undefined;
  return { text, def, ifExists, set };
}
