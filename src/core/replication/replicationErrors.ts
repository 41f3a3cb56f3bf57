import { S3Error } from '../../errors/S3Error.js';

/**
 * Every error PutBucketReplication answers for a configuration it refuses, with the code and words S3 uses, in one
 * place (see validateReplication for the order of the checks). Sources: the PutBucketReplication and
 * ReplicationRule API pages (what is required with a Filter; no delete-marker replication with a Tag filter), and
 * S3's answers as users and SDK/IaC projects recorded them ("… must be specified / cannot be used for this version
 * of Cross Region Replication configuration schema. Please refer to S3 Developer Guide for more information.",
 * "Number of distinct destination bucket ARNs cannot exceed 1", MalformedXML for ExistingObjectReplication on
 * accounts without it). Where no recorded S3 answer was found the wording follows the lifecycle checks of the same
 * service or the answers S3-compatible servers give; those are marked below.
 */
export const MAX_RULES = 1000;
export const MAX_ID_LENGTH = 255;
export const MAX_PRIORITY = 2_147_483_647;

const SCHEMA_HINT = 'Please refer to S3 Developer Guide for more information.';

function invalidRequest(message: string): S3Error {
  return new S3Error('InvalidRequest', { message });
}

function invalidArgument(message: string, name: string, value: string): S3Error {
  return new S3Error('InvalidArgument', { message, details: { ArgumentName: name, ArgumentValue: value } });
}

export const replicationErrors = {
  malformed: (): S3Error => new S3Error('MalformedXML'),

  // the configuration
  tooManyRules: (): S3Error => invalidRequest(`The number of replication rules must not exceed the allowed limit of ${MAX_RULES} rules.`),
  /** Worded as S3's lifecycle check (no recorded replication answer). */
  idTooLong: (id: string): S3Error => invalidArgument(`ID length should not exceed allowed limit of ${MAX_ID_LENGTH}`, 'ID', id),
  /** Worded as S3's lifecycle check (no recorded replication answer). */
  duplicateId: (id: string): S3Error => invalidArgument('Rule ID must be unique. Found same ID for more than one rule', 'ID', id),
  /** S3 requires distinct priorities; the wording is that of S3-compatible servers (no recorded S3 answer). */
  duplicatePriority: (priority: number): S3Error => invalidRequest(`Found duplicate priority ${priority}.`),
  v1Destinations: (): S3Error => invalidRequest('Number of distinct destination bucket ARNs cannot exceed 1'),

  // the two schemas
  requiredInV2: (element: 'Priority' | 'DeleteMarkerReplication'): S3Error =>
    invalidRequest(`${element} must be specified for this version of Cross Region Replication configuration schema. ${SCHEMA_HINT}`),
  notInV1: (element: 'Priority' | 'DeleteMarkerReplication'): S3Error =>
    invalidRequest(`${element} cannot be used for this version of Cross Region Replication configuration schema. ${SCHEMA_HINT}`),

  // a rule
  priorityRange: (): S3Error => invalidRequest(`Priority must be between 0 and ${MAX_PRIORITY}.`),
  duplicateTagKeys: (): S3Error => invalidRequest('Duplicate Tag Keys are not allowed.'),
  deleteMarkersWithTags: (): S3Error =>
    invalidRequest(`Delete marker replication is not supported if any Tag filter is specified. ${SCHEMA_HINT}`),

  // the destination
  invalidBucketArn: (arn: string): S3Error => invalidArgument('Invalid bucket ARN.', 'Bucket', arn),
  sameBucket: (): S3Error => invalidRequest('Destination bucket cannot be the same as the source bucket.'),
};
