import { S3Error } from '../../errors/S3Error.js';

/**
 * Every error the metrics configuration operations answer, in one place. Recorded S3 answers: NoSuchConfiguration
 * (404) for an id the bucket has no configuration of; TooManyConfigurations (400) for a new id on a bucket that has
 * 1,000 (the PutBucketMetricsConfiguration API page); MalformedXML for a body that does not fit the schema, and for a
 * body whose Id is not the query's id (as S3 answered the aws CLI users who sent both). Where no recorded S3 answer
 * was found the code and wording are Tessera's, marked below and listed in docs/metrics.md.
 */
export const MAX_METRICS_ID_LENGTH = 64;

function invalidArgument(message: string, name: string, value: string): S3Error {
  return new S3Error('InvalidArgument', { message, details: { ArgumentName: name, ArgumentValue: value } });
}

export const metricsErrors = {
  malformed: (): S3Error => new S3Error('MalformedXML'),
  noSuchConfiguration: (): S3Error => new S3Error('NoSuchConfiguration'),
  tooMany: (): S3Error => new S3Error('TooManyConfigurations'),
  /** Tessera's wording (no recorded S3 answer). */
  missingId: (): S3Error => invalidArgument('The metrics configuration id is required (the id query parameter).', 'id', ''),
  /** Tessera's wording (no recorded S3 answer). */
  invalidId: (id: string): S3Error =>
    invalidArgument(
      `The metrics configuration id must be 1 to ${MAX_METRICS_ID_LENGTH} characters of letters, digits, '.', '-' and '_'.`,
      'id',
      id,
    ),
  duplicateTagKeys: (): S3Error => new S3Error('InvalidRequest', { message: 'Duplicate Tag Keys are not allowed.' }),
  /** As ListObjectsV2 answers a token it did not make. */
  badContinuationToken: (token: string): S3Error =>
    invalidArgument('The continuation token provided is incorrect', 'continuation-token', token),
  /** Tessera's wording (no recorded S3 answer). */
  invalidAccessPointArn: (arn: string): S3Error => invalidArgument('Invalid access point ARN.', 'AccessPointArn', arn),
};
