import { S3Error } from '../../../errors/S3Error.js';
import type { PolicyDocument } from './policyDocument.js';

/** The content-length-range of a policy: the file must have min ≤ size ≤ max bytes. */
export interface ContentLengthRange {
  readonly min: number;
  readonly max: number;
}

/** Form fields that never need a condition (AWS: x-amz-signature, file, policy, x-ignore-*; and the SigV2 pair). */
function isExempt(name: string): boolean {
  return name === 'policy' || name === 'x-amz-signature' || name === 'file' || name === 'signature' ||
    name === 'awsaccesskeyid' || name.startsWith('x-ignore-');
}

function denied(detail: string): S3Error {
  return new S3Error('AccessDenied', { message: `Invalid according to Policy: ${detail}` });
}

/**
 * Evaluates a POST policy against the form (pure; the clock is a parameter). `fields` have lower-case names;
 * `bucket` is the bucket the form was posted to (what "$bucket" conditions match). Returns the
 * content-length-range, which only the upload itself can check (see checkContentLength).
 */
export function evaluatePolicy(
  policy: PolicyDocument,
  fields: ReadonlyMap<string, string>,
  bucket: string,
  now: Date,
): ContentLengthRange | undefined {
  if (now.getTime() > policy.expiration.getTime()) throw denied('Policy expired.');

  let range: ContentLengthRange | undefined;
  const covered = new Set<string>();
  for (const condition of policy.conditions) {
    if (condition.kind === 'content-length-range') {
      range = { min: condition.min, max: condition.max };
      continue;
    }
    covered.add(condition.field);
    const actual = condition.field === 'bucket' ? bucket : (fields.get(condition.field) ?? '');
    const ok = condition.kind === 'eq'
      ? actual === condition.value
      : startsWith(condition.field, actual, condition.value);
    if (!ok) throw denied(`Policy Condition failed: ${condition.text}`);
  }

  for (const name of fields.keys()) {
    if (!isExempt(name) && !covered.has(name)) throw denied(`Extra input fields: ${name}`);
  }
  return range;
}

/** starts-with; for Content-Type every comma-separated value must start with the prefix. */
function startsWith(field: string, actual: string, prefix: string): boolean {
  if (field === 'content-type') return actual.split(',').every((v) => v.trim().startsWith(prefix));
  return actual.startsWith(prefix);
}

/** Holds an uploaded file's size to a policy's content-length-range: EntityTooSmall / EntityTooLarge. */
export function checkContentLength(range: ContentLengthRange | undefined, size: number): void {
  if (range === undefined) return;
  if (size < range.min) {
    throw new S3Error('EntityTooSmall', { details: { ProposedSize: String(size), MinSizeAllowed: String(range.min) } });
  }
  if (size > range.max) {
    throw new S3Error('EntityTooLarge', { details: { ProposedSize: String(size), MaxSizeAllowed: String(range.max) } });
  }
}
