import type { Tag } from '../tags/Tag.js';
import { validateTagSet, type ObjectTagSet } from '../tags/TagSet.js';

/** S3 Batch Operations job statuses, as AWS names them. */
export type JobStatus =
  | 'New'
  | 'Preparing'
  | 'Suspended'
  | 'Ready'
  | 'Active'
  | 'Pausing'
  | 'Paused'
  | 'Complete'
  | 'Cancelling'
  | 'Cancelled'
  | 'Failing'
  | 'Failed';

export const JOB_STATUSES: readonly JobStatus[] = [
  'New', 'Preparing', 'Suspended', 'Ready', 'Active', 'Pausing', 'Paused', 'Complete', 'Cancelling', 'Cancelled', 'Failing', 'Failed',
];

/** The operation a job applies to every manifest row. */
export type JobOperation =
  | { readonly kind: 'S3PutObjectTagging'; readonly tags: ObjectTagSet }
  | { readonly kind: 'S3DeleteObjectTagging' };

export type ManifestFormat = 'S3BatchOperations_CSV_20180820' | 'S3InventoryReport_CSV_20161130';

export interface ManifestLocation {
  readonly objectArn: string;
  readonly etag: string;
  readonly objectVersionId?: string;
}

export interface ManifestSpec {
  readonly format: ManifestFormat;
  /** Bucket, Key[, VersionId] (CSV manifests). */
  readonly fields: readonly string[];
}

export interface JobManifest {
  readonly spec: ManifestSpec;
  readonly location: ManifestLocation;
}

/** S3JobManifestGenerator: the manifest is the listing of a bucket through these filters. */
export interface ManifestGeneratorSpec {
  readonly sourceBucket: string;
  readonly enableManifestOutput: boolean;
  readonly output?: { readonly bucket: string; readonly prefix?: string; readonly format: string };
  readonly filter: {
    readonly createdAfter?: string;
    readonly createdBefore?: string;
    readonly prefixes?: readonly string[];
    readonly suffixes?: readonly string[];
    readonly substrings?: readonly string[];
    readonly sizeGreaterThan?: number;
    readonly sizeLessThan?: number;
    readonly storageClasses?: readonly string[];
    /** Tessera's extension (MatchAllObjectTags): the object carries every one of these tags. */
    readonly tags?: readonly Tag[];
  };
}

export interface JobReportSpec {
  readonly enabled: boolean;
  readonly bucket?: string;
  readonly format?: string;
  readonly prefix?: string;
  readonly scope?: 'AllTasks' | 'FailedTasksOnly';
}

/** What CreateJob asked for, stored as one JSON document. */
export interface JobSpec {
  readonly operation: JobOperation;
  readonly manifest?: JobManifest;
  readonly generator?: ManifestGeneratorSpec;
  readonly report: JobReportSpec;
}

export interface JobFailure {
  readonly code: string;
  readonly reason: string;
}

export interface Job {
  readonly id: string;
  readonly accountId: string;
  readonly seq: number;
  readonly status: JobStatus;
  readonly priority: number;
  readonly confirmationRequired: boolean;
  readonly clientRequestToken: string;
  readonly requestFingerprint: string;
  readonly description?: string;
  readonly roleArn: string;
  readonly spec: JobSpec;
  readonly tags: readonly Tag[];
  readonly creationTime: Date;
  readonly terminationDate?: Date;
  readonly suspendedDate?: Date;
  readonly suspendedCause?: string;
  readonly statusUpdateReason?: string;
  readonly failureReasons: readonly JobFailure[];
  /** The manifest version read at preparation (so a resumed job reads the same bytes). */
  readonly manifestVersionId?: string;
  /** Where Preparing wrote the generated manifest (ManifestGenerator with EnableManifestOutput); tasks come from it. */
  readonly generatedManifest?: JobManifest;
  readonly totalTasks?: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Manifest rows already applied (and counted, and their failures recorded). */
  readonly cursor: number;
  readonly activeMs: number;
}

export function jobArn(region: string, accountId: string, jobId: string): string {
  return `arn:aws:s3:${region}:${accountId}:job/${jobId}`;
}

/** Job priorities run from 0 to this (a signed 32-bit integer); higher runs first. */
export const MAX_JOB_PRIORITY = 2147483647;

/**
 * A job operation as stored (JSON) made a domain value again: the tag set of S3PutObjectTagging goes through the one
 * TagSet validation, so the worker only ever writes a validated set (it was validated when the job was created).
 */
export function storedOperation(stored: { readonly kind: string; readonly tags?: readonly Tag[] }): JobOperation {
  if (stored.kind === 'S3PutObjectTagging') return { kind: 'S3PutObjectTagging', tags: validateTagSet(stored.tags ?? [], 'object') };
  if (stored.kind === 'S3DeleteObjectTagging') return { kind: 'S3DeleteObjectTagging' };
  throw new Error(`stored job operation ${stored.kind} is not known`);
}
