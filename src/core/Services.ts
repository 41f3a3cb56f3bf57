import type { CoreDeps } from './CoreDeps.js';
import type { MetadataStore } from './ports/MetadataStore.js';
import { AccessService } from './access/AccessService.js';
import { BucketService } from './buckets/BucketService.js';
import { ObjectService } from './objects/ObjectService.js';
import { MultipartService } from './objects/MultipartService.js';
import { TagService } from './tags/TagService.js';

/** What createServices is built from: the core deps, and (until every caller goes through a service) the whole store. */
export interface ServiceDeps extends CoreDeps {
  readonly metadata: MetadataStore;
}

/** The domain services operations call. Built once in the composition root (src/main.ts). */
export interface Services {
  /**
   * Transitional, to be removed: no S3 operation reads it any more. Its last readers are outside this package's
   * files: the S3 pipeline's bucket lookup (s3/pipeline.ts), S3 Batch Operations (core/batch, workers/BatchJobWorker,
   * control/operations/CreateJob), which move onto services in their own change.
   */
  readonly deps: ServiceDeps;
  readonly buckets: BucketService;
  readonly objects: ObjectService;
  readonly multipart: MultipartService;
  readonly tags: TagService;
  readonly access: AccessService;
}

export function createServices(deps: ServiceDeps): Services {
  return {
    deps,
    buckets: new BucketService(deps),
    objects: new ObjectService(deps),
    multipart: new MultipartService(deps),
    tags: new TagService(deps),
    access: new AccessService(deps),
  };
}
