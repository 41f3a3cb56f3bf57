import { ControlError } from '../../errors/ControlError.js';
import { isS3Error } from '../../errors/S3Error.js';
import type { Tag } from '../tags/Tag.js';
import { validateTagSet, type BucketTagSet, type ObjectTagSet } from '../tags/TagSet.js';

/** Most tags a job can have. */
export const MAX_JOB_TAGS = 50;

/** Run a TagSet validation, answering its S3 error as S3 Control does (BadRequestException, same message). */
function asControlError<T>(validate: () => T): T {
  try {
    return validate();
  } catch (err) {
    if (isS3Error(err)) throw new ControlError('BadRequestException', { message: err.message });
    throw err;
  }
}

/** A job's own tags: at most 50 (TooManyTagsException), each as S3's bucket tag rules (BadRequestException). */
export function validateJobTags(tags: readonly Tag[]): BucketTagSet {
  if (tags.length > MAX_JOB_TAGS) throw new ControlError('TooManyTagsException', { message: `A job can have at most ${MAX_JOB_TAGS} tags` });
  return asControlError(() => validateTagSet(tags, 'bucket'));
}

/**
 * The TagSet an S3PutObjectTagging job writes on every object: every rule of PutObjectTagging (BadRequestException).
 * CreateJob's request becomes a domain value through it once; the job stores, and the worker writes, the result.
 */
export function validateOperationTags(tags: readonly Tag[]): ObjectTagSet {
  return asControlError(() => validateTagSet(tags, 'object'));
}
