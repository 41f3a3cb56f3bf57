import type { Policy, Statement } from './engine/index.js';

/** Resource patterns that name every object of every bucket (S3 object ARNs being arn:aws:s3:::bucket/key). */
const EVERY_OBJECT = new Set(['*', 'arn:aws:s3:::*', 'arn:aws:s3:::*/*']);
/** `arn:aws:s3:::<bucket>/*`, the bucket named literally (no wildcard, variable or slash). */
const BUCKET_OBJECTS = /^arn:aws:s3:::([^*?$/]+)\/\*$/;
/** `arn:aws:s3:::<bucket>`, a bucket ARN: it names no object. */
const BUCKET_ONLY = /^arn:aws:s3:::[^*?$/]+$/;

/**
 * Whether a Resource/NotResource pattern matches all or none of the objects of `bucket` (never some only). A bucket
 * name has no slash, so `arn:aws:s3:::<name>/*` matches every object of the bucket called `<name>` and none of any other.
 */
function patternIgnoresKey(pattern: string, bucket: string): boolean {
  if (EVERY_OBJECT.has(pattern) || BUCKET_ONLY.test(pattern)) return true;
  return BUCKET_OBJECTS.test(pattern) && !bucket.includes('/');
}

function statementIgnoresKey(statement: Statement, bucket: string): boolean {
  return statement.conditions.length === 0 && statement.resource.patterns.every((p) => patternIgnoresKey(p, bucket));
}

/**
 * Whether evaluating `policies` for an action on an object of `bucket` (arn:aws:s3:::bucket/key) gives the same
 * decision whatever the object: no statement has a condition (the object's tags, its version id, the clock…) and every
 * Resource or NotResource pattern names all of the bucket's objects or none of them. Conservative: false whenever it
 * cannot tell (a key prefix, a wildcard or a variable inside a pattern). A caller deciding for many objects of one
 * bucket (a batch job's tasks) may then decide once per action and bucket. Pure.
 */
export function decisionIgnoresObjectKey(policies: readonly Policy[], bucket: string): boolean {
  return policies.every((policy) => policy.statements.every((s) => statementIgnoresKey(s, bucket)));
}
