import { jobArn, type Job, type JobOperation } from '../../core/batch/Job.js';
import type { XmlElement } from '../../xml/codec.js';
import { members } from './controlXml.js';
import { renderTagMembers } from './JobTags.js';

export function renderOperation(op: JobOperation): XmlElement {
  return op.kind === 'S3PutObjectTagging'
    ? { S3PutObjectTagging: { TagSet: renderTagMembers(op.tags) } }
    : { S3DeleteObjectTagging: {} };
}

export function renderProgress(job: Job): XmlElement {
  return {
    TotalNumberOfTasks: job.totalTasks ?? 0,
    NumberOfTasksSucceeded: job.succeeded,
    NumberOfTasksFailed: job.failed,
    Timers: { ElapsedTimeInActiveSeconds: Math.floor(job.activeMs / 1000) },
  };
}

function renderGenerator(job: Job): XmlElement | undefined {
  const g = job.spec.generator;
  if (g === undefined) return undefined;
  const f = g.filter;
  return {
    S3JobManifestGenerator: {
      SourceBucket: g.sourceBucket,
      ...(g.output !== undefined
        ? { ManifestOutputLocation: { Bucket: g.output.bucket, ManifestPrefix: g.output.prefix, ManifestFormat: g.output.format } }
        : {}),
      Filter: {
        CreatedAfter: f.createdAfter,
        CreatedBefore: f.createdBefore,
        ...(f.prefixes || f.suffixes || f.substrings
          ? {
              KeyNameConstraint: {
                MatchAnyPrefix: f.prefixes ? members(f.prefixes, (p) => p) : undefined,
                MatchAnySuffix: f.suffixes ? members(f.suffixes, (p) => p) : undefined,
                MatchAnySubstring: f.substrings ? members(f.substrings, (p) => p) : undefined,
              },
            }
          : {}),
        ObjectSizeGreaterThanBytes: f.sizeGreaterThan,
        ObjectSizeLessThanBytes: f.sizeLessThan,
        MatchAnyStorageClass: f.storageClasses ? members(f.storageClasses, (p) => p) : undefined,
        MatchAllObjectTags: f.tags ? renderTagMembers(f.tags) : undefined,
      },
      EnableManifestOutput: g.enableManifestOutput,
    },
  };
}

/** DescribeJob's <Job> element. */
export function renderJobDescriptor(job: Job, region: string): XmlElement {
  const m = job.spec.manifest;
  const r = job.spec.report;
  return {
    JobId: job.id,
    ConfirmationRequired: job.confirmationRequired,
    Description: job.description,
    JobArn: jobArn(region, job.accountId, job.id),
    Status: job.status,
    Manifest:
      m === undefined
        ? undefined
        : {
            Spec: { Format: m.spec.format, Fields: m.spec.fields.length > 0 ? members(m.spec.fields, (f) => f) : undefined },
            Location: { ObjectArn: m.location.objectArn, ObjectVersionId: m.location.objectVersionId, ETag: m.location.etag },
          },
    Operation: renderOperation(job.spec.operation),
    Priority: job.priority,
    ProgressSummary: renderProgress(job),
    StatusUpdateReason: job.statusUpdateReason,
    FailureReasons:
      job.failureReasons.length > 0 ? members(job.failureReasons, (f) => ({ FailureCode: f.code, FailureReason: f.reason })) : undefined,
    Report: {
      Bucket: r.bucket,
      Format: r.format,
      Enabled: r.enabled,
      Prefix: r.prefix,
      ReportScope: r.scope,
    },
    CreationTime: job.creationTime,
    TerminationDate: job.terminationDate,
    RoleArn: job.roleArn,
    SuspendedDate: job.suspendedDate,
    SuspendedCause: job.suspendedCause,
    ManifestGenerator: renderGenerator(job),
    GeneratedManifestDescriptor:
      job.generatedManifest === undefined
        ? undefined
        : {
            Format: job.generatedManifest.spec.format,
            Location: { ObjectArn: job.generatedManifest.location.objectArn, ETag: job.generatedManifest.location.etag },
          },
  };
}

/** ListJobs' <member> entry. */
export function renderJobListDescriptor(job: Job): XmlElement {
  return {
    JobId: job.id,
    Description: job.description,
    Operation: job.spec.operation.kind === 'S3PutObjectTagging' ? 'S3PutObjectTagging' : 'S3DeleteObjectTagging',
    Priority: job.priority,
    Status: job.status,
    CreationTime: job.creationTime,
    TerminationDate: job.terminationDate,
    ProgressSummary: renderProgress(job),
  };
}
