import type { VersioningState } from '../buckets/Bucket.js';
import { newDeleteMarker } from '../objects/deleteMarker.js';
import { placeWrite } from '../objects/versioning.js';
import type { LifecycleKey, LifecycleVersion, LifecycleWrite } from '../ports/LifecycleStore.js';
import { evaluateLifecycle, type LifecycleAction, type LifecycleContext, type VersionFacts } from './evaluateLifecycle.js';
import type { LifecycleRule } from './LifecycleRule.js';
import { visitedEarlier, type VersionScan } from './planScans.js';
import { actionName } from './actionName.js';

/** What decideWrites needs besides the keys: the pass's rules, scans and evaluation context. */
export interface DecisionInput {
  readonly rules: readonly LifecycleRule[];
  readonly scans: readonly VersionScan[];
  readonly scanIndex: number;
  readonly context: LifecycleContext & { readonly versioning: VersioningState };
  readonly bucket: string;
  readonly ownerAccountId: string;
}

/** The facts evaluation needs about the version at `index` of a stack (newest first). */
export function versionFacts(key: string, stack: readonly LifecycleVersion[], index: number): VersionFacts {
  const v = stack[index]!;
  const newer = stack[index - 1];
  const noncurrentNewer = v.isLatest ? 0 : stack.slice(0, index).filter((s) => !s.isLatest).length;
  return {
    key,
    size: v.size,
    tags: v.tags,
    lastModified: v.lastModified,
    storageClass: v.storageClass,
    isLatest: v.isLatest,
    isDeleteMarker: v.isDeleteMarker,
    ...(v.isLatest || newer === undefined ? {} : { noncurrentSince: newer.lastModified }),
    newerNoncurrentVersions: noncurrentNewer,
    noncurrentVersions: v.isLatest ? stack.length - 1 : 0,
  };
}

/**
 * The writes a unit of a pass makes: for every version the scan found (and no earlier scan of the pass read), the one
 * action lifecycle takes on it now (evaluateLifecycle), as a guarded write. Pure: the time is the pass's.
 * A transition's write has no segments yet: the pass moves the bytes first (see LifecyclePass).
 */
export function decideWrites(keys: readonly LifecycleKey[], input: DecisionInput): LifecycleWrite[] {
  const writes: LifecycleWrite[] = [];
  for (const entry of keys) {
    const found = entry.found === undefined ? undefined : new Set(entry.found);
    entry.versions.forEach((version, index) => {
      if (found !== undefined && !found.has(version.versionId)) return;
      if (visitedEarlier(input.scans, input.scanIndex, entry.key, version.tags)) return;
      const due = evaluateLifecycle(input.rules, versionFacts(entry.key, entry.versions, index), input.context).due;
      if (due === undefined) return;
      writes.push(writeFor(due.action, due.ruleId, entry.key, version, input));
    });
  }
  return writes;
}

function writeFor(action: LifecycleAction, ruleId: string, key: string, version: LifecycleVersion, input: DecisionInput): LifecycleWrite {
  const target = { key, versionId: version.versionId, seq: version.seq, ruleId, bytes: version.size };
  switch (action.kind) {
    case 'expireCurrent': {
      if (action.effect === 'delete') return { kind: 'deleteVersion', action: actionName(action), ...target };
      const placement = placeWrite(input.context.versioning);
      return {
        kind: 'addDeleteMarker',
        action: actionName(action),
        ruleId,
        bytes: version.size,
        key,
        latestSeq: version.seq,
        replaceNull: placement.replaceNull,
        marker: {
          ...newDeleteMarker({
            bucket: input.bucket,
            key,
            versionId: placement.versionId,
            ownerAccountId: input.ownerAccountId,
            lastModified: input.context.now,
          }),
          event: 's3:LifecycleExpiration:DeleteMarkerCreated',
        },
      };
    }
    case 'expireNoncurrent':
      return { kind: 'deleteVersion', action: actionName(action), ...target };
    case 'removeExpiredDeleteMarker':
      return { kind: 'deleteVersion', action: actionName(action), ...target };
    case 'transition':
      return {
        kind: 'transition',
        action: actionName(action),
        ...target,
        fromStorageClass: version.storageClass,
        storageClass: action.storageClass,
      };
  }
}
