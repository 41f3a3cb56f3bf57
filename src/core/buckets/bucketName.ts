import { S3Error } from '../../errors/S3Error.js';

/**
 * The AWS rules for general purpose bucket names
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html), as a pure function.
 */
const MIN_LENGTH = 3;
const MAX_LENGTH = 63;
const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'] as const;
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'] as const;
const IPV4_LIKE = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/** Why a name cannot be a bucket name, or undefined when it can. */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < MIN_LENGTH || name.length > MAX_LENGTH) {
    return `Bucket names must be between ${MIN_LENGTH} and ${MAX_LENGTH} characters long`;
  }
  if (!/^[a-z0-9.-]+$/.test(name)) return 'Bucket names can consist only of lowercase letters, numbers, dots and hyphens';
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return 'Bucket names must begin and end with a letter or number';
  if (name.includes('..')) return 'Bucket names must not contain two adjacent periods';
  // The older DNS rule AWS still enforces for new buckets: a label may not start or end with a hyphen.
  if (name.includes('.-') || name.includes('-.')) return 'Bucket names must not contain a hyphen next to a period';
  if (IPV4_LIKE.test(name)) return 'Bucket names must not be formatted as an IP address';
  for (const prefix of RESERVED_PREFIXES) {
    if (name.startsWith(prefix)) return `Bucket names must not start with the prefix ${prefix}`;
  }
  for (const suffix of RESERVED_SUFFIXES) {
    if (name.endsWith(suffix)) return `Bucket names must not end with the suffix ${suffix}`;
  }
  return undefined;
}

/** Throws 400 InvalidBucketName (with the BucketName element AWS adds) for a name AWS would refuse. */
export function validateBucketName(name: string): void {
  if (bucketNameProblem(name) !== undefined) {
    throw new S3Error('InvalidBucketName', { details: { BucketName: name } });
  }
}
