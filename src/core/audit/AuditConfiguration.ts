import type { Tag } from '../tags/Tag.js';

/**
 * A bucket's audit configuration (Tessera's own; docs/audit-log.md): which of the bucket's data events the audit log
 * writes — those whose object has the key prefix and carries every tag of the filter; every one without a filter —
 * and whether each record carries the object's tags at the time. A bucket without one has every data event
 * written, without tags. Management events are always written.
 */
export interface AuditConfiguration {
  readonly filter?: AuditFilter;
  readonly includeObjectTags: boolean;
}

export interface AuditFilter {
  readonly prefix?: string;
  readonly tags: readonly Tag[];
}

/** What a bucket without an audit configuration gets. */
export const DEFAULT_AUDIT: AuditConfiguration = { includeObjectTags: false };
