/**
 * The condition-key catalogue: every condition key a policy may name, spelled here and nowhere else.
 *
 * Each key has a value type (as the IAM reference lists it), says whether the request may carry several values
 * (multivalued keys need `ForAllValues:` / `ForAnyValue:`), whether Tessera fills it in (`supported`) or only
 * recognises it so that policies written for AWS still parse (it then always evaluates as absent), and where its
 * value comes from: the request itself, or a lazily loaded tag set (existing object tags, bucket tags).
 *
 * Key names are case-insensitive (IAM: "aws:CurrentTime is equivalent to AWS:currenttime"); the tag-key part of a
 * tag-style key (`s3:ExistingObjectTag/<key>`) is compared case-sensitively, because S3 tag keys are.
 */

/** Canonical spellings. Tag-style keys end in '/' and are followed by a tag key in policies. */
export const K = {
  // S3 keys Tessera evaluates.
  ExistingObjectTag: 's3:ExistingObjectTag/',
  RequestObjectTagKeys: 's3:RequestObjectTagKeys',
  RequestObjectTag: 's3:RequestObjectTag/',
  Prefix: 's3:prefix',
  Delimiter: 's3:delimiter',
  MaxKeys: 's3:max-keys',
  VersionId: 's3:VersionId',
  XAmzAcl: 's3:x-amz-acl',
  XAmzCopySource: 's3:x-amz-copy-source',
  XAmzMetadataDirective: 's3:x-amz-metadata-directive',
  XAmzContentSha256: 's3:x-amz-content-sha256',
  SignatureVersion: 's3:signatureversion',
  AuthType: 's3:authType',
  S3ResourceAccount: 's3:ResourceAccount',
  // Global keys Tessera evaluates.
  SourceIp: 'aws:SourceIp',
  SecureTransport: 'aws:SecureTransport',
  CurrentTime: 'aws:CurrentTime',
  EpochTime: 'aws:EpochTime',
  Username: 'aws:username',
  Userid: 'aws:userid',
  PrincipalArn: 'aws:PrincipalArn',
  PrincipalAccount: 'aws:PrincipalAccount',
  PrincipalType: 'aws:PrincipalType',
  Referer: 'aws:Referer',
  UserAgent: 'aws:UserAgent',
  ResourceAccount: 'aws:ResourceAccount',
  ResourceTag: 'aws:ResourceTag/',
  // S3 keys recognised but never present in a Tessera request (features not implemented).
  AccessPointNetworkOrigin: 's3:AccessPointNetworkOrigin',
  DataAccessPointAccount: 's3:DataAccessPointAccount',
  DataAccessPointArn: 's3:DataAccessPointArn',
  ExistingJobOperation: 's3:ExistingJobOperation',
  ExistingJobPriority: 's3:ExistingJobPriority',
  JobSuspendedCause: 's3:JobSuspendedCause',
  RequestJobOperation: 's3:RequestJobOperation',
  RequestJobPriority: 's3:RequestJobPriority',
  LocationConstraint: 's3:LocationConstraint',
  TlsVersion: 's3:TlsVersion',
  SignatureAge: 's3:signatureAge',
  ObjectLockLegalHold: 's3:object-lock-legal-hold',
  ObjectLockMode: 's3:object-lock-mode',
  ObjectLockRemainingRetentionDays: 's3:object-lock-remaining-retention-days',
  ObjectLockRetainUntilDate: 's3:object-lock-retain-until-date',
  XAmzGrantFullControl: 's3:x-amz-grant-full-control',
  XAmzGrantRead: 's3:x-amz-grant-read',
  XAmzGrantReadAcp: 's3:x-amz-grant-read-acp',
  XAmzGrantWrite: 's3:x-amz-grant-write',
  XAmzGrantWriteAcp: 's3:x-amz-grant-write-acp',
  XAmzServerSideEncryption: 's3:x-amz-server-side-encryption',
  XAmzServerSideEncryptionAwsKmsKeyId: 's3:x-amz-server-side-encryption-aws-kms-key-id',
  XAmzServerSideEncryptionCustomerAlgorithm: 's3:x-amz-server-side-encryption-customer-algorithm',
  XAmzStorageClass: 's3:x-amz-storage-class',
  XAmzWebsiteRedirectLocation: 's3:x-amz-website-redirect-location',
  XAmzObjectOwnership: 's3:x-amz-object-ownership',
  IfMatch: 's3:if-match',
  IfNoneMatch: 's3:if-none-match',
  ObjectCreationOperation: 's3:ObjectCreationOperation',
  // Global keys recognised but never present (no organizations, roles, federation, VPCs, MFA or service calls).
  PrincipalOrgID: 'aws:PrincipalOrgID',
  PrincipalOrgPaths: 'aws:PrincipalOrgPaths',
  PrincipalTag: 'aws:PrincipalTag/',
  PrincipalIsAWSService: 'aws:PrincipalIsAWSService',
  PrincipalServiceName: 'aws:PrincipalServiceName',
  PrincipalServiceNamesList: 'aws:PrincipalServiceNamesList',
  ResourceOrgID: 'aws:ResourceOrgID',
  ResourceOrgPaths: 'aws:ResourceOrgPaths',
  RequestTag: 'aws:RequestTag/',
  TagKeys: 'aws:TagKeys',
  RequestedRegion: 'aws:RequestedRegion',
  SourceVpc: 'aws:SourceVpc',
  SourceVpce: 'aws:SourceVpce',
  SourceVpcArn: 'aws:SourceVpcArn',
  VpcSourceIp: 'aws:VpcSourceIp',
  SourceAccount: 'aws:SourceAccount',
  SourceArn: 'aws:SourceArn',
  SourceOrgID: 'aws:SourceOrgID',
  SourceOrgPaths: 'aws:SourceOrgPaths',
  SourceIdentity: 'aws:SourceIdentity',
  CalledVia: 'aws:CalledVia',
  CalledViaFirst: 'aws:CalledViaFirst',
  CalledViaLast: 'aws:CalledViaLast',
  ViaAWSService: 'aws:ViaAWSService',
  MultiFactorAuthPresent: 'aws:MultiFactorAuthPresent',
  MultiFactorAuthAge: 'aws:MultiFactorAuthAge',
  TokenIssueTime: 'aws:TokenIssueTime',
  FederatedProvider: 'aws:FederatedProvider',
  RoleSessionName: 'aws:RoleSessionName',
  AssumedRoot: 'aws:AssumedRoot',
  Ec2InstanceSourceVpc: 'aws:Ec2InstanceSourceVpc',
  Ec2InstanceSourcePrivateIPv4: 'aws:Ec2InstanceSourcePrivateIPv4',
} as const;

export type ConditionKeyName = (typeof K)[keyof typeof K];

/** The value type of a key, as the IAM reference documents it. */
export type ConditionValueType = 'String' | 'Numeric' | 'Date' | 'Bool' | 'IPAddress' | 'ARN' | 'Binary';

/** Where a key's value comes from. Lazy sources are loaded only when an applicable statement needs them. */
export type KeySource = 'request' | 'existingObjectTags' | 'resourceTags';

export type LazySource = Exclude<KeySource, 'request'>;

export interface ConditionKeyDef {
  readonly name: ConditionKeyName;
  /** Lower-cased name, used for case-insensitive lookups. */
  readonly lower: string;
  /** The key is a prefix followed by a tag key (`s3:ExistingObjectTag/<tag-key>`). */
  readonly tagStyle: boolean;
  readonly type: ConditionValueType;
  readonly multiValued: boolean;
  /** False: recognised so AWS policies parse, but Tessera never fills it in (evaluates as absent). */
  readonly supported: boolean;
  readonly source: KeySource;
  /** Position in CONDITION_KEYS: a request context keeps the values it computed in an array by this index. */
  readonly ordinal: number;
}

interface Options {
  readonly multiValued?: boolean;
  readonly supported?: boolean;
  readonly source?: KeySource;
}

let defined = 0;

function def(name: ConditionKeyName, type: ConditionValueType, options: Options = {}): ConditionKeyDef {
  return Object.freeze({
    ordinal: defined++,
    name,
    lower: name.toLowerCase(),
    tagStyle: name.endsWith('/'),
    type,
    multiValued: options.multiValued ?? false,
    supported: options.supported ?? true,
    source: options.source ?? 'request',
  });
}

const unsupported = { supported: false } as const;
const unsupportedMulti = { supported: false, multiValued: true } as const;

/** Every key a policy may name. */
export const CONDITION_KEYS: readonly ConditionKeyDef[] = [
  def(K.ExistingObjectTag, 'String', { source: 'existingObjectTags' }),
  def(K.RequestObjectTagKeys, 'String', { multiValued: true }),
  def(K.RequestObjectTag, 'String'),
  def(K.Prefix, 'String'),
  def(K.Delimiter, 'String'),
  def(K.MaxKeys, 'Numeric'),
  def(K.VersionId, 'String'),
  def(K.XAmzAcl, 'String'),
  def(K.XAmzCopySource, 'String'),
  def(K.XAmzMetadataDirective, 'String'),
  def(K.XAmzContentSha256, 'String'),
  def(K.SignatureVersion, 'String'),
  def(K.AuthType, 'String'),
  def(K.S3ResourceAccount, 'String'),
  def(K.SourceIp, 'IPAddress'),
  def(K.SecureTransport, 'Bool'),
  def(K.CurrentTime, 'Date'),
  def(K.EpochTime, 'Date'),
  def(K.Username, 'String'),
  def(K.Userid, 'String'),
  def(K.PrincipalArn, 'ARN'),
  def(K.PrincipalAccount, 'String'),
  def(K.PrincipalType, 'String'),
  def(K.Referer, 'String'),
  def(K.UserAgent, 'String'),
  def(K.ResourceAccount, 'String'),
  def(K.ResourceTag, 'String', { source: 'resourceTags' }),

  def(K.AccessPointNetworkOrigin, 'String', unsupported),
  def(K.DataAccessPointAccount, 'String', unsupported),
  def(K.DataAccessPointArn, 'String', unsupported),
  def(K.ExistingJobOperation, 'String', unsupported),
  def(K.ExistingJobPriority, 'Numeric', unsupported),
  def(K.JobSuspendedCause, 'String', unsupported),
  def(K.RequestJobOperation, 'String', unsupported),
  def(K.RequestJobPriority, 'Numeric', unsupported),
  def(K.LocationConstraint, 'String', unsupported),
  def(K.TlsVersion, 'Numeric', unsupported),
  def(K.SignatureAge, 'Numeric', unsupported),
  def(K.ObjectLockLegalHold, 'String', unsupported),
  def(K.ObjectLockMode, 'String', unsupported),
  def(K.ObjectLockRemainingRetentionDays, 'Numeric', unsupported),
  def(K.ObjectLockRetainUntilDate, 'Date', unsupported),
  def(K.XAmzGrantFullControl, 'String', unsupported),
  def(K.XAmzGrantRead, 'String', unsupported),
  def(K.XAmzGrantReadAcp, 'String', unsupported),
  def(K.XAmzGrantWrite, 'String', unsupported),
  def(K.XAmzGrantWriteAcp, 'String', unsupported),
  def(K.XAmzServerSideEncryption, 'String', unsupported),
  def(K.XAmzServerSideEncryptionAwsKmsKeyId, 'ARN', unsupported),
  def(K.XAmzServerSideEncryptionCustomerAlgorithm, 'String', unsupported),
  def(K.XAmzStorageClass, 'String', unsupported),
  def(K.XAmzWebsiteRedirectLocation, 'String', unsupported),
  def(K.XAmzObjectOwnership, 'String', unsupported),
  def(K.IfMatch, 'String', unsupported),
  def(K.IfNoneMatch, 'String', unsupported),
  def(K.ObjectCreationOperation, 'String', unsupported),

  def(K.PrincipalOrgID, 'String', unsupported),
  def(K.PrincipalOrgPaths, 'String', unsupportedMulti),
  def(K.PrincipalTag, 'String', unsupported),
  def(K.PrincipalIsAWSService, 'Bool', unsupported),
  def(K.PrincipalServiceName, 'String', unsupported),
  def(K.PrincipalServiceNamesList, 'String', unsupportedMulti),
  def(K.ResourceOrgID, 'String', unsupported),
  def(K.ResourceOrgPaths, 'String', unsupportedMulti),
  def(K.RequestTag, 'String', unsupported),
  def(K.TagKeys, 'String', unsupportedMulti),
  def(K.RequestedRegion, 'String', unsupported),
  def(K.SourceVpc, 'String', unsupported),
  def(K.SourceVpce, 'String', unsupported),
  def(K.SourceVpcArn, 'ARN', unsupported),
  def(K.VpcSourceIp, 'IPAddress', unsupported),
  def(K.SourceAccount, 'String', unsupported),
  def(K.SourceArn, 'ARN', unsupported),
  def(K.SourceOrgID, 'String', unsupported),
  def(K.SourceOrgPaths, 'String', unsupportedMulti),
  def(K.SourceIdentity, 'String', unsupported),
  def(K.CalledVia, 'String', unsupportedMulti),
  def(K.CalledViaFirst, 'String', unsupported),
  def(K.CalledViaLast, 'String', unsupported),
  def(K.ViaAWSService, 'Bool', unsupported),
  def(K.MultiFactorAuthPresent, 'Bool', unsupported),
  def(K.MultiFactorAuthAge, 'Numeric', unsupported),
  def(K.TokenIssueTime, 'Date', unsupported),
  def(K.FederatedProvider, 'String', unsupported),
  def(K.RoleSessionName, 'String', unsupported),
  def(K.AssumedRoot, 'Bool', unsupported),
  def(K.Ec2InstanceSourceVpc, 'String', unsupported),
  def(K.Ec2InstanceSourcePrivateIPv4, 'IPAddress', unsupported),
];

const EXACT = new Map<string, ConditionKeyDef>();
const TAG_STYLE: ConditionKeyDef[] = [];
for (const d of CONDITION_KEYS) {
  if (d.tagStyle) TAG_STYLE.push(d);
  else EXACT.set(d.lower, d);
}

/** A key as a policy names it, resolved against the catalogue: the definition plus the tag key, if tag-style. */
export interface KeyRef {
  readonly def: ConditionKeyDef;
  /** The tag key after the prefix (case preserved); '' for keys that are not tag-style. */
  readonly tagKey: string;
}

/** Resolve a key name as written in a policy (any case); undefined when the catalogue does not know it. */
export function findConditionKey(name: string): KeyRef | undefined {
  const lower = name.toLowerCase();
  const exact = EXACT.get(lower);
  if (exact) return { def: exact, tagKey: '' };
  for (const d of TAG_STYLE) {
    if (lower.startsWith(d.lower) && name.length > d.lower.length) return { def: d, tagKey: name.slice(d.lower.length) };
  }
  return undefined;
}

/** The service prefix of a key name (`s3`, `aws`, `iam`, …), lower-cased. */
export function keyServicePrefix(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? '' : name.slice(0, colon).toLowerCase();
}
