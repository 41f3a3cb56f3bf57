import type { AnyOperation } from '../Operation.js';
import { CreateBucket } from './CreateBucket.js';
import { DeleteBucket } from './DeleteBucket.js';
import { GetBucketLocation } from './GetBucketLocation.js';
import { GetBucketVersioning } from './GetBucketVersioning.js';
import { HeadBucket } from './HeadBucket.js';
import { ListBuckets } from './ListBuckets.js';
import { ListObjects } from './ListObjects.js';
import { ListObjectsV2 } from './ListObjectsV2.js';
import { ListObjectVersions } from './ListObjectVersions.js';
import { PutBucketVersioning } from './PutBucketVersioning.js';

/** The bucket operations, one file each. */
export const bucketOperations: readonly AnyOperation[] = [
  ListBuckets,
  CreateBucket,
  HeadBucket,
  DeleteBucket,
  GetBucketLocation,
  GetBucketVersioning,
  PutBucketVersioning,
  ListObjects,
  ListObjectsV2,
  ListObjectVersions,
];
