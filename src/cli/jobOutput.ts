/**
 * What `tessera jobs describe` prints: the job as the AWS CLI prints `aws s3control describe-job` (lists as arrays,
 * booleans and numbers as such), or a short human summary. Pure functions over the parsed DescribeJob document.
 */

/** A parsed XML element as the codec returns it: text, or child name → element(s). */
export type WireNode = string | { readonly [name: string]: WireNode | readonly WireNode[] | undefined };

/** A JSON value as the AWS CLI prints it. */
export type CliJson = string | number | boolean | null | CliJson[] | { [name: string]: CliJson };

type Kind = 'list' | 'boolean' | 'number' | 'struct';

/**
 * The typed fields of JobDescriptor (botocore's s3control model, 2018-08-20), by dotted path from the Job element;
 * `[]` stands for a list's entries. Every other leaf is a string (timestamps included: the AWS CLI v1 prints them
 * as received). Structures are listed where the server may send them empty.
 */
export const JOB_FIELD_KINDS: Readonly<Record<string, Kind>> = {
  ConfirmationRequired: 'boolean',
  Priority: 'number',
  'Manifest.Spec.Fields': 'list',
  Operation: 'struct',
  'Operation.S3PutObjectTagging': 'struct',
  'Operation.S3PutObjectTagging.TagSet': 'list',
  'Operation.S3DeleteObjectTagging': 'struct',
  'ProgressSummary.TotalNumberOfTasks': 'number',
  'ProgressSummary.NumberOfTasksSucceeded': 'number',
  'ProgressSummary.NumberOfTasksFailed': 'number',
  'ProgressSummary.Timers.ElapsedTimeInActiveSeconds': 'number',
  FailureReasons: 'list',
  'Report.Enabled': 'boolean',
  'ManifestGenerator.S3JobManifestGenerator.Filter': 'struct',
  'ManifestGenerator.S3JobManifestGenerator.Filter.EligibleForReplication': 'boolean',
  'ManifestGenerator.S3JobManifestGenerator.Filter.ObjectReplicationStatuses': 'list',
  'ManifestGenerator.S3JobManifestGenerator.Filter.KeyNameConstraint.MatchAnyPrefix': 'list',
  'ManifestGenerator.S3JobManifestGenerator.Filter.KeyNameConstraint.MatchAnySuffix': 'list',
  'ManifestGenerator.S3JobManifestGenerator.Filter.KeyNameConstraint.MatchAnySubstring': 'list',
  'ManifestGenerator.S3JobManifestGenerator.Filter.ObjectSizeGreaterThanBytes': 'number',
  'ManifestGenerator.S3JobManifestGenerator.Filter.ObjectSizeLessThanBytes': 'number',
  'ManifestGenerator.S3JobManifestGenerator.Filter.MatchAnyStorageClass': 'list',
  // Tessera's extension to the generator's filter (not in the AWS model)
  'ManifestGenerator.S3JobManifestGenerator.Filter.MatchAllObjectTags': 'list',
  'ManifestGenerator.S3JobManifestGenerator.EnableManifestOutput': 'boolean',
};

function isText(node: unknown): node is string {
  return typeof node === 'string';
}

/** Convert one wire element at `path` to what the AWS CLI prints, by the kind table. */
export function wireToCli(node: WireNode | readonly WireNode[] | undefined, path: string, kinds: Readonly<Record<string, Kind>>): CliJson {
  const kind = kinds[path];
  if (kind === 'list') {
    if (node === undefined || isText(node)) return [];
    const entries = (node as { member?: WireNode | readonly WireNode[] }).member;
    const list = entries === undefined ? [] : Array.isArray(entries) ? (entries as readonly WireNode[]) : [entries as WireNode];
    return list.map((entry) => wireToCli(entry, `${path}[]`, kinds));
  }
  if (Array.isArray(node)) return (node as readonly WireNode[]).map((entry) => wireToCli(entry, path, kinds));
  if (kind === 'boolean') return node === 'true';
  if (kind === 'number') return Number(node);
  if (node === undefined) return null;
  if (isText(node)) return kind === 'struct' && node.trim() === '' ? {} : node;
  const out: { [name: string]: CliJson } = {};
  for (const [name, child] of Object.entries(node as Record<string, WireNode | readonly WireNode[] | undefined>)) {
    if (child === undefined) continue;
    out[name] = wireToCli(child, path === '' ? name : `${path}.${name}`, kinds);
  }
  return out;
}

/** `aws s3control describe-job`'s output for a DescribeJobResult element. */
export function describeJobJson(result: WireNode): { Job: CliJson } {
  const job = isText(result) ? '' : (result as Record<string, WireNode | undefined>).Job;
  return { Job: wireToCli(job ?? '', '', JOB_FIELD_KINDS) };
}

type Obj = { readonly [name: string]: CliJson };

function obj(v: CliJson | undefined): Obj {
  return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v) ? v : {};
}

function arr(v: CliJson | undefined): CliJson[] {
  return Array.isArray(v) ? v : [];
}

function str(v: CliJson | undefined): string {
  return v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function s3Location(arn: string): string {
  return arn.replace(/^arn:[^:]+:s3:::/, 's3://');
}

function operationLine(op: Obj): string {
  const name = Object.keys(op)[0] ?? '(none)';
  if (name !== 'S3PutObjectTagging') return name;
  const tags = arr(obj(op[name]).TagSet).map((t) => `${str(obj(t).Key)}=${str(obj(t).Value)}`);
  return `${name} (${tags.length === 0 ? 'no tags' : tags.join(', ')})`;
}

function manifestLine(job: Obj): string {
  const m = obj(job.Manifest);
  if (m.Location !== undefined) {
    const spec = obj(m.Spec);
    return `${s3Location(str(obj(m.Location).ObjectArn))} (${str(spec.Format)}: ${arr(spec.Fields).map(str).join(', ')})`;
  }
  const g = obj(obj(job.ManifestGenerator).S3JobManifestGenerator);
  const f = obj(g.Filter);
  const k = obj(f.KeyNameConstraint);
  const criteria = [
    ...arr(k.MatchAnyPrefix).map((p) => `prefix ${str(p)}`),
    ...arr(k.MatchAnySuffix).map((p) => `suffix ${str(p)}`),
    ...arr(k.MatchAnySubstring).map((p) => `containing ${str(p)}`),
    ...arr(f.MatchAllObjectTags).map((t) => `tag ${str(obj(t).Key)}=${str(obj(t).Value)}`),
  ];
  return `generated from ${s3Location(str(g.SourceBucket))}${criteria.length > 0 ? ` (${criteria.join(', ')})` : ' (every object)'}`;
}

/** A few lines for a person: status, what the job does to which objects, progress, report, failures. */
export function describeJobSummary(described: { Job: CliJson }): string {
  const job = obj(described.Job);
  const p = obj(job.ProgressSummary);
  const r = obj(job.Report);
  const lines: [string, string][] = [
    ['Job', `${str(job.JobId)}  ${str(job.Status)}  priority ${str(job.Priority)}${job.ConfirmationRequired === true ? '  confirmation required' : ''}`],
    ...(job.Description !== undefined ? [['Description', str(job.Description)] as [string, string]] : []),
    ['Operation', operationLine(obj(job.Operation))],
    ['Manifest', manifestLine(job)],
    [
      'Progress',
      `${str(p.NumberOfTasksSucceeded)} of ${str(p.TotalNumberOfTasks)} succeeded, ${str(p.NumberOfTasksFailed)} failed, ` +
        `${str(obj(p.Timers).ElapsedTimeInActiveSeconds)}s active`,
    ],
    ['Report', r.Enabled === true ? `${s3Location(str(r.Bucket))}${r.Prefix !== undefined ? `/${str(r.Prefix)}` : ''} (${str(r.ReportScope)})` : 'none'],
    ['Role', str(job.RoleArn)],
    ['Created', str(job.CreationTime)],
    ...(job.TerminationDate !== undefined ? [['Ended', str(job.TerminationDate)] as [string, string]] : []),
    ...(job.StatusUpdateReason !== undefined ? [['Reason', str(job.StatusUpdateReason)] as [string, string]] : []),
    ...arr(job.FailureReasons).map((f) => ['Failure', `${str(obj(f).FailureCode)}: ${str(obj(f).FailureReason)}`] as [string, string]),
  ];
  return lines.map(([label, text]) => `${`${label}:`.padEnd(13)}${text}\n`).join('');
}
