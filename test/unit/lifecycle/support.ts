import type { LifecycleConfiguration, LifecycleRule } from '../../../src/core/lifecycle/LifecycleRule.js';
import { validateLifecycle, type ValidateLifecycleOptions } from '../../../src/core/lifecycle/validateLifecycle.js';
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

export { expectS3Error, MALFORMED, type ExpectedError } from '../../support/expectS3Error.js';
