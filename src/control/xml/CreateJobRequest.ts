import { ControlError } from '../../errors/ControlError.js';
import { MAX_JOB_PRIORITY, type JobOperation, type JobReportSpec, type JobSpec, type ManifestFormat, type ManifestGeneratorSpec } from '../../core/batch/Job.js';
import type { JobRequest } from '../../core/batch/JobRequest.js';
import { validateOperationTags } from '../../core/batch/jobTags.js';
import { parseXml, xml, type XmlObject } from '../../xml/codec.js';
import { parseTagMembers } from './JobTags.js';

const ROOT = 'CreateJobRequest';
const GEN = `${ROOT}.ManifestGenerator.S3JobManifestGenerator.Filter`;
const ARRAYS = [
  `${ROOT}.Operation.S3PutObjectTagging.TagSet.member`,
  `${ROOT}.Manifest.Spec.Fields.member`,
  `${ROOT}.Tags.member`,
  `${GEN}.KeyNameConstraint.MatchAnyPrefix.member`,
  `${GEN}.KeyNameConstraint.MatchAnySuffix.member`,
  `${GEN}.KeyNameConstraint.MatchAnySubstring.member`,
  `${GEN}.MatchAnyStorageClass.member`,
  `${GEN}.MatchAllObjectTags.member`,
];

function bad(message: string): ControlError {
  return new ControlError('BadRequestException', { message });
}

function bool(text: string | undefined): boolean | undefined {
  if (text === undefined) return undefined;
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw bad(`Invalid boolean: ${text}`);
}

function int(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^-?\d+$/.test(text)) throw bad(`Invalid ${name}: ${text}`);
  return Number(text);
}

function strings(node: XmlObject | undefined): string[] | undefined {
  if (node === undefined) return undefined;
  const v = node.member;
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map((m) => {
    if (typeof m !== 'string') throw new ControlError('MalformedXML');
    return m;
  });
}

function parseOperation(node: XmlObject | undefined): JobOperation {
  if (node === undefined) throw bad('Operation is required');
  const names = Object.keys(node);
  if (names.length !== 1) throw bad('Exactly one operation must be specified');
  if (names[0] === 'S3PutObjectTagging') {
    const op = xml.child(node, 'S3PutObjectTagging') ?? {};
    // the wire's TagSet becomes the domain's checked ObjectTagSet here, once: the job stores and the worker writes it
    return { kind: 'S3PutObjectTagging', tags: validateOperationTags(parseTagMembers(xml.child(op, 'TagSet'))) };
  }
  if (names[0] === 'S3DeleteObjectTagging') return { kind: 'S3DeleteObjectTagging' };
  throw bad(`Operation ${names[0]} is not supported by this server (supported: S3PutObjectTagging, S3DeleteObjectTagging)`);
}

function parseReport(node: XmlObject | undefined): JobReportSpec {
  if (node === undefined) throw bad('Report is required');
  const enabled = bool(xml.text(node, 'Enabled'));
  if (enabled === undefined) throw bad('Report.Enabled is required');
  if (!enabled) return { enabled: false };
  const bucket = xml.text(node, 'Bucket');
  const format = xml.text(node, 'Format');
  const scope = xml.text(node, 'ReportScope');
  const prefix = xml.text(node, 'Prefix');
  if (bucket === undefined) throw bad('Report.Bucket is required when the report is enabled');
  if (format !== 'Report_CSV_20180820') throw bad('Report.Format must be Report_CSV_20180820');
  if (scope !== 'AllTasks' && scope !== 'FailedTasksOnly') throw bad('Report.ReportScope must be AllTasks or FailedTasksOnly');
  return { enabled: true, bucket, format, scope, ...(prefix !== undefined ? { prefix } : {}) };
}

function parseGenerator(node: XmlObject): ManifestGeneratorSpec {
  const g = xml.child(node, 'S3JobManifestGenerator');
  if (g === undefined) throw bad('ManifestGenerator must hold S3JobManifestGenerator');
  const sourceBucket = xml.text(g, 'SourceBucket');
  if (sourceBucket === undefined) throw bad('S3JobManifestGenerator.SourceBucket is required');
  const enableManifestOutput = bool(xml.text(g, 'EnableManifestOutput'));
  if (enableManifestOutput === undefined) throw bad('S3JobManifestGenerator.EnableManifestOutput is required');
  const out = xml.child(g, 'ManifestOutputLocation');
  const f = xml.child(g, 'Filter') ?? {};
  const k = xml.child(f, 'KeyNameConstraint');
  const filter: Record<string, unknown> = {};
  const set = (name: string, value: unknown): void => {
    if (value !== undefined) filter[name] = value;
  };
  set('createdAfter', xml.text(f, 'CreatedAfter'));
  set('createdBefore', xml.text(f, 'CreatedBefore'));
  if (k !== undefined) {
    set('prefixes', strings(xml.child(k, 'MatchAnyPrefix')));
    set('suffixes', strings(xml.child(k, 'MatchAnySuffix')));
    set('substrings', strings(xml.child(k, 'MatchAnySubstring')));
  }
  set('sizeGreaterThan', int(xml.text(f, 'ObjectSizeGreaterThanBytes'), 'ObjectSizeGreaterThanBytes'));
  set('sizeLessThan', int(xml.text(f, 'ObjectSizeLessThanBytes'), 'ObjectSizeLessThanBytes'));
  set('storageClasses', strings(xml.child(f, 'MatchAnyStorageClass')));
  const tags = xml.child(f, 'MatchAllObjectTags');
  if (tags !== undefined) set('tags', validateOperationTags(parseTagMembers(tags)));
  let output: ManifestGeneratorSpec['output'];
  if (out !== undefined) {
    const bucket = xml.text(out, 'Bucket');
    const format = xml.text(out, 'ManifestFormat');
    if (bucket === undefined || format === undefined) throw bad('ManifestOutputLocation needs Bucket and ManifestFormat');
    const prefix = xml.text(out, 'ManifestPrefix');
    output = { bucket, format, ...(prefix !== undefined ? { prefix } : {}) };
  }
  if (enableManifestOutput && output === undefined) throw bad('ManifestOutputLocation is required when EnableManifestOutput is true');
  return {
    sourceBucket,
    enableManifestOutput,
    ...(output !== undefined ? { output } : {}),
    filter,
  };
}

const FORMATS: readonly ManifestFormat[] = ['S3BatchOperations_CSV_20180820', 'S3InventoryReport_CSV_20161130'];

/**
 * Parse and check a CreateJob body (shape errors: MalformedXML; values: BadRequestException) into the domain's
 * JobRequest; JobService.create checks the rest.
 */
export function parseCreateJobRequest(body: Buffer): JobRequest {
  const root = parseXml(body, ROOT, ARRAYS);
  const operation = parseOperation(xml.child(root, 'Operation'));
  const report = parseReport(xml.child(root, 'Report'));
  const priority = int(xml.text(root, 'Priority'), 'Priority');
  if (priority === undefined) throw bad('Priority is required');
  if (priority < 0 || priority > MAX_JOB_PRIORITY) throw bad(`Priority must be between 0 and ${MAX_JOB_PRIORITY}`);
  const roleArn = xml.text(root, 'RoleArn');
  if (roleArn === undefined) throw bad('RoleArn is required');
  const token = xml.text(root, 'ClientRequestToken');
  if (token === undefined || token.length < 1 || token.length > 64) throw bad('ClientRequestToken must be 1 to 64 characters');
  const description = xml.text(root, 'Description');
  if (description !== undefined && description.length > 256) throw bad('Description must be at most 256 characters');
  const manifestNode = xml.child(root, 'Manifest');
  const generatorNode = xml.child(root, 'ManifestGenerator');
  if ((manifestNode === undefined) === (generatorNode === undefined)) throw bad('Specify exactly one of Manifest and ManifestGenerator');
  let spec: JobSpec;
  if (manifestNode !== undefined) {
    const specNode = xml.child(manifestNode, 'Spec');
    const location = xml.child(manifestNode, 'Location');
    if (specNode === undefined || location === undefined) throw bad('Manifest needs Spec and Location');
    const format = xml.text(specNode, 'Format') as ManifestFormat | undefined;
    if (format === undefined || !FORMATS.includes(format)) throw bad(`Unsupported manifest format: ${String(format)}`);
    const fields = strings(xml.child(specNode, 'Fields')) ?? [];
    if (format === 'S3BatchOperations_CSV_20180820') {
      const ok = ['Bucket,Key', 'Bucket,Key,VersionId'].includes(fields.join(','));
      if (!ok) throw bad('Manifest Fields must be Bucket, Key or Bucket, Key, VersionId for S3BatchOperations_CSV_20180820');
    }
    const objectArn = xml.text(location, 'ObjectArn');
    const etag = xml.text(location, 'ETag');
    if (objectArn === undefined || etag === undefined) throw bad('Manifest Location needs ObjectArn and ETag');
    const versionId = xml.text(location, 'ObjectVersionId');
    spec = {
      operation,
      report,
      manifest: {
        spec: { format, fields },
        location: { objectArn, etag, ...(versionId !== undefined ? { objectVersionId: versionId } : {}) },
      },
    };
  } else {
    spec = { operation, report, generator: parseGenerator(generatorNode!) };
  }
  return {
    spec,
    priority,
    roleArn,
    confirmationRequired: bool(xml.text(root, 'ConfirmationRequired')) ?? false,
    clientRequestToken: token,
    ...(description !== undefined ? { description } : {}),
    tags: parseTagMembers(xml.child(root, 'Tags')),
  };
}
