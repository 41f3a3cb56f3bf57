import type { AclGrant } from '../../core/access/AccessControlList.js';
import type { ObjectVersion } from '../../core/objects/ObjectVersion.js';
import type { AccessStore } from '../../core/ports/AccessStore.js';
import { GenerationCache, MISS } from './readCaches.js';
import type { WriteSignal } from './WriteSignal.js';

type BucketAccess = { policy: string | undefined; acl: AclGrant[] | undefined };

/** What a caller gets: its own grant list (the cached one is shared). */
function copyOf(access: BucketAccess): BucketAccess {
  return { policy: access.policy, acl: access.acl === undefined ? undefined : [...access.acl] };
}

/**
 * An AccessStore whose bucket policy and ACL reads (the authorizer's, on every request) are remembered until the next
 * write (WriteSignal.writes). Writes go straight through.
 */
export class CachedAccessStore implements AccessStore {
  private readonly accessCache: GenerationCache<BucketAccess>;

  constructor(
    private readonly inner: AccessStore,
    signal: WriteSignal,
  ) {
    this.accessCache = new GenerationCache<BucketAccess>(
      () => signal.writes,
      () => signal.inWrite,
      (access) => {
        for (const grant of access.acl ?? []) Object.freeze(grant);
        return Object.freeze(access);
      },
    );
  }

  getBucketAccess(name: string): Promise<BucketAccess> {
    const cached = this.accessCache.find(name);
    if (cached !== MISS) return Promise.resolve(copyOf(cached));
    const token = this.accessCache.token();
    return this.inner.getBucketAccess(name).then((access) => copyOf(this.accessCache.remember(name, access, token)));
  }

  /** The remembered policy and ACL (shared and frozen: not a copy), or null when not remembered (MemoryReads). */
  bucketAccessInMemory(name: string): Readonly<BucketAccess> | null {
    const cached = this.accessCache.find(name);
    return cached === MISS ? null : cached;
  }

  setBucketPolicy(name: string, policy: string | undefined): Promise<'ok' | 'missing'> {
    return this.inner.setBucketPolicy(name, policy);
  }

  setBucketAcl(name: string, grants: readonly AclGrant[] | undefined): Promise<'ok' | 'missing'> {
    return this.inner.setBucketAcl(name, grants);
  }

  getObjectAcl(bucket: string, key: string, versionId?: string): Promise<{ version: ObjectVersion; acl: AclGrant[] | undefined } | undefined> {
    return this.inner.getObjectAcl(bucket, key, versionId);
  }

  setObjectAcl(
    bucket: string,
    key: string,
    versionId: string | undefined,
    grants: readonly AclGrant[] | undefined,
  ): Promise<{ status: 'ok'; version: ObjectVersion } | { status: 'missing' } | { status: 'delete-marker'; version: ObjectVersion }> {
    return this.inner.setObjectAcl(bucket, key, versionId, grants);
  }
}
