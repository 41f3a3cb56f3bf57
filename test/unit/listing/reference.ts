import { compareUtf8 } from '../../../src/core/keys/keyOrder.js';
import type { ObjectVersion } from '../../../src/core/objects/ObjectVersion.js';

/**
 * Slow, obviously-correct listings to compare the paged ones with: walk every row in order, roll keys up by the
 * delimiter, list an entry only when it sorts after the start position, never repeat a common prefix.
 */
export type RefEntry = { readonly kind: 'key'; readonly key: string; readonly versionId?: string } | { readonly kind: 'prefix'; readonly prefix: string };

function rollUp(key: string, prefix: string, delimiter: string | undefined): string | undefined {
  if (delimiter === undefined || delimiter === '') return undefined;
  const at = key.indexOf(delimiter, prefix.length);
  return at < 0 ? undefined : key.slice(0, at + delimiter.length);
}

export function referenceObjects(keys: readonly string[], prefix: string, delimiter: string | undefined, after: string | undefined): RefEntry[] {
  const out: RefEntry[] = [];
  const seen = new Set<string>();
  for (const key of [...keys].sort(compareUtf8)) {
    if (!key.startsWith(prefix)) continue;
    if (after !== undefined && compareUtf8(key, after) <= 0) continue;
    const cp = rollUp(key, prefix, delimiter);
    if (cp === undefined) out.push({ kind: 'key', key });
    else if (!seen.has(cp) && (after === undefined || compareUtf8(cp, after) > 0)) {
      seen.add(cp);
      out.push({ kind: 'prefix', prefix: cp });
    }
  }
  return out;
}

/** All versions (key ascending, newest first), rolled up; no start position. */
export function referenceVersions(versions: readonly ObjectVersion[], prefix: string, delimiter: string | undefined): RefEntry[] {
  const out: RefEntry[] = [];
  const seen = new Set<string>();
  const sorted = [...versions].sort((a, b) => compareUtf8(a.key, b.key) || b.seq - a.seq);
  for (const v of sorted) {
    if (!v.key.startsWith(prefix)) continue;
    const cp = rollUp(v.key, prefix, delimiter);
    if (cp === undefined) out.push({ kind: 'key', key: v.key, versionId: v.versionId });
    else if (!seen.has(cp)) {
      seen.add(cp);
      out.push({ kind: 'prefix', prefix: cp });
    }
  }
  return out;
}

/** A small deterministic PRNG (mulberry32): random cases are reproducible from their seed. */
export { mulberry32 as prng } from '../../support/seededRandom.js';
