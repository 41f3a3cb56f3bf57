import assert from 'node:assert/strict';
import type { LifecycleConfiguration, LifecycleRule } from '../../../src/core/lifecycle/LifecycleRule.js';
import { validateLifecycle, type ValidateLifecycleOptions } from '../../../src/core/lifecycle/validateLifecycle.js';
import { S3Error } from '../../../src/errors/S3Error.js';
import { parseLifecycleConfiguration } from '../../../src/s3/xml/shapes/LifecycleConfiguration.js';

/** A LifecycleConfiguration document holding the given `<Rule>` contents. */
export function doc(...rules: string[]): string {
  return `<LifecycleConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${rules.map((r) => `<Rule>${r}</Rule>`).join('')}</LifecycleConfiguration>`;
}

/** Parse and validate a document, as PutBucketLifecycleConfiguration will; generated IDs are `generated-1`, `-2`… */
export function configure(body: string, options: ValidateLifecycleOptions = {}): LifecycleConfiguration {
  let n = 0;
  return validateLifecycle(parseLifecycleConfiguration(body), { newRuleId: () => `generated-${++n}`, ...options });
}

/** The rules of a document, validated. */
export function rulesOf(...rules: string[]): readonly LifecycleRule[] {
  return configure(doc(...rules)).rules;
}

export interface ExpectedError {
  readonly code: string;
  readonly message?: string;
  readonly details?: Readonly<Record<string, string>>;
}

export function expectS3Error(fn: () => unknown, expected: ExpectedError): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof S3Error, `expected an S3Error, got ${String(e)}`);
    assert.equal(e.code, expected.code);
    if (expected.message !== undefined) assert.equal(e.message, expected.message);
    if (expected.details !== undefined) assert.deepEqual(e.details, expected.details);
    return true;
  });
}

export const MALFORMED: ExpectedError = {
  code: 'MalformedXML',
  message: 'The XML you provided was not well-formed or did not validate against our published schema',
};
