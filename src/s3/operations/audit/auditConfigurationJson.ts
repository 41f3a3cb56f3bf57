import type { AuditConfiguration } from '../../../core/audit/AuditConfiguration.js';

/** The JSON document of an audit configuration, in the shape PutBucketAuditConfiguration reads. */
export function auditConfigurationJson(c: AuditConfiguration): unknown {
  return {
    ...(c.filter === undefined
      ? {}
      : { Filter: { ...(c.filter.prefix === undefined ? {} : { Prefix: c.filter.prefix }), Tags: c.filter.tags.map((t) => ({ Key: t.key, Value: t.value })) } }),
    IncludeObjectTags: c.includeObjectTags,
  };
}
