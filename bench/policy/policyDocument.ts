/**
 * The workload of `npm run bench:policy`: the bucket's layout, the tags its objects carry, and the 20-statement
 * identity policy the measured IAM user works under (docs/benchmarks.md, "Access control").
 */
import { renderXml } from '../../src/xml/codec.js';

export const POLICY_BUCKET = 'tessera-bench-policy';
export const POLICY_USER = 'bench-policy-user';
/** The measured objects: public/00000 … (1 KiB each, tagged PUBLIC_TAGS). */
export const OBJECT_SIZE = 1024;
export const PUBLIC_TAGS = 'security=public&Project=X';

export function publicKey(i: number): string {
  return `data/public/${String(i).padStart(5, '0')}`;
}

/** The document PutObjectTagging sends (root and user alike): keeps the tags GetObject's conditions need. */
export function benchTagging(): string {
  const tags = [
    ['security', 'public'],
    ['Project', 'X'],
    ['stage', 'benchmark'],
    ['owner', 'bench-runner'],
  ];
  return renderXml('Tagging', { TagSet: { Tag: tags.map(([Key, Value]) => ({ Key, Value })) } });
}

/** A Tagging document with the given tags (for the hand checks). */
export function taggingOf(tags: ReadonlyArray<readonly [string, string]>): string {
  return renderXml('Tagging', { TagSet: { Tag: tags.map(([Key, Value]) => ({ Key, Value })) } });
}

/**
 * A realistic 20-statement policy. GetObject is allowed only through existing-tag conditions (the tags are loaded
 * lazily, once per request), PutObjectTagging only through request-tag conditions; Deny statements guard other
 * prefixes and tag values, so every request of the user is checked against several statements with conditions.
 */
export function benchPolicy(bucket: string): string {
  const b = `arn:aws:s3:::${bucket}`;
  const net = { IpAddress: { 'aws:SourceIp': ['127.0.0.0/8', '::1/128', '10.0.0.0/8'] } };
  const until = { DateLessThan: { 'aws:CurrentTime': '2099-12-31T23:59:59Z' } };
  const statements = [
    // 1-2: reads, gated on the object's existing tags
    {
      Sid: 'ReadPublicProjectObjects',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:GetObjectVersion'],
      Resource: `${b}/data/*`,
      Condition: { StringEquals: { 's3:ExistingObjectTag/security': 'public', 's3:ExistingObjectTag/Project': 'X' }, ...net, ...until },
    },
    {
      Sid: 'ReadSharedObjects',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: `${b}/shared/*`,
      Condition: { StringLike: { 's3:ExistingObjectTag/share': ['team-*', 'org'] } },
    },
    // 3-5: tagging, gated on the tags the request sets
    {
      Sid: 'TagWithAllowedKeys',
      Effect: 'Allow',
      Action: 's3:PutObjectTagging',
      Resource: `${b}/data/*`,
      Condition: {
        'ForAllValues:StringLike': { 's3:RequestObjectTagKeys': ['security', 'Project', 'stage', 'owner', 'cost-*'] },
        'ForAnyValue:StringLike': { 's3:RequestObjectTagKeys': ['Project'] },
        StringEquals: { 's3:RequestObjectTag/security': 'public' },
        StringLike: { 's3:RequestObjectTag/Project': ['X', 'Y*'] },
        ...net,
      },
    },
    {
      Sid: 'ReadTags',
      Effect: 'Allow',
      Action: ['s3:GetObjectTagging', 's3:GetObjectVersionTagging'],
      Resource: `${b}/data/*`,
      Condition: { StringEquals: { 's3:ExistingObjectTag/Project': 'X' } },
    },
    {
      Sid: 'UploadTaggedObjects',
      Effect: 'Allow',
      Action: 's3:PutObject',
      Resource: `${b}/uploads/*`,
      Condition: { StringEquals: { 's3:RequestObjectTag/Project': 'X' }, 'ForAllValues:StringLike': { 's3:RequestObjectTagKeys': ['Project', 'security'] } },
    },
    // 6-9: listing and bucket reads
    { Sid: 'ListData', Effect: 'Allow', Action: 's3:ListBucket', Resource: b, Condition: { StringLike: { 's3:prefix': ['data/*', 'shared/*', ''] } } },
    { Sid: 'ListVersions', Effect: 'Allow', Action: 's3:ListBucketVersions', Resource: b, Condition: { StringLike: { 's3:prefix': 'data/*' } } },
    { Sid: 'BucketInfo', Effect: 'Allow', Action: ['s3:GetBucketLocation', 's3:GetBucketVersioning', 's3:GetBucketTagging'], Resource: b },
    { Sid: 'ListBuckets', Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' },
    // 10-11: multipart on uploads/
    { Sid: 'Multipart', Effect: 'Allow', Action: ['s3:AbortMultipartUpload', 's3:ListMultipartUploadParts'], Resource: `${b}/uploads/*` },
    { Sid: 'ListUploads', Effect: 'Allow', Action: 's3:ListBucketMultipartUploads', Resource: b, Condition: until },
    // 12-20: guards
    { Sid: 'DenyOutsideBucket', Effect: 'Deny', Action: 's3:*', NotResource: [b, `${b}/*`] },
    { Sid: 'DenySecret', Effect: 'Deny', Action: 's3:*', Resource: [`${b}/secret/*`, `${b}/admin/*`] },
    { Sid: 'DenyLogs', Effect: 'Deny', Action: ['s3:GetObject', 's3:PutObject', 's3:PutObjectTagging'], Resource: `${b}/logs/*` },
    {
      Sid: 'DenyPrivateObjects',
      Effect: 'Deny',
      Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObjectTagging'],
      Resource: `${b}/*`,
      Condition: { StringEquals: { 's3:ExistingObjectTag/security': ['private', 'restricted'] } },
    },
    {
      Sid: 'DenyMarkingPrivate',
      Effect: 'Deny',
      Action: ['s3:PutObjectTagging', 's3:PutObject'],
      Resource: `${b}/*`,
      Condition: { StringEquals: { 's3:RequestObjectTag/security': ['private', 'restricted'] } },
    },
    {
      Sid: 'DenyReservedTagKeys',
      Effect: 'Deny',
      Action: ['s3:PutObjectTagging', 's3:PutObject'],
      Resource: `${b}/*`,
      Condition: { 'ForAnyValue:StringLike': { 's3:RequestObjectTagKeys': ['aws:*', 'admin-*', 'legal-hold'] } },
    },
    { Sid: 'DenyDeletes', Effect: 'Deny', Action: ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:DeleteObjectTagging'], Resource: `${b}/*` },
    { Sid: 'DenyBucketAdmin', Effect: 'Deny', Action: ['s3:PutBucketPolicy', 's3:DeleteBucketPolicy', 's3:PutBucketAcl', 's3:DeleteBucket'], Resource: b },
    { Sid: 'DenyOffNetwork', Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': ['127.0.0.0/8', '::1/128', '10.0.0.0/8'] } } },
  ];
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}
