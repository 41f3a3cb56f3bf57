import type { LifecycleKey } from '../ports/LifecycleStore.js';
import { versionFacts } from './decideWrites.js';
import { actionName } from './actionName.js';
import { evaluateLifecycle, type LifecycleContext } from './evaluateLifecycle.js';
import type { LifecycleRule } from './LifecycleRule.js';
import { countInto, type MutableTally } from './PassRecord.js';
import { visitedEarlier, type VersionScan } from './planScans.js';

/**
 * Count into `tally` what lifecycle will do, by `horizon`, to the versions of one page of a scan: the action due now and
 * each later one falling due by then, per rule (objects and bytes), as the versions stand today. Pure; what
 * `tessera lifecycle preview` sums over a bucket without changing anything.
 */
export function previewPage(
  tally: MutableTally,
  keys: readonly LifecycleKey[],
  input: { rules: readonly LifecycleRule[]; scans: readonly VersionScan[]; scanIndex: number; context: LifecycleContext; horizon: Date },
): void {
  for (const entry of keys) {
    const found = entry.found === undefined ? undefined : new Set(entry.found);
    entry.versions.forEach((version, index) => {
      if (found !== undefined && !found.has(version.versionId)) return;
      if (visitedEarlier(input.scans, input.scanIndex, entry.key, version.tags)) return;
      const evaluation = evaluateLifecycle(input.rules, versionFacts(entry.key, entry.versions, index), input.context);
      const within = [...(evaluation.due === undefined ? [] : [evaluation.due]), ...evaluation.upcoming.filter((a) => a.dueAt <= input.horizon)];
      for (const a of within) countInto(tally, { ruleId: a.ruleId, action: actionName(a.action), bytes: version.size });
    });
  }
}
