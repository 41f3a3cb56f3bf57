import type { CoreDeps } from './CoreDeps.js';
import { AccessService } from './access/AccessService.js';
import { BucketService } from './buckets/BucketService.js';
import { ObjectService } from './objects/ObjectService.js';
import { MultipartService } from './objects/MultipartService.js';
import { TagService } from './tags/TagService.js';
import { LifecycleService } from './lifecycle/LifecycleService.js';
import type { LifecycleStore } from './ports/LifecycleStore.js';
import type { BlobTiering } from './ports/BlobTiering.js';

/** The domain services operations call. Built once in the composition root (src/main.ts). */
export interface Services {
  readonly buckets: BucketService;
  readonly objects: ObjectService;
  readonly multipart: MultipartService;
  readonly tags: TagService;
  readonly access: AccessService;
  readonly lifecycle: LifecycleService;
}

/** What the lifecycle feature adds to the core's dependencies. */
export interface LifecycleDeps {
  readonly store: LifecycleStore;
  readonly tiering: BlobTiering;
  /** The length of a lifecycle day in milliseconds. */
  readonly dayMs: number;
}

export function createServices(deps: CoreDeps, lifecycle: LifecycleDeps): Services {
  return {
    buckets: new BucketService(deps),
    objects: new ObjectService(deps),
    multipart: new MultipartService(deps),
    tags: new TagService(deps),
    access: new AccessService(deps),
    lifecycle: new LifecycleService({
      lifecycle: lifecycle.store,
      tiering: lifecycle.tiering,
      dayMs: lifecycle.dayMs,
      versions: deps.versions,
      buckets: deps.buckets,
      ledger: deps.ledger,
      blobs: deps.blobs,
      clock: deps.clock,
    }),
  };
}
