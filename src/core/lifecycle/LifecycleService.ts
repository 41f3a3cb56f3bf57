import { S3Error } from '../../errors/S3Error.js';
import { bucketGeneration, type Bucket } from '../buckets/Bucket.js';
import type { ObjectVersion } from '../objects/ObjectVersion.js';
import type { RestoreRecord, StoredLifecycle } from '../ports/LifecycleStore.js';
import { runLifecyclePass, type LifecyclePassDeps, type PassOptions } from './LifecyclePass.js';
import { countInto, type MutableTally, type PassRecord, type PassTally } from './PassRecord.js';
import { versionFacts } from './decideWrites.js';
import type { LifecycleContext, VersionFacts } from './evaluateLifecycle.js';
import { explainLifecycle, type LifecycleExplanation } from './explainLifecycle.js';
import { planScans } from './planScans.js';
import { previewPage } from './previewLifecycle.js';
import type { VersionStore } from '../ports/VersionStore.js';
import type { Tag } from '../tags/Tag.js';
import type { LifecycleDraft } from './LifecycleDraft.js';
import { conditionsOf, type LifecycleRule } from './LifecycleRule.js';
import { abortDate, abortHeaders, expirationHeader } from './lifecycleHeaders.js';
import { dueAfterDays } from './lifecycleDays.js';
import { validateLifecycle } from './validateLifecycle.js';
import type { TransitionMinimumSize } from './transitionMinimumSize.js';

export interface LifecycleServiceDeps extends LifecyclePassDeps {
  readonly versions: Pick<VersionStore, 'getTags' | 'getTagsOnly'>;
}

/** Storage classes whose objects must be restored (RestoreObject) before they can be read. */
export const ARCHIVE_CLASSES: ReadonlySet<string> = new Set(['GLACIER', 'DEEP_ARCHIVE']);

const PREVIEW_PAGE = 1000;

/** `tessera lifecycle explain`'s answer. */
export interface ObjectExplanation {
  readonly bucket: string;
  readonly key: string;
  /** Whether the bucket has a lifecycle configuration at all. */
  readonly configured: boolean;
  readonly evaluatedAt: Date;
  /** Newest first. */
  readonly versions: ReadonlyArray<{ readonly versionId: string; readonly facts: VersionFacts; readonly explanation: LifecycleExplanation }>;
}

/** `tessera lifecycle preview`'s answer: by rule, the objects and bytes each action would touch by `horizon`. */
export interface LifecyclePreview {
  readonly bucket: string;
  readonly configured: boolean;
  readonly evaluatedAt: Date;
  readonly horizon: Date;
  readonly tally: PassTally;
}

interface CachedConfiguration {
  /** bucketGeneration: the bucket's creation and configuration revision. */
  readonly generation: string;
  readonly stored: StoredLifecycle | undefined;
}

/**
 * Bucket lifecycle configurations (PutBucketLifecycleConfiguration and its siblings), what they say about one object
 * (the x-amz-expiration and x-amz-abort-* headers), and restores of archived versions. Configurations are cached per
 * bucket, since every object response asks for them.
 */
export class LifecycleService {
  private readonly cache = new Map<string, CachedConfiguration>();
  /** Passes run one at a time in this process (the worker's rounds and on-demand runs queue up). */
  private passes: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: LifecycleServiceDeps) {}

  get dayMs(): number {
    return this.deps.dayMs;
  }

  async getConfiguration(bucket: Bucket): Promise<StoredLifecycle | undefined> {
    const cached = this.cache.get(bucket.name);
    if (cached !== undefined && cached.generation === bucketGeneration(bucket)) return cached.stored;
    const stored = await this.deps.lifecycle.getLifecycle(bucket.name);
    this.cache.set(bucket.name, { generation: bucketGeneration(bucket), stored });
    return stored;
  }

  /** Validate (S3's codes and messages, see validateLifecycle) and replace the bucket's configuration. */
  async putConfiguration(bucket: Bucket, draft: LifecycleDraft, transitionMinimumSize: TransitionMinimumSize): Promise<StoredLifecycle> {
    const configuration = validateLifecycle(draft, { dayMs: this.deps.dayMs });
    const stored = { configuration, transitionMinimumSize };
    this.cache.delete(bucket.name);
    if ((await this.deps.lifecycle.putLifecycle(bucket.name, stored)) === 'missing') throw noSuchBucket(bucket.name);
    this.cache.delete(bucket.name);
    return stored;
  }

  async deleteConfiguration(bucket: Bucket): Promise<void> {
    this.cache.delete(bucket.name);
    if ((await this.deps.lifecycle.deleteLifecycle(bucket.name)) === 'missing') throw noSuchBucket(bucket.name);
    this.cache.delete(bucket.name);
  }

  /**
   * The x-amz-expiration header for the current version of an object (PUT, GET, HEAD, copy, completed upload
   * responses), or undefined when no rule expires it. Reads the object's tags only when a rule that expires objects
   * has a tag condition.
   */
  async expirationHeader(bucket: Bucket, version: ObjectVersion, knownTags?: readonly Tag[]): Promise<string | undefined> {
    if (version.isDeleteMarker) return undefined;
    const stored = await this.getConfiguration(bucket);
    if (stored === undefined) return undefined;
    const rules = stored.configuration.rules.filter(expires);
    if (rules.length === 0) return undefined;
    const tags = knownTags ?? (rules.some(hasTagCondition) && version.tagCount > 0 ? await this.tagsOf(version) : []);
    return expirationHeader(rules, { key: version.key, size: version.size, tags, lastModified: version.lastModified }, this.deps.dayMs);
  }

  /** x-amz-abort-date and x-amz-abort-rule-id for a multipart upload (CreateMultipartUpload, ListParts). */
  async abortHeaders(bucket: Bucket, upload: { key: string; initiated: Date }): Promise<Record<string, string>> {
    const stored = await this.getConfiguration(bucket);
    if (stored === undefined) return {};
    return abortHeaders(abortDate(stored.configuration.rules, upload, this.deps.dayMs));
  }

  // ---- passes ----

  /** Run (or resume) a pass over the bucket, after any pass in progress; undefined when it has no configuration. */
  runPass(bucket: string, options: PassOptions): Promise<PassRecord | undefined> {
    const work = (): Promise<PassRecord | undefined> => runLifecyclePass(this.deps, bucket, options);
    const next = this.passes.then(work, work);
    this.passes = next.catch(() => undefined);
    return next;
  }

  /** Buckets that have a lifecycle configuration. */
  configuredBuckets(): Promise<string[]> {
    return this.deps.lifecycle.bucketsWithLifecycle();
  }

  /** The bucket's pass records, newest first. */
  passRecords(bucket: string, limit: number): Promise<PassRecord[]> {
    return this.deps.lifecycle.listPasses(bucket, limit);
  }

  /**
   * For one object (every version, or the one named): each rule with whether it applies and why, what it would do and
   * when, and what lifecycle will do (`tessera lifecycle explain`). Undefined when the key has no version.
   */
  async explain(bucket: Bucket, key: string, versionId?: string): Promise<ObjectExplanation | undefined> {
    const stored = await this.getConfiguration(bucket);
    const page = await this.deps.lifecycle.scanKeys(bucket.name, { prefix: key, limit: 1 });
    const entry = page.items[0];
    if (entry === undefined || entry.key !== key) return undefined;
    const context = this.context(bucket, stored, this.deps.clock());
    const rules = stored?.configuration.rules ?? [];
    const versions = entry.versions
      .map((v, index) => ({ v, index }))
      .filter(({ v }) => versionId === undefined || v.versionId === versionId)
      .map(({ v, index }) => {
        const facts = versionFacts(key, entry.versions, index);
        return { versionId: v.versionId, facts, explanation: explainLifecycle(rules, facts, context) };
      });
    if (versions.length === 0) return undefined;
    return { bucket: bucket.name, key, configured: stored !== undefined, evaluatedAt: context.now, versions };
  }

  /**
   * What the rules will do in the next `days` lifecycle days, per rule (objects and bytes by action), reading the
   * bucket as a pass would and changing nothing (`tessera lifecycle preview`).
   */
  async preview(bucket: Bucket, days: number): Promise<LifecyclePreview> {
    const stored = await this.getConfiguration(bucket);
    const now = this.deps.clock();
    const horizon = new Date(now.getTime() + days * this.deps.dayMs);
    if (stored === undefined) return { bucket: bucket.name, configured: false, evaluatedAt: now, horizon, tally: {} };
    const rules = stored.configuration.rules;
    const plan = planScans(rules);
    const context = this.context(bucket, stored, now);
    const tally: MutableTally = {};
    for (let scanIndex = 0; scanIndex < plan.versions.length; scanIndex++) {
      const scan = plan.versions[scanIndex]!;
      let after: string | undefined;
      do {
        const position = after === undefined ? {} : { after };
        const page =
          scan.kind === 'keys'
            ? await this.deps.lifecycle.scanKeys(bucket.name, { prefix: scan.prefix, ...position, limit: PREVIEW_PAGE })
            : await this.deps.lifecycle.scanTagged(bucket.name, { tag: scan.tag, prefix: scan.prefix, ...position, limit: PREVIEW_PAGE });
        previewPage(tally, page.items, { rules, scans: plan.versions, scanIndex, context, horizon });
        after = page.next;
      } while (after !== undefined);
    }
    for (const prefix of plan.uploads) {
      let after: string | undefined;
      do {
        const page = await this.deps.lifecycle.scanUploads(bucket.name, { prefix, ...(after === undefined ? {} : { after }), limit: PREVIEW_PAGE });
        for (const upload of page.items) {
          const due = abortDate(rules, upload, this.deps.dayMs);
          if (due !== undefined && due.date <= horizon) countInto(tally, { ruleId: due.ruleId, action: 'abort-upload', bytes: 0 });
        }
        after = page.next;
      } while (after !== undefined);
    }
    return { bucket: bucket.name, configured: true, evaluatedAt: now, horizon, tally };
  }

  private context(bucket: Bucket, stored: StoredLifecycle | undefined, now: Date): LifecycleContext {
    return {
      versioning: bucket.versioning,
      now,
      dayMs: this.deps.dayMs,
      ...(stored === undefined ? {} : { transitionMinimumSize: stored.transitionMinimumSize }),
    };
  }

  // ---- restores of archived versions ----

  /** The version's restore, if one was requested and has not expired. */
  async activeRestore(bucket: string, version: ObjectVersion): Promise<RestoreRecord | undefined> {
    if (!ARCHIVE_CLASSES.has(version.storageClass)) return undefined;
    const restore = await this.deps.lifecycle.getRestore(bucket, version.key, version.versionId);
    return restore !== undefined && restore.expiry.getTime() > this.deps.clock().getTime() ? restore : undefined;
  }

  /**
   * RestoreObject: make an archived version readable for `days` days. The tier is a directory on this server, so the
   * restore completes at once; a repeated request sets a new expiry. 'already' when a restore was active (S3 then
   * answers 200 instead of 202).
   */
  async restore(bucket: string, version: ObjectVersion, days: number): Promise<{ status: 'started' | 'already'; restore: RestoreRecord }> {
    if (!ARCHIVE_CLASSES.has(version.storageClass)) {
      throw new S3Error('InvalidObjectState', {
        message: 'Restore is not allowed for the object\'s current storage class',
        details: { StorageClass: version.storageClass },
      });
    }
    const now = this.deps.clock();
    const active = await this.activeRestore(bucket, version);
    const restore = { requestedAt: now, expiry: dueAfterDays(now, days, this.deps.dayMs) };
    if ((await this.deps.lifecycle.putRestore(bucket, version.key, version.versionId, restore)) === 'missing') {
      throw new S3Error('NoSuchKey', { details: { Key: version.key } });
    }
    return { status: active === undefined ? 'started' : 'already', restore };
  }

  private async tagsOf(version: ObjectVersion): Promise<readonly Tag[]> {
    const only = await this.deps.versions.getTagsOnly?.(version.bucket, version.key, version.versionId);
    if (only !== undefined) return only;
    return (await this.deps.versions.getTags(version.bucket, version.key, version.versionId))?.tags ?? [];
  }
}

function expires(rule: LifecycleRule): boolean {
  return rule.status === 'Enabled' && rule.expiration !== undefined && rule.expiration.kind !== 'expiredObjectDeleteMarker';
}

function hasTagCondition(rule: LifecycleRule): boolean {
  return conditionsOf(rule.scope).tags.length > 0;
}

function noSuchBucket(name: string): S3Error {
  return new S3Error('NoSuchBucket', { details: { BucketName: name } });
}
