import type { Readable } from 'node:stream';
import { S3Error } from '../../errors/S3Error.js';
import { bucketGeneration, type Bucket } from '../buckets/Bucket.js';
import type { ObjectVersion } from '../objects/ObjectVersion.js';
import type { Change, ChangeFeed } from '../ports/ChangeFeed.js';
import type { ReplicationFailure, ReplicationStore } from '../ports/ReplicationStore.js';
import type { ReplicationTargets } from '../ports/ReplicationTarget.js';
import type { VersionStore } from '../ports/VersionStore.js';
import type { Tag } from '../tags/Tag.js';
import type { ReplicationDraft } from './ReplicationDraft.js';
import { conditionsOf, type ReplicationConfiguration, type ReplicationRule } from './ReplicationRule.js';
import { replicatesDeleteMarkers, replicationRulesFor } from './selectRule.js';
import { validateReplication } from './validateReplication.js';
import { backoffMs } from '../changes/backoff.js';

/** The consumer name replication follows buckets' change feeds under. */
export const REPLICATION_CONSUMER = 'replication';

/** Attempts before a change is given up on: the version's status becomes FAILED and later changes go on. */
export const MAX_ATTEMPTS = 8;

/** Keys delivered side by side. */
export const DELIVERY_CONCURRENCY = 16;

export interface ReplicationServiceDeps {
  readonly store: ReplicationStore;
  readonly feed: ChangeFeed;
  readonly versions: Pick<VersionStore, 'getVersion' | 'getTags'>;
  readonly targets: ReplicationTargets;
  /** The bytes of a version (ObjectService.openContent). */
  readonly content: (version: ObjectVersion) => Readable;
  readonly clock: () => Date;
}

/** What `tessera replication status` shows. */
export interface ReplicationBacklog {
  readonly bucket: string;
  readonly configured: boolean;
  readonly pending: number;
  readonly oldestPendingAgeSeconds?: number;
  readonly failures: readonly ReplicationFailure[];
}

interface Cached {
  /** bucketGeneration: the bucket's creation and configuration revision. */
  readonly generation: string;
  readonly configuration: ReplicationConfiguration | undefined;
}

/**
 * Bucket replication: configurations (PutBucketReplication and its siblings), the x-amz-replication-status of a
 * version, and delivery — each change of a replicated bucket's feed, in order, written to the destinations of the
 * rules that cover it with the source's version id, retried with backoff, and recorded in the same transaction as the
 * cursor that moves past it.
 */
export class ReplicationService {
  private readonly cache = new Map<string, Cached>();

  constructor(private readonly deps: ReplicationServiceDeps) {}

  async getConfiguration(bucket: Bucket): Promise<ReplicationConfiguration | undefined> {
    const cached = this.cache.get(bucket.name);
    if (cached !== undefined && cached.generation === bucketGeneration(bucket)) return cached.configuration;
    const configuration = await this.deps.store.getReplication(bucket.name);
    this.cache.set(bucket.name, { generation: bucketGeneration(bucket), configuration });
    return configuration;
  }

  /** Validate (S3's codes and messages) and store; the source bucket must have versioning Enabled. */
  async putConfiguration(bucket: Bucket, draft: ReplicationDraft): Promise<ReplicationConfiguration> {
    if (bucket.versioning !== 'Enabled') {
      throw new S3Error('InvalidRequest', { message: "Versioning must be 'Enabled' on the bucket to apply a replication configuration" });
    }
    const configuration = validateReplication(draft, { sourceBucket: bucket.name });
    this.cache.delete(bucket.name);
    if ((await this.deps.store.putReplication(bucket.name, configuration)) === 'missing') throw noSuchBucket(bucket.name);
    this.cache.delete(bucket.name);
    return configuration;
  }

  async deleteConfiguration(bucket: Bucket): Promise<void> {
    this.cache.delete(bucket.name);
    if ((await this.deps.store.deleteReplication(bucket.name)) === 'missing') throw noSuchBucket(bucket.name);
    this.cache.delete(bucket.name);
  }

  /**
   * x-amz-replication-status of a version: REPLICA for one replication wrote; COMPLETED or FAILED once delivered or
   * given up; PENDING for a version a rule of the bucket covers and nothing recorded yet; none otherwise.
   */
  async statusOf(bucket: Bucket, version: ObjectVersion): Promise<string | undefined> {
    if (version.isDeleteMarker) return undefined;
    if (version.replicationStatus !== undefined) return version.replicationStatus;
    const configuration = await this.getConfiguration(bucket);
    if (configuration === undefined) return undefined;
    // PENDING while the version's creation waits in the feed and a rule covers it; nothing for a version the feed
    // never had (it existed before the configuration) or that no rule took
    if (!(await this.deps.store.isPending(bucket.name, version.key, version.versionId))) return undefined;
    const tags = configuration.rules.some((r) => conditionsOf(r.scope).tags.length > 0) && version.tagCount > 0 ? await this.tagsOf(version) : [];
    return replicationRulesFor(configuration, { key: version.key, tags }).length > 0 ? 'PENDING' : undefined;
  }

  /** The buckets replication follows. */
  followedBuckets(): Promise<string[]> {
    return this.deps.feed.followed(REPLICATION_CONSUMER);
  }

  /**
   * Deliver the bucket's next changes, up to `limit`: the changes of one key in order, different keys side by side
   * (DELIVERY_CONCURRENCY). The cursor then moves, in one transaction with the statuses, past every change before the
   * first that failed; that one is retried after its backoff, before anything later (a later change of another key
   * that was delivered meanwhile is delivered again then, which the destination takes once). Returns how many changes
   * were handled.
   */
  async deliver(bucket: string, limit: number): Promise<number> {
    const configuration = await this.deps.store.getReplication(bucket);
    if (configuration === undefined) return 0;
    const changes = await this.deps.feed.pending(REPLICATION_CONSUMER, bucket, limit);
    const head = changes[0];
    if (head === undefined) return 0;
    const headFailure = await this.deps.store.failureOf(head.seq);
    if (headFailure !== undefined && headFailure.nextAt.getTime() > this.deps.clock().getTime()) return 0;

    const byKey = new Map<string, Change[]>();
    for (const c of changes) {
      const list = byKey.get(c.key);
      if (list === undefined) byKey.set(c.key, [c]);
      else list.push(c);
    }
    const statuses = new Map<number, 'COMPLETED' | undefined>();
    const errors = new Map<number, string>();
    const chains = [...byKey.values()];
    let next = 0;
    const runChains = async (): Promise<void> => {
      for (let i = next++; i < chains.length; i = next++) {
        for (const change of chains[i]!) {
          try {
            statuses.set(change.seq, await this.deliverChange(configuration, change));
          } catch (error) {
            errors.set(change.seq, error instanceof Error ? error.message : String(error));
            break; // the key's later changes wait behind this one
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(DELIVERY_CONCURRENCY, chains.length) }, runChains));

    const done: { change: Change; status: 'COMPLETED' | 'FAILED' | undefined }[] = [];
    for (const change of changes) {
      if (!statuses.has(change.seq)) {
        const message = errors.get(change.seq) ?? 'not attempted';
        const failure = await this.deps.store.failureOf(change.seq);
        const attempts = (failure?.attempts ?? 0) + 1;
        await this.deps.store.recordFailure(change, message, new Date(this.deps.clock().getTime() + backoffMs(attempts)));
        // given up on: the version is FAILED and the bucket's later changes go on
        if (attempts >= MAX_ATTEMPTS) done.push({ change, status: change.kind === 'put' ? 'FAILED' : undefined });
        break;
      }
      done.push({ change, status: statuses.get(change.seq) });
    }
    if (done.length > 0) await this.deps.store.completeChanges(done);
    return done.length;
  }

  /** Pending count, oldest pending age and failures (`tessera replication status`). */
  async backlog(bucket: string): Promise<ReplicationBacklog> {
    const configuration = await this.deps.store.getReplication(bucket);
    const backlog = await this.deps.feed.backlog(REPLICATION_CONSUMER, bucket);
    const failures = await this.deps.store.failures(bucket, 100);
    return {
      bucket,
      configured: configuration !== undefined,
      pending: backlog.count,
      ...(backlog.oldest === undefined ? {} : { oldestPendingAgeSeconds: (this.deps.clock().getTime() - backlog.oldest.getTime()) / 1000 }),
      failures,
    };
  }

  /** Replicate the bucket's existing versions (`tessera replication resync`): queued behind the changes already pending. */
  async resync(bucket: string): Promise<number> {
    return this.deps.store.enqueueExisting(bucket);
  }

  /** Write one change to its destinations; the status to record for the version (undefined: none). */
  private async deliverChange(configuration: ReplicationConfiguration, change: Change): Promise<'COMPLETED' | undefined> {
    switch (change.kind) {
      case 'put': {
        const version = await this.deps.versions.getVersion(change.bucket, change.key, change.versionId);
        if (version === undefined || version.isDeleteMarker) return undefined; // gone since: nothing to send
        if (version.replicationStatus === 'REPLICA') return undefined; // replicas are not sent on: two-way setups do not loop
        const tags = await this.tagsOf(version);
        const rules = replicationRulesFor(configuration, { key: change.key, tags });
        if (rules.length === 0) return undefined;
        for (const rule of rules) {
          const target = await this.target(rule);
          await target.putReplica({
            bucket: rule.destination.bucket,
            key: change.key,
            versionId: version.versionId,
            lastModified: version.lastModified,
            etag: version.etag,
            size: version.size,
            body: this.deps.content(version),
            storageClass: rule.destination.storageClass ?? version.storageClass,
            contentHeaders: version.contentHeaders,
            userMetadata: version.userMetadata,
            tags,
          });
        }
        return 'COMPLETED';
      }
      case 'tags': {
        // a tag edit follows a version replication has delivered, to the destinations its key's rules name
        if ((await this.deps.store.versionStatus(change.bucket, change.key, change.versionId)) !== 'COMPLETED') return undefined;
        const found = await this.deps.versions.getTags(change.bucket, change.key, change.versionId);
        if (found === undefined) return undefined;
        for (const rule of configuration.rules.filter((r) => r.status === 'Enabled' && change.key.startsWith(conditionsOf(r.scope).prefix))) {
          // a destination that does not hold the version (its rule's tag filter left it out) has nothing to update
          await (await this.target(rule)).putReplicaTags(rule.destination.bucket, change.key, change.versionId, found.tags);
        }
        return undefined;
      }
      case 'delete-marker': {
        const rules = replicationRulesFor(configuration, { key: change.key, tags: [] }).filter(replicatesDeleteMarkers);
        for (const rule of rules) await (await this.target(rule)).putReplicaDeleteMarker(rule.destination.bucket, change.key, change.versionId);
        return undefined;
      }
      case 'delete-version':
        // as S3: a version-specific delete is never replicated
        return undefined;
    }
  }

  private async target(rule: ReplicationRule) {
    const target = await this.deps.targets.resolve(rule.destination.bucket);
    if (target === undefined) {
      throw new Error(`destination bucket ${rule.destination.bucket} is on no registered remote (tessera remotes add) and not on this server`);
    }
    return target;
  }

  private async tagsOf(version: ObjectVersion): Promise<readonly Tag[]> {
    if (version.tagCount === 0) return [];
    return (await this.deps.versions.getTags(version.bucket, version.key, version.versionId))?.tags ?? [];
  }
}


function noSuchBucket(name: string): S3Error {
  return new S3Error('NoSuchBucket', { details: { BucketName: name } });
}
