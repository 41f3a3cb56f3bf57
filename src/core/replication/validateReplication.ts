import { randomUUID } from 'node:crypto';
import { bucketNameProblem } from '../buckets/bucketName.js';
import { STORAGE_CLASSES } from '../objects/metadata.js';
import type { Tag } from '../tags/Tag.js';
import { validateTagSet } from '../tags/TagSet.js';
import type { DestinationDraft, ReplicationConditionsDraft, ReplicationDraft, ReplicationRuleDraft, StatusDraft } from './ReplicationDraft.js';
import {
  conditionsOf,
  type ReplicationConfiguration,
  type ReplicationDestination,
  type ReplicationFilter,
  type ReplicationRule,
  type ReplicationScope,
  type ReplicationStatus,
} from './ReplicationRule.js';
import { MAX_ID_LENGTH, MAX_PRIORITY, MAX_RULES, replicationErrors } from './replicationErrors.js';
import { checkRuleIds, withGeneratedIds, type RuleIdErrors } from '../rules/ruleIds.js';

const ID_ERRORS: RuleIdErrors = { maxLength: MAX_ID_LENGTH, tooLong: replicationErrors.idTooLong, duplicate: replicationErrors.duplicateId };

export interface ValidateReplicationOptions {
  /** Makes the ID of a rule sent without one. Default: a random UUID. */
  readonly newRuleId?: () => string;
  /** The bucket the configuration is for: a rule replicating to it is refused. */
  readonly sourceBucket?: string;
  /**
   * Whether `<ExistingObjectReplication>` is accepted (default true). S3 answers MalformedXML for it unless AWS
   * support has enabled existing-object replication on the account.
   */
  readonly existingObjectReplication?: boolean;
}

/** The only destination ARN form S3 takes for a general purpose bucket. */
export const BUCKET_ARN_PREFIX = 'arn:aws:s3:::';

/**
 * Check a configuration as PutBucketReplication does, and return it as Tessera keeps it. A configuration S3 would
 * refuse throws the S3Error S3 answers for its first fault (every message is in replicationErrors.ts):
 * 1. no Role, or no rules: MalformedXML; more than 1,000 rules: InvalidRequest;
 * 2. the IDs, rule by rule: longer than 255 characters, or the same as an earlier rule's: InvalidArgument;
 * 3. each rule in order —
 *    - Status other than `Enabled` / `Disabled`: MalformedXML;
 *    - its scope: a `Filter` (V2) or a rule-level `Prefix` (V1), neither or both: MalformedXML; a Filter holding
 *      more than one condition outside `And`, or an `And` of fewer than two: MalformedXML; a tag with an empty key:
 *      MalformedXML; the same key twice: InvalidRequest "Duplicate Tag Keys are not allowed."; then the object-tag
 *      rules (validateTagSet);
 *    - a V2 rule without Priority, or without DeleteMarkerReplication: InvalidRequest "… must be specified for this
 *      version of Cross Region Replication configuration schema …"; a V1 rule with either: "… cannot be used …";
 *    - Priority outside 0…2,147,483,647: InvalidRequest;
 *    - a DeleteMarkerReplication or ExistingObjectReplication Status other than `Enabled` / `Disabled`:
 *      MalformedXML; delete-marker replication Enabled with a Tag in the filter: InvalidRequest;
 *      ExistingObjectReplication when the options refuse it: MalformedXML;
 *    - no Destination or no Bucket: MalformedXML; a Bucket that is not `arn:aws:s3:::<valid bucket name>`:
 *      InvalidArgument "Invalid bucket ARN."; the source bucket itself: InvalidRequest; a StorageClass that is not
 *      an S3 storage class: MalformedXML;
 * 4. two rules with one Priority: InvalidRequest (S3 wants every priority distinct, whether or not the filters
 *    overlap); a configuration with a V1 rule that names more than one destination bucket: InvalidRequest
 *    "Number of distinct destination bucket ARNs cannot exceed 1".
 * Rules sent without an ID (or with an empty one) get a generated one that no other rule has. Whether the source
 * bucket has versioning enabled, and whether the destinations exist and do, is for the operation to check.
 */
export function validateReplication(draft: ReplicationDraft, options: ValidateReplicationOptions = {}): ReplicationConfiguration {
  if (draft.role === undefined) throw replicationErrors.malformed();
  const rules = draft.rules;
  if (rules.length === 0) throw replicationErrors.malformed();
  if (rules.length > MAX_RULES) throw replicationErrors.tooManyRules();
  const given = checkRuleIds(rules.map((r) => r.id), ID_ERRORS);
  const checked = rules.map((rule) => checkRule(rule, options));
  checkPriorities(checked);
  checkV1Destinations(checked);
  const newRuleId = options.newRuleId ?? randomUUID;
  return {
    role: draft.role,
    rules: withGeneratedIds(checked, given, newRuleId),
  };
}


function checkRule(rule: ReplicationRuleDraft, options: ValidateReplicationOptions): ReplicationRule {
  const status = checkStatus(rule.status);
  const scope = checkScope(rule);
  const v2 = scope.kind === 'filter';
  if (v2) {
    if (rule.priority === undefined) throw replicationErrors.requiredInV2('Priority');
    if (rule.deleteMarkerReplication === undefined) throw replicationErrors.requiredInV2('DeleteMarkerReplication');
  } else {
    if (rule.priority !== undefined) throw replicationErrors.notInV1('Priority');
    if (rule.deleteMarkerReplication !== undefined) throw replicationErrors.notInV1('DeleteMarkerReplication');
  }
  const priority = rule.priority;
  if (priority !== undefined && (priority < 0 || priority > MAX_PRIORITY)) throw replicationErrors.priorityRange();
  const deleteMarkers = rule.deleteMarkerReplication === undefined ? undefined : checkOptionalStatus(rule.deleteMarkerReplication);
  if (deleteMarkers === 'Enabled' && conditionsOf(scope).tags.length > 0) throw replicationErrors.deleteMarkersWithTags();
  let existing: ReplicationStatus | undefined;
  if (rule.existingObjectReplication !== undefined) {
    if (options.existingObjectReplication === false) throw replicationErrors.malformed();
    existing = checkStatus(rule.existingObjectReplication.status);
  }
  const destination = checkDestination(rule.destination, options.sourceBucket);
  return {
    id: rule.id ?? '',
    ...(priority === undefined ? {} : { priority }),
    status,
    scope,
    destination,
    ...(deleteMarkers === undefined ? {} : { deleteMarkerReplication: deleteMarkers }),
    ...(existing === undefined ? {} : { existingObjectReplication: existing }),
  };
}

function checkStatus(status: string | undefined): ReplicationStatus {
  if (status === 'Enabled' || status === 'Disabled') return status;
  throw replicationErrors.malformed();
}

/** `<DeleteMarkerReplication>` may leave out its Status (the API marks it optional): that is Disabled. */
function checkOptionalStatus(element: StatusDraft): ReplicationStatus {
  return element.status === undefined ? 'Disabled' : checkStatus(element.status);
}

function checkScope(rule: ReplicationRuleDraft): ReplicationScope {
  if ((rule.prefix === undefined) === (rule.filter === undefined)) throw replicationErrors.malformed();
  if (rule.prefix !== undefined) return { kind: 'prefix', prefix: rule.prefix };
  const filter = rule.filter!;
  const direct = conditionCount(filter) + (filter.and === undefined ? 0 : 1);
  if (direct > 1) throw replicationErrors.malformed();
  if (filter.and !== undefined) {
    const and = filter.and;
    if (conditionCount(and) < 2) throw replicationErrors.malformed();
    const tags = checkTags(and.tags);
    const result: ReplicationFilter = and.prefix === undefined ? { kind: 'and', tags } : { kind: 'and', prefix: and.prefix, tags };
    return { kind: 'filter', filter: result };
  }
  const tags = checkTags(filter.tags);
  const tag = tags[0];
  if (filter.prefix !== undefined) return { kind: 'filter', filter: { kind: 'prefix', prefix: filter.prefix } };
  if (tag !== undefined) return { kind: 'filter', filter: { kind: 'tag', tag } };
  return { kind: 'filter', filter: { kind: 'all' } };
}

function conditionCount(c: ReplicationConditionsDraft): number {
  return (c.prefix === undefined ? 0 : 1) + c.tags.length;
}

/** The filter's tags, checked, in the order given. */
function checkTags(tags: readonly Tag[]): Tag[] {
  const seen = new Set<string>();
  for (const { key } of tags) {
    if (key === '') throw replicationErrors.malformed();
    if (seen.has(key)) throw replicationErrors.duplicateTagKeys();
    seen.add(key);
  }
  validateTagSet(tags, 'object');
  return tags.map((t) => ({ key: t.key, value: t.value }));
}

function checkDestination(destination: DestinationDraft | undefined, sourceBucket: string | undefined): ReplicationDestination {
  if (destination?.bucket === undefined) throw replicationErrors.malformed();
  const arn = destination.bucket;
  const bucket = arn.startsWith(BUCKET_ARN_PREFIX) ? arn.slice(BUCKET_ARN_PREFIX.length) : '';
  if (bucket === '' || bucketNameProblem(bucket) !== undefined) throw replicationErrors.invalidBucketArn(arn);
  if (sourceBucket !== undefined && bucket === sourceBucket) throw replicationErrors.sameBucket();
  const { storageClass, account } = destination;
  if (storageClass !== undefined && !STORAGE_CLASSES.includes(storageClass)) throw replicationErrors.malformed();
  return {
    bucketArn: arn,
    bucket,
    ...(account === undefined ? {} : { account }),
    ...(storageClass === undefined ? {} : { storageClass }),
  };
}

function checkPriorities(rules: readonly ReplicationRule[]): void {
  const seen = new Set<number>();
  for (const { priority } of rules) {
    if (priority === undefined) continue;
    if (seen.has(priority)) throw replicationErrors.duplicatePriority(priority);
    seen.add(priority);
  }
}

function checkV1Destinations(rules: readonly ReplicationRule[]): void {
  if (!rules.some((r) => r.scope.kind === 'prefix')) return;
  if (new Set(rules.map((r) => r.destination.bucketArn)).size > 1) throw replicationErrors.v1Destinations();
}
