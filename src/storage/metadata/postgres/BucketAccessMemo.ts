import type { AclGrant } from '../../../core/access/AccessControlList.js';

export type BucketAccess = { policy: string | undefined; acl: AclGrant[] | undefined };

/** Buckets remembered at most; beyond it the memo starts over (a bucket read refills it). */
const MAX_BUCKETS = 10_000;

/**
 * The policy and ACL each bucket had at a bucket generation (bucketGeneration: its creation and configuration
 * revision), as the bucket read that saw them returned them in the same statement. A policy or ACL change moves the
 * revision in its own transaction (PostgreSQL migration 008), so a generation names one access state for good: an
 * entry is never stale for the generation it is asked with, whichever node made a change since. A request that has
 * just read its bucket asks with that bucket's generation and saves the access read.
 */
export class BucketAccessMemo {
  private readonly seen = new Map<string, { readonly generation: string; readonly access: BucketAccess }>();

  remember(name: string, generation: string, access: BucketAccess): void {
    if (this.seen.size >= MAX_BUCKETS && !this.seen.has(name)) this.seen.clear();
    this.seen.set(name, { generation, access });
  }

  /** The access at `generation`, a copy the caller may keep; undefined when this memo did not see that generation. */
  find(name: string, generation: string): BucketAccess | undefined {
    const entry = this.seen.get(name);
    if (entry === undefined || entry.generation !== generation) return undefined;
    return { policy: entry.access.policy, acl: entry.access.acl === undefined ? undefined : entry.access.acl.map((g) => ({ ...g })) };
  }
}
