import { S3Error } from '../../../errors/S3Error.js';

/**
 * A decoded POST policy: `{"expiration": "<ISO 8601>", "conditions": [ … ]}` with conditions
 *   {"field": "value"}                    exact match (also {"bucket": "…"})
 *   ["eq", "$field", "value"]             exact match
 *   ["starts-with", "$field", "prefix"]   prefix match ("" matches anything)
 *   ["content-length-range", min, max]    size of the uploaded file, in bytes
 */
export type PolicyCondition =
  | { readonly kind: 'eq' | 'starts-with'; readonly field: string; readonly value: string; readonly text: string }
  | { readonly kind: 'content-length-range'; readonly min: number; readonly max: number };

export interface PolicyDocument {
  readonly expiration: Date;
  readonly conditions: readonly PolicyCondition[];
}

function invalid(detail: string): S3Error {
  return new S3Error('InvalidPolicyDocument', { message: `Invalid Policy: ${detail}` });
}

/** How S3 quotes a condition back in "Policy Condition failed: …". */
function quote(op: string, field: string, value: string): string {
  return `[${[op, field, value].map((s) => JSON.stringify(s)).join(', ')}]`;
}

function parseArrayCondition(item: readonly unknown[]): PolicyCondition {
  const [op, a, b] = item;
  if (typeof op !== 'string') throw invalid(`Invalid Simple-Condition: ${JSON.stringify(item)}`);
  const operator = op.toLowerCase();
  if (operator === 'content-length-range') {
    const min = typeof a === 'string' && /^\d+$/.test(a) ? Number(a) : a;
    const max = typeof b === 'string' && /^\d+$/.test(b) ? Number(b) : b;
    if (item.length !== 3 || typeof min !== 'number' || typeof max !== 'number' || !Number.isSafeInteger(min) ||
      !Number.isSafeInteger(max) || min < 0 || max < min) {
      throw invalid(`Invalid content-length-range: ${JSON.stringify(item)}`);
    }
    return { kind: 'content-length-range', min, max };
  }
  if (operator !== 'eq' && operator !== 'starts-with') throw invalid(`Invalid Condition operator: ${op}`);
  if (item.length !== 3 || typeof a !== 'string' || typeof b !== 'string' || !a.startsWith('$') || a.length < 2) {
    throw invalid(`Invalid Simple-Condition: ${JSON.stringify(item)}`);
  }
  return { kind: operator, field: a.slice(1).toLowerCase(), value: b, text: quote(op, a, b) };
}

function parseConditions(raw: unknown): PolicyCondition[] {
  if (!Array.isArray(raw)) throw invalid('Policy missing conditions.');
  const out: PolicyCondition[] = [];
  for (const item of raw as unknown[]) {
    if (Array.isArray(item)) {
      out.push(parseArrayCondition(item as unknown[]));
    } else if (typeof item === 'object' && item !== null) {
      const entries = Object.entries(item as Record<string, unknown>);
      if (entries.length === 0) throw invalid('Invalid Simple-Condition: {}');
      for (const [field, value] of entries) {
        if (typeof value !== 'string') throw invalid(`Invalid Simple-Condition: ${JSON.stringify(item)}`);
        out.push({ kind: 'eq', field: field.toLowerCase(), value, text: quote('eq', `$${field}`, value) });
      }
    } else {
      throw invalid(`Invalid Simple-Condition: ${JSON.stringify(item)}`);
    }
  }
  return out;
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Decodes the base64 `policy` form field. Malformed → InvalidPolicyDocument. */
export function parsePolicyDocument(base64: string): PolicyDocument {
  const compact = base64.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) throw invalid('Invalid JSON.');
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(compact, 'base64').toString('utf8'));
  } catch {
    throw invalid('Invalid JSON.');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw invalid('Invalid JSON.');
  const doc = json as Record<string, unknown>;
  const expiration = doc['expiration'];
  if (expiration === undefined) throw invalid('Policy missing expiration.');
  if (typeof expiration !== 'string' || !ISO_8601.test(expiration) || Number.isNaN(Date.parse(expiration))) {
    throw invalid(`Invalid 'expiration' value: '${typeof expiration === 'string' ? expiration : JSON.stringify(expiration)}'`);
  }
  return { expiration: new Date(Date.parse(expiration)), conditions: parseConditions(doc['conditions']) };
}
