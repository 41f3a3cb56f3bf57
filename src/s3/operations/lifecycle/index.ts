import type { AnyOperation } from '../Operation.js';
import { DeleteBucketLifecycle } from './DeleteBucketLifecycle.js';
import { GetBucketLifecycleConfiguration } from './GetBucketLifecycleConfiguration.js';
import { PutBucketLifecycleConfiguration } from './PutBucketLifecycleConfiguration.js';
import { RestoreObject } from './RestoreObject.js';
import { ExplainLifecycle } from './tessera/ExplainLifecycle.js';
import { ListLifecyclePasses } from './tessera/ListLifecyclePasses.js';
import { PreviewLifecycle } from './tessera/PreviewLifecycle.js';
import { RunLifecycle } from './tessera/RunLifecycle.js';

/**
 * Bucket lifecycle configuration, the restore of versions lifecycle archived, and Tessera's lifecycle tools
 * (explain, preview, run, pass records: `tessera lifecycle`, under `?tessera-lifecycle=`).
 */
export const lifecycleOperations: readonly AnyOperation[] = [
  PutBucketLifecycleConfiguration,
  GetBucketLifecycleConfiguration,
  DeleteBucketLifecycle,
  RestoreObject,
  ExplainLifecycle,
  PreviewLifecycle,
  RunLifecycle,
  ListLifecyclePasses,
];
