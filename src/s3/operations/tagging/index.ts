import { PostObject } from '../object/PostObject.js';
import type { AnyOperation } from '../Operation.js';
import { DeleteBucketTagging } from './DeleteBucketTagging.js';
import { DeleteObjectTagging } from './DeleteObjectTagging.js';
import { GetBucketTagging } from './GetBucketTagging.js';
import { GetObjectTagging } from './GetObjectTagging.js';
import { PutBucketTagging } from './PutBucketTagging.js';
import { PutObjectTagging } from './PutObjectTagging.js';
import { ListTaggedObjects } from './tessera/ListTaggedObjects.js';

/**
 * The tagging operations, one file each (PostObject, the browser upload that carries tags in a form, is listed here too),
 * and Tessera's tag listing through the tag index (`?tessera-tags=objects`, the console's tag filter).
 */
export const taggingOperations: readonly AnyOperation[] = [
  PutObjectTagging,
  GetObjectTagging,
  DeleteObjectTagging,
  PutBucketTagging,
  GetBucketTagging,
  DeleteBucketTagging,
  PostObject,
  ListTaggedObjects,
];
