import { K, type ConditionKeyName } from './conditionKeys.js';
import { globRegExp, hasWildcard } from './wildcard.js';

/**
 * The catalogue of S3 IAM actions (Service Authorization Reference, "Actions defined by Amazon S3"): every `s3:`
 * action name, the resource type it applies to, and the S3-specific condition keys AWS accepts with it.
 *
 * - `bucket`: `arn:aws:s3:::bucket`; `object`: `arn:aws:s3:::bucket/key`; `other`: account-level actions (Resource
 *   "*") and S3 Control resources (access points, batch jobs, Storage Lens, Multi-Region Access Points, Access
 *   Grants), which a bucket policy cannot address.
 * - `keys`: the action-specific S3 condition keys valid with the action. A bucket policy statement that names an
 *   action together with such a key the action does not support is rejected ("Conditions do not apply to
 *   combination of actions and resources in statement"), as S3 does. Keys common to every S3 action
 *   (`s3:authType`, `s3:signatureversion`, `s3:TlsVersion`, …) and global `aws:` keys are valid everywhere.
 * - `existingTags: 'accepted'`: AWS accepts `s3:ExistingObjectTag/…` with the action but does not make the tags
 *   available when authorizing it (GetObjectAttributes), so such a condition never matches.
 */
export type S3ResourceType = 'bucket' | 'object' | 'other';

export interface S3ActionDef {
  /** Canonical spelling, `s3:GetObject`. */
  readonly name: string;
  readonly lower: string;
  readonly resource: S3ResourceType;
  /** Lower-cased action-specific condition keys valid with this action. */
  readonly keys: ReadonlySet<string>;
  /** Whether authorizing this action evaluates the object's existing tags (`s3:ExistingObjectTag/…`). */
  readonly evaluatesExistingTags: boolean;
}

const TAG_READ = [K.ExistingObjectTag];
const TAG_WRITE = [K.RequestObjectTag, K.RequestObjectTagKeys];
const LISTING = [K.Prefix, K.Delimiter, K.MaxKeys];
const VERSION = [K.VersionId];
const GRANTS = [K.XAmzGrantFullControl, K.XAmzGrantRead, K.XAmzGrantReadAcp, K.XAmzGrantWrite, K.XAmzGrantWriteAcp];
const ACL = [K.XAmzAcl, ...GRANTS];
const SSE = [K.XAmzServerSideEncryption, K.XAmzServerSideEncryptionAwsKmsKeyId, K.XAmzServerSideEncryptionCustomerAlgorithm];
const RETENTION = [K.ObjectLockMode, K.ObjectLockRetainUntilDate, K.ObjectLockRemainingRetentionDays];
const OBJECT_LOCK = [K.ObjectLockLegalHold, ...RETENTION];
const WRITE = [
  ...TAG_WRITE,
  ...ACL,
  ...SSE,
  ...OBJECT_LOCK,
  K.XAmzCopySource,
  K.XAmzMetadataDirective,
  K.XAmzStorageClass,
  K.XAmzWebsiteRedirectLocation,
  K.IfMatch,
  K.IfNoneMatch,
  K.ObjectCreationOperation,
];

type Entry = readonly [name: string, resource: S3ResourceType, keys?: readonly ConditionKeyName[], existingTags?: 'accepted'];

const ENTRIES: readonly Entry[] = [
  // Objects: arn:aws:s3:::bucket/key
  ['AbortMultipartUpload', 'object'],
  ['BypassGovernanceRetention', 'object', WRITE],
  ['DeleteObject', 'object'],
  ['DeleteObjectTagging', 'object', TAG_READ],
  ['DeleteObjectVersion', 'object', VERSION],
  ['DeleteObjectVersionTagging', 'object', [...TAG_READ, ...VERSION]],
  ['GetObject', 'object', TAG_READ],
  ['GetObjectAcl', 'object', TAG_READ],
  ['GetObjectAttributes', 'object', TAG_READ, 'accepted'],
  ['GetObjectLegalHold', 'object'],
  ['GetObjectRetention', 'object'],
  ['GetObjectTagging', 'object', TAG_READ],
  ['GetObjectTorrent', 'object'],
  ['GetObjectVersion', 'object', [...TAG_READ, ...VERSION]],
  ['GetObjectVersionAcl', 'object', [...TAG_READ, ...VERSION]],
  ['GetObjectVersionAttributes', 'object', [...TAG_READ, ...VERSION], 'accepted'],
  ['GetObjectVersionForReplication', 'object'],
  ['GetObjectVersionTagging', 'object', [...TAG_READ, ...VERSION]],
  ['GetObjectVersionTorrent', 'object', VERSION],
  ['InitiateReplication', 'object'],
  ['ListMultipartUploadParts', 'object'],
  ['ObjectOwnerOverrideToBucketOwner', 'object'],
  ['PutObject', 'object', WRITE],
  ['PutObjectAcl', 'object', [...TAG_READ, ...ACL]],
  ['PutObjectLegalHold', 'object', [K.ObjectLockLegalHold]],
  ['PutObjectRetention', 'object', RETENTION],
  ['PutObjectTagging', 'object', [...TAG_READ, ...TAG_WRITE]],
  ['PutObjectVersionAcl', 'object', [...TAG_READ, ...ACL, ...VERSION]],
  ['PutObjectVersionTagging', 'object', [...TAG_READ, ...TAG_WRITE, ...VERSION]],
  ['ReplicateDelete', 'object'],
  ['ReplicateObject', 'object', SSE],
  ['ReplicateTags', 'object'],
  ['RestoreObject', 'object'],

  // Buckets: arn:aws:s3:::bucket
  ['CreateBucket', 'bucket', [...ACL, K.LocationConstraint, K.XAmzObjectOwnership]],
  ['CreateBucketMetadataTableConfiguration', 'bucket'],
  ['DeleteBucket', 'bucket'],
  ['DeleteBucketMetadataTableConfiguration', 'bucket'],
  ['DeleteBucketPolicy', 'bucket'],
  ['DeleteBucketWebsite', 'bucket'],
  ['GetAccelerateConfiguration', 'bucket'],
  ['GetAnalyticsConfiguration', 'bucket'],
  ['GetBucketAcl', 'bucket'],
  ['GetBucketCORS', 'bucket'],
  ['GetBucketLocation', 'bucket'],
  ['GetBucketLogging', 'bucket'],
  ['GetBucketMetadataTableConfiguration', 'bucket'],
  ['GetBucketNotification', 'bucket'],
  ['GetBucketObjectLockConfiguration', 'bucket'],
  ['GetBucketOwnershipControls', 'bucket'],
  ['GetBucketPolicy', 'bucket'],
  ['GetBucketPolicyStatus', 'bucket'],
  ['GetBucketPublicAccessBlock', 'bucket'],
  ['GetBucketRequestPayment', 'bucket'],
  ['GetBucketTagging', 'bucket'],
  ['GetBucketVersioning', 'bucket'],
  ['GetBucketWebsite', 'bucket'],
  ['GetEncryptionConfiguration', 'bucket'],
  ['GetIntelligentTieringConfiguration', 'bucket'],
  ['GetInventoryConfiguration', 'bucket'],
  ['GetLifecycleConfiguration', 'bucket'],
  ['GetMetricsConfiguration', 'bucket'],
  ['GetReplicationConfiguration', 'bucket'],
  ['ListBucket', 'bucket', LISTING],
  ['ListBucketMultipartUploads', 'bucket'],
  ['ListBucketVersions', 'bucket', LISTING],
  ['PauseReplication', 'bucket'],
  ['PutAccelerateConfiguration', 'bucket'],
  ['PutAnalyticsConfiguration', 'bucket'],
  ['PutBucketAcl', 'bucket', ACL],
  ['PutBucketCORS', 'bucket'],
  ['PutBucketLogging', 'bucket'],
  ['PutBucketNotification', 'bucket'],
  ['PutBucketObjectLockConfiguration', 'bucket'],
  ['PutBucketOwnershipControls', 'bucket', [K.XAmzObjectOwnership]],
  ['PutBucketPolicy', 'bucket'],
  ['PutBucketPublicAccessBlock', 'bucket'],
  ['PutBucketRequestPayment', 'bucket'],
  ['PutBucketTagging', 'bucket'],
  ['PutBucketVersioning', 'bucket'],
  ['PutBucketWebsite', 'bucket'],
  ['PutEncryptionConfiguration', 'bucket'],
  ['PutIntelligentTieringConfiguration', 'bucket'],
  ['PutInventoryConfiguration', 'bucket'],
  ['PutLifecycleConfiguration', 'bucket'],
  ['PutMetricsConfiguration', 'bucket'],
  ['PutReplicationConfiguration', 'bucket'],

  // Account level and S3 Control resources (access points, jobs, Storage Lens, MRAP, Access Grants).
  ['AssociateAccessGrantsIdentityCenter', 'other'],
  ['CreateAccessGrant', 'other'],
  ['CreateAccessGrantsInstance', 'other'],
  ['CreateAccessGrantsLocation', 'other'],
  ['CreateAccessPoint', 'other', [K.XAmzAcl, K.LocationConstraint]],
  ['CreateAccessPointForObjectLambda', 'other'],
  ['CreateJob', 'other'],
  ['CreateMultiRegionAccessPoint', 'other'],
  ['CreateStorageLensGroup', 'other'],
  ['DeleteAccessGrant', 'other'],
  ['DeleteAccessGrantsInstance', 'other'],
  ['DeleteAccessGrantsInstanceResourcePolicy', 'other'],
  ['DeleteAccessGrantsLocation', 'other'],
  ['DeleteAccessPoint', 'other'],
  ['DeleteAccessPointForObjectLambda', 'other'],
  ['DeleteAccessPointPolicy', 'other'],
  ['DeleteAccessPointPolicyForObjectLambda', 'other'],
  ['DeleteJobTagging', 'other'],
  ['DeleteMultiRegionAccessPoint', 'other'],
  ['DeleteStorageLensConfiguration', 'other'],
  ['DeleteStorageLensConfigurationTagging', 'other'],
  ['DeleteStorageLensGroup', 'other'],
  ['DescribeJob', 'other'],
  ['DescribeMultiRegionAccessPointOperation', 'other'],
  ['DissociateAccessGrantsIdentityCenter', 'other'],
  ['GetAccessGrant', 'other'],
  ['GetAccessGrantsInstance', 'other'],
  ['GetAccessGrantsInstanceForPrefix', 'other'],
  ['GetAccessGrantsInstanceResourcePolicy', 'other'],
  ['GetAccessGrantsLocation', 'other'],
  ['GetAccessPoint', 'other'],
  ['GetAccessPointConfigurationForObjectLambda', 'other'],
  ['GetAccessPointForObjectLambda', 'other'],
  ['GetAccessPointPolicy', 'other'],
  ['GetAccessPointPolicyForObjectLambda', 'other'],
  ['GetAccessPointPolicyStatus', 'other'],
  ['GetAccessPointPolicyStatusForObjectLambda', 'other'],
  ['GetAccountPublicAccessBlock', 'other'],
  ['GetDataAccess', 'other'],
  ['GetJobTagging', 'other'],
  ['GetMultiRegionAccessPoint', 'other'],
  ['GetMultiRegionAccessPointPolicy', 'other'],
  ['GetMultiRegionAccessPointPolicyStatus', 'other'],
  ['GetMultiRegionAccessPointRoutes', 'other'],
  ['GetStorageLensConfiguration', 'other'],
  ['GetStorageLensConfigurationTagging', 'other'],
  ['GetStorageLensDashboard', 'other'],
  ['GetStorageLensGroup', 'other'],
  ['ListAccessGrants', 'other'],
  ['ListAccessGrantsInstances', 'other'],
  ['ListAccessGrantsLocations', 'other'],
  ['ListAccessPoints', 'other'],
  ['ListAccessPointsForObjectLambda', 'other'],
  ['ListAllMyBuckets', 'other'],
  ['ListCallerAccessGrants', 'other'],
  ['ListJobs', 'other'],
  ['ListMultiRegionAccessPoints', 'other'],
  ['ListStorageLensConfigurations', 'other'],
  ['ListStorageLensGroups', 'other'],
  ['ListTagsForResource', 'other'],
  ['PutAccessGrantsInstanceResourcePolicy', 'other'],
  ['PutAccessPointConfigurationForObjectLambda', 'other'],
  ['PutAccessPointPolicy', 'other'],
  ['PutAccessPointPolicyForObjectLambda', 'other'],
  ['PutAccessPointPublicAccessBlock', 'other'],
  ['PutAccountPublicAccessBlock', 'other'],
  ['PutJobTagging', 'other'],
  ['PutMultiRegionAccessPointPolicy', 'other'],
  ['PutStorageLensConfiguration', 'other'],
  ['PutStorageLensConfigurationTagging', 'other'],
  ['SubmitMultiRegionAccessPointRoutes', 'other'],
  ['TagResource', 'other'],
  ['UntagResource', 'other'],
  ['UpdateAccessGrantsLocation', 'other'],
  ['UpdateJobPriority', 'other'],
  ['UpdateJobStatus', 'other'],
  ['UpdateStorageLensGroup', 'other'],
];

export const S3_ACTIONS: readonly S3ActionDef[] = ENTRIES.map(([name, resource, keys = [], existingTags]) => {
  const full = `s3:${name}`;
  const keySet = new Set(keys.map((k) => k.toLowerCase()));
  return Object.freeze({
    name: full,
    lower: full.toLowerCase(),
    resource,
    keys: keySet,
    evaluatesExistingTags: keySet.has(K.ExistingObjectTag.toLowerCase()) && existingTags !== 'accepted',
  });
});

const BY_LOWER = new Map(S3_ACTIONS.map((a) => [a.lower, a]));

/** Condition keys whose validity depends on the action (the union of every action's `keys`), lower-cased. */
export const ACTION_SPECIFIC_KEYS: ReadonlySet<string> = new Set(S3_ACTIONS.flatMap((a) => [...a.keys]));

/** The catalogue entry for an action name (any case, `s3:` prefix included), or undefined. */
export function s3Action(name: string): S3ActionDef | undefined {
  return BY_LOWER.get(name.toLowerCase());
}

/** Catalogue entries an action pattern from a policy covers (`s3:Get*`, `s3:*`, `*`; case-insensitive). */
export function s3ActionsMatching(pattern: string): S3ActionDef[] {
  if (!hasWildcard(pattern)) {
    const one = s3Action(pattern);
    return one ? [one] : [];
  }
  const re = globRegExp(pattern, { ignoreCase: true });
  return S3_ACTIONS.filter((a) => re.test(a.name));
}
