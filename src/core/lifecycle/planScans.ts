import type { Tag } from '../tags/Tag.js';
import { conditionsOf, prefixOf, type LifecycleRule } from './LifecycleRule.js';

/**
 * How a pass finds the versions its rules may act on, so that its cost follows what the rules can match, not the
 * bucket: a rule with a tag condition is read through the tag index (the versions carrying its first tag, under its
 * prefix); any other rule reads the keys under its prefix.
 */
export type VersionScan =
  | { readonly kind: 'keys'; readonly prefix: string }
  | { readonly kind: 'tagged'; readonly tag: Tag; readonly prefix: string };

export interface ScanPlan {
  /** Scans of versions, in the order a pass runs them. */
  readonly versions: readonly VersionScan[];
  /** Key prefixes of the multipart uploads AbortIncompleteMultipartUpload rules may abort. */
  readonly uploads: readonly string[];
}

function hasVersionAction(rule: LifecycleRule): boolean {
  return (
    rule.expiration !== undefined ||
    rule.transitions.length > 0 ||
    rule.noncurrentVersionExpiration !== undefined ||
    rule.noncurrentVersionTransitions.length > 0
  );
}

/**
 * The scans of a pass over the Enabled rules. Scans that another scan contains are dropped (a keys scan of `a/`
 * contains a keys scan of `a/b/` and a tag scan under `a/b/`), so one key prefix is read once; what remains may
 * still overlap (two tag scans), which `visitedEarlier` resolves.
 */
export function planScans(rules: readonly LifecycleRule[]): ScanPlan {
  const enabled = rules.filter((r) => r.status === 'Enabled');
  const wanted: VersionScan[] = enabled.filter(hasVersionAction).map((rule) => {
    const c = conditionsOf(rule.scope);
    const prefix = c.prefix ?? '';
    const first = c.tags[0];
    return first === undefined ? { kind: 'keys', prefix } : { kind: 'tagged', tag: first, prefix };
  });
  const keyPrefixes = withoutContained(wanted.filter((s) => s.kind === 'keys').map((s) => s.prefix));
  const underKeys = (prefix: string): boolean => keyPrefixes.some((p) => prefix.startsWith(p));
  const tagged: VersionScan[] = [];
  for (const s of wanted) {
    if (s.kind !== 'tagged' || underKeys(s.prefix)) continue;
    const same = tagged.find(
      (t) => t.kind === 'tagged' && t.tag.key === s.tag.key && t.tag.value === s.tag.value && s.prefix.startsWith(t.prefix),
    );
    if (same !== undefined) continue;
    // a wider scan of the same tag replaces the narrower ones found so far
    for (let i = tagged.length - 1; i >= 0; i--) {
      const t = tagged[i]!;
      if (t.kind === 'tagged' && t.tag.key === s.tag.key && t.tag.value === s.tag.value && t.prefix.startsWith(s.prefix)) tagged.splice(i, 1);
    }
    tagged.push(s);
  }
  const uploads = withoutContained(enabled.filter((r) => r.abortIncompleteMultipartUpload !== undefined).map((r) => prefixOf(r.scope)));
  return { versions: [...keyPrefixes.map((prefix): VersionScan => ({ kind: 'keys', prefix })), ...tagged], uploads };
}

/** The prefixes no other prefix of the list starts, sorted, without duplicates. */
function withoutContained(prefixes: readonly string[]): string[] {
  const sorted = [...new Set(prefixes)].sort();
  const kept: string[] = [];
  for (const p of sorted) if (!kept.some((k) => p.startsWith(k))) kept.push(p);
  return kept;
}

/** Whether a scan reads this version of this key. */
export function scanVisits(scan: VersionScan, key: string, tags: readonly Tag[]): boolean {
  if (!key.startsWith(scan.prefix)) return false;
  return scan.kind === 'keys' || tags.some((t) => t.key === scan.tag.key && t.value === scan.tag.value);
}

/** Whether a scan run before `scanIndex` has read (and so decided) this version: each version is decided once a pass. */
export function visitedEarlier(scans: readonly VersionScan[], scanIndex: number, key: string, tags: readonly Tag[]): boolean {
  for (let i = 0; i < scanIndex; i++) if (scanVisits(scans[i]!, key, tags)) return true;
  return false;
}
