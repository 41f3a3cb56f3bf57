import type { CoreDeps } from './CoreDeps.js';
import { AccessService } from './access/AccessService.js';
import { BucketService } from './buckets/BucketService.js';
import { ObjectService } from './objects/ObjectService.js';
import { MultipartService } from './objects/MultipartService.js';
import { TagService } from './tags/TagService.js';

/** The domain services operations call. Built once in the composition root (src/main.ts). */
export interface Services {
  readonly buckets: BucketService;
  readonly objects: ObjectService;
  readonly multipart: MultipartService;
  readonly tags: TagService;
  readonly access: AccessService;
}

export function createServices(deps: CoreDeps): Services {
  return {
    buckets: new BucketService(deps),
    objects: new ObjectService(deps),
    multipart: new MultipartService(deps),
    tags: new TagService(deps),
    access: new AccessService(deps),
  };
}
