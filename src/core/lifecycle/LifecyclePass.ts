import { Readable } from 'node:stream';
import type { BlobLedger } from '../ports/BlobLedger.js';
import type { BlobStore } from '../ports/BlobStore.js';
import type { BlobTiering } from '../ports/BlobTiering.js';
import type { BucketStore } from '../ports/BucketStore.js';
import type { LifecycleStore, LifecycleWrite, ScanPage, LifecycleKey } from '../ports/LifecycleStore.js';
import type { BlobSegment } from '../objects/ObjectVersion.js';
import { decideWrites } from './decideWrites.js';
import { abortDate } from './lifecycleHeaders.js';
import { PASS_START, type PassCursor, type PassRecord } from './PassRecord.js';
import { planScans, type ScanPlan } from './planScans.js';

export interface LifecyclePassDeps {
  readonly lifecycle: LifecycleStore;
  readonly buckets: BucketStore;
  readonly ledger: BlobLedger;
  readonly blobs: BlobStore;
  readonly tiering: BlobTiering;
  readonly clock: () => Date;
  /** Length of a lifecycle day in milliseconds (TESSERA_LIFECYCLE_DAY_SECONDS × 1000, or a real day). */
  readonly dayMs: number;
}

export interface PassOptions {
  /** What started the pass (recorded): schedule, start, cli, api. */
  readonly trigger: string;
  /** Keys (or uploads) read per unit; each unit commits its writes and its cursor in one transaction. */
  readonly unitSize?: number;
  /** Stop after this many units (tests that crash a pass midway); the pass stays unfinished. */
  readonly maxUnits?: number;
}

const DEFAULT_UNIT = 2000;

/**
 * Run (or resume) one lifecycle pass over a bucket: read the versions the rules may match (planScans), decide the
 * one action due on each (decideWrites), move transitioned bytes to the tier, then commit the unit's writes with the
 * pass's cursor; then abort the incomplete multipart uploads that are due. Every version is judged at the pass's
 * evaluation time, so a pass resumed after a crash decides as the first run would have, and the guarded writes
 * plus the cursor committed with them mean no action is lost or taken twice.
 *
 * Returns the finished pass record, or undefined when the bucket has no lifecycle configuration (or no longer exists).
 */
export async function runLifecyclePass(deps: LifecyclePassDeps, bucketName: string, options: PassOptions): Promise<PassRecord | undefined> {
  const bucket = await deps.buckets.getBucket(bucketName);
  const stored = await deps.lifecycle.getLifecycle(bucketName);
  if (bucket === undefined || stored === undefined) return undefined;
  const rules = stored.configuration.rules;
  const plan = planScans(rules);
  const planKey = JSON.stringify(plan);
  const pass = await deps.lifecycle.startPass(bucketName, deps.clock(), options.trigger);
  const context = {
    versioning: bucket.versioning,
    now: pass.evaluatedAt,
    dayMs: deps.dayMs,
    transitionMinimumSize: stored.transitionMinimumSize,
  };
  const unitSize = options.unitSize ?? DEFAULT_UNIT;
  // a cursor of another plan (the configuration changed while the pass was interrupted) starts the plan over
  let cursor: PassCursor = 'plan' in pass.cursor && pass.cursor.plan === planKey ? pass.cursor : PASS_START;
  let units = 0;
  while (cursor.phase !== 'done') {
    if (options.maxUnits !== undefined && units >= options.maxUnits) return undefined;
    units++;
    if (cursor.phase === 'versions') {
      const scan = plan.versions[cursor.scan];
      if (scan === undefined) {
        cursor = { phase: 'uploads', scan: 0, plan: planKey };
        continue;
      }
      const page = await readScan(deps.lifecycle, bucketName, plan, cursor.scan, cursor.after, unitSize);
      const decided = decideWrites(page.items, {
        rules,
        scans: plan.versions,
        scanIndex: cursor.scan,
        context,
        bucket: bucketName,
        ownerAccountId: bucket.ownerAccountId,
      });
      const next: PassCursor =
        page.next === undefined
          ? { phase: 'versions', scan: cursor.scan + 1, plan: planKey }
          : { phase: 'versions', scan: cursor.scan, after: page.next, plan: planKey };
      await commitWithTier(deps, pass.id, next, decided, page.items);
      cursor = next;
    } else {
      const prefix = plan.uploads[cursor.scan];
      if (prefix === undefined) {
        cursor = { phase: 'done' };
        await deps.lifecycle.commitUnit(pass.id, { cursor, writes: [] });
        continue;
      }
      const page = await deps.lifecycle.scanUploads(bucketName, { prefix, ...(cursor.after === undefined ? {} : { after: cursor.after }), limit: unitSize });
      const now = pass.evaluatedAt.getTime();
      const writes: LifecycleWrite[] = [];
      for (const upload of page.items) {
        const due = abortDate(rules, upload, deps.dayMs);
        if (due !== undefined && due.date.getTime() <= now) {
          writes.push({ kind: 'abortUpload', uploadId: upload.uploadId, key: upload.key, ruleId: due.ruleId, action: 'abort-upload', bytes: 0 });
        }
      }
      const next: PassCursor =
        page.next === undefined
          ? { phase: 'uploads', scan: cursor.scan + 1, plan: planKey }
          : { phase: 'uploads', scan: cursor.scan, after: page.next, plan: planKey };
      await deps.lifecycle.commitUnit(pass.id, { cursor: next, writes });
      cursor = next;
    }
  }
  await deps.lifecycle.finishPass(pass.id, deps.clock());
  return (await deps.lifecycle.listPasses(bucketName, 1)).find((p) => p.id === pass.id);
}

function readScan(
  store: LifecycleStore,
  bucket: string,
  plan: ScanPlan,
  index: number,
  after: string | undefined,
  limit: number,
): Promise<ScanPage<LifecycleKey>> {
  const scan = plan.versions[index]!;
  const position = after === undefined ? {} : { after };
  return scan.kind === 'keys'
    ? store.scanKeys(bucket, { prefix: scan.prefix, ...position, limit })
    : store.scanTagged(bucket, { tag: scan.tag, prefix: scan.prefix, ...position, limit });
}

/**
 * Commit a unit. Transitions first copy the version's bytes into the tier (unless they are there already); the
 * copies are published once the unit commits, and deleted when their write turned out stale or the commit failed.
 */
async function commitWithTier(
  deps: LifecyclePassDeps,
  passId: number,
  cursor: PassCursor,
  decided: readonly LifecycleWrite[],
  keys: readonly LifecycleKey[],
): Promise<void> {
  const staged: string[][] = [];
  const writes: LifecycleWrite[] = [];
  const errors: string[] = [];
  const stacks = new Map(keys.map((k) => [k.key, k.versions]));
  try {
    for (const write of decided) {
      if (write.kind !== 'transition') {
        writes.push(write);
        staged.push([]);
        continue;
      }
      const version = stacks.get(write.key)?.find((v) => v.versionId === write.versionId);
      if (version === undefined) continue;
      let moved: { segments: BlobSegment[]; created: string[] };
      try {
        moved = await moveToTier(deps, version.segments);
      } catch (error) {
        // the version was overwritten or deleted while its bytes were read: the next pass judges it again
        errors.push(`${write.key} (${write.versionId}): ${write.action} not done: ${error instanceof Error ? error.message : String(error)}`);
        continue;
      }
      staged.push(moved.created);
      writes.push(moved.created.length === 0 ? write : { ...write, segments: moved.segments });
    }
    const outcomes = await deps.lifecycle.commitUnit(passId, { cursor, writes, errors });
    const publish = staged.filter((_, i) => outcomes[i] === 'done').flat();
    const discard = staged.filter((_, i) => outcomes[i] !== 'done').flat();
    if (publish.length > 0) await deps.blobs.publish(publish);
    if (discard.length > 0) await deps.blobs.delete(discard);
  } catch (error) {
    const all = staged.flat();
    if (all.length > 0) await deps.blobs.delete(all).catch(() => undefined);
    throw error;
  }
}

/** Copy each segment not yet in the tier into it (inline bytes too); returns the new segments and the blobs made. */
async function moveToTier(
  deps: LifecyclePassDeps,
  segments: readonly BlobSegment[],
): Promise<{ segments: BlobSegment[]; created: string[] }> {
  const created: string[] = [];
  const moved: BlobSegment[] = [];
  try {
    for (const segment of segments) {
      if (segment.inline !== true && deps.tiering.inTier(segment.blobId)) {
        moved.push(segment);
        continue;
      }
      let source: Readable;
      if (segment.inline === true) {
        const bytes = await deps.ledger.readInlineBlob(segment.blobId);
        if (bytes === undefined) throw new Error(`inline blob ${segment.blobId} is gone`);
        source = Readable.from([bytes]);
      } else {
        source = deps.blobs.read(segment.blobId);
      }
      const written = await deps.tiering.writeToTier(source);
      created.push(written.blobId);
      moved.push({ blobId: written.blobId, size: written.size });
    }
  } catch (error) {
    if (created.length > 0) await deps.blobs.delete(created).catch(() => undefined);
    throw error;
  }
  return { segments: moved, created };
}
