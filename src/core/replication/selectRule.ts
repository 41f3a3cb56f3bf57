import type { Tag } from '../tags/Tag.js';
import { conditionsOf, type ReplicationConfiguration, type ReplicationRule } from './ReplicationRule.js';

/** What choosing a rule looks at in an object version (a delete marker: its key, no tags). */
export interface ReplicationCandidate {
  readonly key: string;
  readonly tags: readonly Tag[];
}

/**
 * Whether a rule applies to an object: it is Enabled, the key starts with its prefix, and each of its tags is on the
 * object with exactly that value (the object may carry other tags too).
 */
export function ruleApplies(rule: ReplicationRule, object: ReplicationCandidate): boolean {
  if (rule.status !== 'Enabled') return false;
  const { prefix, tags } = conditionsOf(rule.scope);
  if (!object.key.startsWith(prefix)) return false;
  return tags.every((want) => object.tags.some((t) => t.key === want.key && t.value === want.value));
}

/** Whether `a` takes precedence over `b` (both apply): the higher Priority; with none (V1), the earlier rule. */
function outranks(a: ReplicationRule, b: ReplicationRule): boolean {
  return (a.priority ?? -1) > (b.priority ?? -1);
}

/**
 * The rule that replicates an object: of the Enabled rules that apply to it, the one with the highest Priority;
 * among V1 rules (no Priority) the first in the configuration. undefined when none applies.
 */
export function replicationRuleFor(config: ReplicationConfiguration, object: ReplicationCandidate): ReplicationRule | undefined {
  let best: ReplicationRule | undefined;
  for (const rule of config.rules) {
    if (ruleApplies(rule, object) && (best === undefined || outranks(rule, best))) best = rule;
  }
  return best;
}

/**
 * Every replication an object gets: S3 "will attempt to replicate objects according to all replication rules",
 * and priority decides only between rules with the same destination bucket. One rule per destination, each chosen
 * as replicationRuleFor chooses, in the order their destinations first appear in the configuration.
 */
export function replicationRulesFor(config: ReplicationConfiguration, object: ReplicationCandidate): ReplicationRule[] {
  const byDestination = new Map<string, ReplicationRule>();
  for (const rule of config.rules) {
    if (!ruleApplies(rule, object)) continue;
    const current = byDestination.get(rule.destination.bucket);
    if (current === undefined || outranks(rule, current)) byDestination.set(rule.destination.bucket, rule);
  }
  return [...byDestination.values()];
}

/**
 * Whether a rule replicates delete markers: a V2 rule when its DeleteMarkerReplication is Enabled; a V1 rule
 * always (the first schema replicates the delete markers user actions create and has no switch).
 */
export function replicatesDeleteMarkers(rule: ReplicationRule): boolean {
  return rule.scope.kind === 'prefix' || rule.deleteMarkerReplication === 'Enabled';
}
