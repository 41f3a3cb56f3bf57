import { S3Error } from '../../errors/S3Error.js';
import { conditionsOf, type LifecycleRule } from './LifecycleRule.js';
import type { TransitionStorageClass } from './storageClasses.js';

/**
 * `x-amz-transition-default-minimum-object-size` of PutBucketLifecycleConfiguration (and of its answers, and of
 * GetBucketLifecycleConfiguration's): which small objects lifecycle leaves where they are.
 * - `all_storage_classes_128K` (the default): objects smaller than 128 KB transition to no class;
 * - `varies_by_storage_class`: they still go to GLACIER and DEEP_ARCHIVE, not to the others.
 * A rule with an object-size condition in its filter sets its own bounds: the default does not apply to it.
 */
export const TRANSITION_MINIMUM_SIZES = ['all_storage_classes_128K', 'varies_by_storage_class'] as const;
export type TransitionMinimumSize = (typeof TRANSITION_MINIMUM_SIZES)[number];
export const DEFAULT_TRANSITION_MINIMUM_SIZE: TransitionMinimumSize = 'all_storage_classes_128K';
export const SMALL_OBJECT_BYTES = 128 * 1024;

/** The header's value checked (absent: the default). Anything else is InvalidRequest, as S3 answers. */
export function parseTransitionMinimumSize(header: string | undefined): TransitionMinimumSize {
  if (header === undefined) return DEFAULT_TRANSITION_MINIMUM_SIZE;
  if ((TRANSITION_MINIMUM_SIZES as readonly string[]).includes(header)) return header as TransitionMinimumSize;
  throw new S3Error('InvalidRequest', { message: `Invalid TransitionDefaultMinimumObjectSize found: ${header}` });
}

/** Whether the setting keeps an object of `size` bytes from a rule's transition to `to`. */
export function tooSmallToTransition(
  rule: LifecycleRule,
  size: number,
  to: TransitionStorageClass,
  setting: TransitionMinimumSize,
): boolean {
  const c = conditionsOf(rule.scope);
  if (c.objectSizeGreaterThan !== undefined || c.objectSizeLessThan !== undefined) return false;
  if (size >= SMALL_OBJECT_BYTES) return false;
  return setting === 'all_storage_classes_128K' || (to !== 'GLACIER' && to !== 'DEEP_ARCHIVE');
}
