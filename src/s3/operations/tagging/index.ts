import { PostObject } from '../object/PostObject.js';
import type { AnyOperation } from '../Operation.js';
import { DeleteBucketTagging } from './DeleteBucketTagging.js';
import { DeleteObjectTagging } from './DeleteObjectTagging.js';
import { GetBucketTagging } from './GetBucketTagging.js';
import { GetObjectTagging } from './GetObjectTagging.js';
import { PutBucketTagging } from './PutBucketTagging.js';
import { PutObjectTagging } from './PutObjectTagging.js';

/** The tagging operations, one file each (PostObject, the browser upload that carries tags in a form, is listed here too). */
export const taggingOperations: readonly AnyOperation[] = [
  PutObjectTagging,
  GetObjectTagging,
  DeleteObjectTagging,
  PutBucketTagging,
  GetBucketTagging,
  DeleteBucketTagging,
  PostObject,
];
