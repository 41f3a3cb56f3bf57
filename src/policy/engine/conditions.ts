import { findConditionKey, keyServicePrefix, type KeyRef, type LazySource } from './conditionKeys.js';
import { parseOperator, type ParsedOperator } from './conditionOperators.js';
import { cidrContains, parseCidr, parseIp } from './ipCidr.js';
import type { KeyValue } from './RequestContext.js';
import { CompiledPattern, UNRESOLVED, type PatternMode, type PatternResult } from './patterns.js';
import { hasVariables, NO_VARIABLES, parseTemplate, type VariableResolver } from './variables.js';

/**
 * One condition (operator × key × values) compiled once: policy values parsed into numbers, dates, CIDR blocks or
 * patterns, so evaluating it is a comparison loop. Semantics (IAM "Condition operators" and "Multivalued context
 * keys"):
 * - values listed for one key are ORed; a negated operator is true when the request value matches none of them;
 * - key absent: positive operators false, negated operators true, `…IfExists` true;
 * - `ForAllValues:` true when every request value passes (and when the key is absent or its value set is empty);
 *   `ForAnyValue:` true when at least one does (false when absent or empty); with a negated operator "passes"
 *   means "matches none of the policy values";
 * - `Null`: `true` means the key is absent, `false` that it is present.
 */
export interface CompiledCondition {
  readonly operator: ParsedOperator;
  /** The key as written in the policy. */
  readonly keyName: string;
  /** The catalogue entry; undefined for a key of another service (always absent in an S3 request). */
  readonly key: KeyRef | undefined;
  readonly lazy: LazySource | undefined;
  /** Does one request value match any of the policy values? */
  readonly matchAny: (requestValue: string, resolve: VariableResolver) => PatternResult;
  /** For Null: which presence states the condition accepts (true = absent). */
  readonly nullAccepts: ReadonlySet<boolean>;
  /** A policy variable in the values: evaluating it needs the request's variable resolver. */
  readonly readsVariables: boolean;
}

export type ConditionProblem = 'InvalidCondition' | 'InvalidConditionKey';

export class ConditionError extends Error {
  constructor(
    readonly problem: ConditionProblem,
    readonly reason: string,
    readonly value: string,
  ) {
    super(reason);
  }
}

export type RawConditionValue = string | number | boolean;

export interface CompileConditionOptions {
  /** Policy variables are enabled (Version 2012-10-17). */
  readonly variables: boolean;
  /** Keys of services other than s3/aws are accepted (identity policies, which may also govern other services). */
  readonly allowForeignKeys: boolean;
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|z|[+-]\d{2}:?\d{2})?)?$/;
const EPOCH = /^\d+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function parseNumber(text: string): number | undefined {
  const t = text.trim();
  if (!NUMBER.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

// aws:CurrentTime is compared by every Date condition of every statement: remember the last value parsed.
let lastDateText: string | undefined;
let lastDate: number | undefined;

/** ISO 8601 (a date, or a date and time; no zone means UTC) or epoch seconds, as milliseconds since the epoch. */
export function parseDate(text: string): number | undefined {
  if (text !== lastDateText) {
    lastDate = parseDateUncached(text);
    lastDateText = text;
  }
  return lastDate;
}

function parseDateUncached(text: string): number | undefined {
  const t = text.trim();
  if (EPOCH.test(t)) return Number(t) * 1000;
  const m = ISO_DATE.exec(t);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac, zone] = m;
  const ms = frac ? Math.round(Number(frac) * 1000) : 0;
  let time = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  const check = new Date(time);
  if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) {
    return undefined;
  }
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    time -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return time;
}

function compare(comparison: string, a: number, b: number): boolean {
  switch (comparison) {
    case 'lt':
      return a < b;
    case 'le':
      return a <= b;
    case 'gt':
      return a > b;
    case 'ge':
      return a >= b;
    default:
      return a === b;
  }
}

function anyPattern(patterns: readonly CompiledPattern[], value: string, resolve: VariableResolver): PatternResult {
  let matched = false;
  for (const p of patterns) {
    const r = p.test(value, resolve);
    if (r === UNRESOLVED) return UNRESOLVED;
    if (r) matched = true;
  }
  return matched;
}

/**
 * StringLike values without variables: the plain ones in a set, the wildcard ones tested (each an anchored regex) only
 * when the set does not have the value. Nothing can be UNRESOLVED, so the first match decides.
 */
function staticLike(patterns: readonly CompiledPattern[]): CompiledCondition['matchAny'] {
  const plain = new Set<string>();
  const wildcards: CompiledPattern[] = [];
  for (const p of patterns) {
    if (p.staticText !== undefined) plain.add(p.staticText);
    else wildcards.push(p);
  }
  if (wildcards.length === 0) return (r) => plain.has(r);
  return (r) => {
    if (plain.has(r)) return true;
    for (let i = 0; i < wildcards.length; i++) if ((wildcards[i] as CompiledPattern).test(r, NO_VARIABLES) === true) return true;
    return false;
  };
}

/**
 * A matcher that depends on the request value alone, remembering its last answer: the same source address (and, within
 * a second, the same aws:CurrentTime) comes with request after request, and answering it again means parsing it and
 * comparing BigInt networks or dates each time.
 */
function lastAnswer(match: (value: string) => boolean): (value: string) => boolean {
  let lastValue: string | undefined;
  let last = false;
  return (value) => {
    if (value !== lastValue) {
      last = match(value);
      lastValue = value;
    }
    return last;
  };
}

function invalidValue(operator: string, key: string, value: string): ConditionError {
  return new ConditionError('InvalidCondition', `Invalid value for ${operator} condition on ${key}: ${value}`, value);
}

function compileMatcher(parsed: ParsedOperator, key: string, values: readonly string[], variables: boolean): CompiledCondition['matchAny'] {
  const { def } = parsed;
  switch (def.family) {
    case 'String': {
      const mode: PatternMode = def.comparison === 'like' ? 'glob' : def.comparison === 'ignoreCase' ? 'ignoreCase' : 'exact';
      const patterns = values.map((v) => new CompiledPattern(v, mode, variables));
      if (mode !== 'glob' && patterns.every((p) => p.staticText !== undefined)) {
        const set = new Set(patterns.map((p) => p.staticText ?? ''));
        return mode === 'ignoreCase' ? (r) => set.has(r.toLowerCase()) : (r) => set.has(r);
      }
      if (mode === 'glob' && patterns.every((p) => p.isStatic)) return staticLike(patterns);
      return (r, resolve) => anyPattern(patterns, r, resolve);
    }
    case 'Arn': {
      const patterns = values.map((v) => new CompiledPattern(v, 'arn', variables));
      return (r, resolve) => anyPattern(patterns, r, resolve);
    }
    case 'Numeric': {
      const numbers = values.map((v) => {
        const n = parseNumber(v);
        if (n === undefined) throw invalidValue(parsed.text, key, v);
        return n;
      });
      return (r) => {
        const n = parseNumber(r);
        return n !== undefined && numbers.some((p) => compare(def.comparison, n, p));
      };
    }
    case 'Date': {
      const dates = values.map((v) => {
        const d = parseDate(v);
        if (d === undefined) throw invalidValue(parsed.text, key, v);
        return d;
      });
      return lastAnswer((r) => {
        const d = parseDate(r);
        return d !== undefined && dates.some((p) => compare(def.comparison, d, p));
      });
    }
    case 'Bool': {
      const bools = new Set<string>(
        values.map((v) => {
          const lower = v.toLowerCase();
          if (lower !== 'true' && lower !== 'false') throw invalidValue(parsed.text, key, v);
          return lower;
        }),
      );
      return (r) => bools.has(r.toLowerCase());
    }
    case 'Binary': {
      const buffers = values.map((v) => {
        if (!BASE64.test(v)) throw invalidValue(parsed.text, key, v);
        return Buffer.from(v, 'base64');
      });
      return (r) => {
        if (!BASE64.test(r)) return false;
        const bytes = Buffer.from(r, 'base64');
        return buffers.some((b) => b.equals(bytes));
      };
    }
    case 'IpAddress': {
      const blocks = values.map((v) => {
        const c = parseCidr(v.trim());
        if (!c) throw invalidValue(parsed.text, key, v);
        return c;
      });
      return lastAnswer((r) => {
        const ip = parseIp(r.trim());
        return ip !== undefined && blocks.some((b) => cidrContains(b, ip));
      });
    }
    case 'Null':
      return () => false;
  }
}

/** Compile one operator/key/values triple from a Condition block. Throws ConditionError. */
export function compileCondition(
  operatorText: string,
  keyName: string,
  raw: RawConditionValue | readonly RawConditionValue[],
  options: CompileConditionOptions,
): CompiledCondition {
  const operator = parseOperator(operatorText);
  if (!operator) throw new ConditionError('InvalidCondition', `Invalid Condition type : ${operatorText}`, operatorText);
  const key = findConditionKey(keyName);
  if (!key) {
    const service = keyServicePrefix(keyName);
    if (!options.allowForeignKeys || service === '' || service === 's3' || service === 'aws') {
      throw new ConditionError('InvalidConditionKey', 'Policy has an invalid condition key', keyName);
    }
  }
  const list = Array.isArray(raw) ? raw : [raw as RawConditionValue];
  if (list.length === 0) throw invalidValue(operatorText, keyName, '[]');
  const values = list.map((v) => (typeof v === 'string' ? v : String(v)));
  const nullAccepts = new Set<boolean>();
  if (operator.def.family === 'Null') {
    for (const v of values) {
      const lower = v.toLowerCase();
      if (lower !== 'true' && lower !== 'false') throw invalidValue(operatorText, keyName, v);
      nullAccepts.add(lower === 'true');
    }
  }
  return {
    operator,
    keyName,
    key,
    lazy: key && key.def.source !== 'request' ? key.def.source : undefined,
    matchAny: compileMatcher(operator, keyName, values, options.variables),
    nullAccepts,
    // only String and Arn values are patterns (the other families' values are constants)
    readsVariables:
      options.variables && (operator.def.family === 'String' || operator.def.family === 'Arn') && values.some((v) => hasVariables(parseTemplate(v, true))),
  };
}

function isEmptySet(values: readonly string[] | undefined): boolean {
  return values === undefined || values.length === 0 || (values.length === 1 && values[0] === '');
}

/**
 * Evaluate a condition against the request's value for its key: one string, a list (a multivalued key), or
 * undefined when the key is absent. One string is the same as a list of it.
 * UNRESOLVED: a policy variable in the values has no value in this request — the statement does not match.
 */
export function evaluateCondition(condition: CompiledCondition, value: KeyValue | undefined, resolve: VariableResolver): PatternResult {
  if (typeof value === 'string') return evaluateOne(condition, value, resolve);
  const { operator } = condition;
  const values = value;
  if (operator.def.family === 'Null') {
    const absent = values === undefined || values.length === 0;
    return condition.nullAccepts.has(absent);
  }
  const negated = operator.def.negated;
  if (operator.set) {
    if (isEmptySet(values)) return operator.ifExists || operator.set === 'ForAllValues';
    const all = operator.set === 'ForAllValues';
    for (const v of values ?? []) {
      const m = condition.matchAny(v, resolve);
      if (m === UNRESOLVED) return UNRESOLVED;
      const passes = negated ? !m : m;
      if (all && !passes) return false;
      if (!all && passes) return true;
    }
    return all;
  }
  if (values === undefined || values.length === 0) return operator.ifExists || negated;
  let matched = false;
  for (const v of values) {
    const m = condition.matchAny(v, resolve);
    if (m === UNRESOLVED) return UNRESOLVED;
    if (m) {
      matched = true;
      break;
    }
  }
  return negated ? !matched : matched;
}

/** evaluateCondition for a present key with one value (a list of one, without the list). */
function evaluateOne(condition: CompiledCondition, value: string, resolve: VariableResolver): PatternResult {
  const { operator } = condition;
  if (operator.def.family === 'Null') return condition.nullAccepts.has(false);
  // a set operator over one value: the empty string is an empty set; otherwise ForAllValues and ForAnyValue both ask
  // whether that one value passes
  if (operator.set && value === '') return operator.ifExists || operator.set === 'ForAllValues';
  const m = condition.matchAny(value, resolve);
  if (m === UNRESOLVED) return UNRESOLVED;
  return operator.def.negated ? !m : m;
}
