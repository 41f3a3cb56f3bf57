/**
 * The event types S3 publishes to SQS, SNS and Lambda destinations, exactly as a configuration's `<Event>` names
 * them: the `Event` enumeration of S3's API model (the user guide's "Supported event types for SQS, SNS, and
 * Lambda"). A name ending in `:*` (a wildcard) stands for every event of its family: `s3:ObjectCreated:*` for
 * `s3:ObjectCreated:Put`, `:Post`, `:Copy` and `:CompleteMultipartUpload`.
 */
export const EVENT_NAMES = [
  's3:ReducedRedundancyLostObject',
  's3:ObjectCreated:*',
  's3:ObjectCreated:Put',
  's3:ObjectCreated:Post',
  's3:ObjectCreated:Copy',
  's3:ObjectCreated:CompleteMultipartUpload',
  's3:ObjectRemoved:*',
  's3:ObjectRemoved:Delete',
  's3:ObjectRemoved:DeleteMarkerCreated',
  's3:ObjectRestore:*',
  's3:ObjectRestore:Post',
  's3:ObjectRestore:Completed',
  's3:ObjectRestore:Delete',
  's3:Replication:*',
  's3:Replication:OperationFailedReplication',
  's3:Replication:OperationNotTracked',
  's3:Replication:OperationMissedThreshold',
  's3:Replication:OperationReplicatedAfterThreshold',
  's3:LifecycleTransition',
  's3:IntelligentTiering',
  's3:ObjectAcl:Put',
  's3:LifecycleExpiration:*',
  's3:LifecycleExpiration:Delete',
  's3:LifecycleExpiration:DeleteMarkerCreated',
  's3:ObjectTagging:*',
  's3:ObjectTagging:Put',
  's3:ObjectTagging:Delete',
  's3:ObjectRetention:Put',
  's3:ObjectAnnotation:*',
  's3:ObjectAnnotation:Put',
  's3:ObjectAnnotation:Delete',
] as const;

export type EventName = (typeof EVENT_NAMES)[number];

const KNOWN: ReadonlySet<string> = new Set(EVENT_NAMES);

/** A name S3 accepts in a configuration's `<Event>` (case matters: `s3:objectcreated:*` is not one). */
export function isKnownEvent(name: string): name is EventName {
  return KNOWN.has(name);
}

/** `s3:ObjectCreated:*` → `s3:ObjectCreated:`; undefined for a name that is not a wildcard. */
function wildcardFamily(name: string): string | undefined {
  return name.endsWith(':*') ? name.slice(0, -1) : undefined;
}

/** Whether a configured event name (possibly a wildcard) covers an event that occurred (never a wildcard). */
export function eventCovers(configured: string, occurred: string): boolean {
  if (configured === occurred) return true;
  const family = wildcardFamily(configured);
  return family !== undefined && occurred.startsWith(family) && occurred.length > family.length;
}

/** Whether some event would be covered by both configured names: the "common event type" of S3's overlap rule. */
export function eventsIntersect(a: string, b: string): boolean {
  if (a === b) return true;
  const familyA = wildcardFamily(a);
  const familyB = wildcardFamily(b);
  if (familyA !== undefined && b.startsWith(familyA)) return true;
  if (familyB !== undefined && a.startsWith(familyB)) return true;
  return false;
}
