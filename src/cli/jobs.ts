import { parseArgs } from 'node:util';
import { parseXml, renderXml, type XmlElement } from '../xml/codec.js';
import { sendSigned, type SignedRequest, type SignedResponse, type SigningCredentials } from '../remote/signedRequest.js';
import { cliConnection } from './connection.js';
import { CONTROL_XMLNS } from '../control/xml/controlXml.js';
import { CliError, noCredentialsMessage, serverErrorMessage, unreachableMessage } from './cliErrors.js';
import { describeJobJson, describeJobSummary, type WireNode } from './jobOutput.js';
import { DEFAULT_BATCH_ROLE, ensureBatchRole, type IamCall } from './jobRole.js';

const USAGE = `Usage:
  tessera jobs create (--manifest s3://BUCKET/KEY [--with-version-ids] | --bucket BUCKET [--prefix P] [--filter-tag k=v]…)
                      (--tags k=v[,k=v…] | --delete-tags) (--role-arn ARN | --create-role [--role-name NAME])
                      [--report s3://BUCKET[/PREFIX]] [--report-scope AllTasks|FailedTasksOnly]
                      [--priority N] [--confirmation-required] [--description TEXT] [--token TOKEN]
      --bucket          the job's objects are the bucket's current objects (S3JobManifestGenerator), narrowed by
                        --prefix (any of several) and --filter-tag (all of several); no manifest file to write
      --create-role     create (or reuse) the IAM role ${DEFAULT_BATCH_ROLE} (or --role-name), trusted by
                        batchoperations.s3.amazonaws.com and allowed the tagging actions, and run the job as it
  tessera jobs list [--status STATUS]…
  tessera jobs describe JOB_ID [--json]   a summary; --json prints what \`aws s3control describe-job\` prints
  tessera jobs cancel JOB_ID [--reason TEXT]
  tessera jobs confirm JOB_ID
  tessera jobs watch JOB_ID          live progress (done, failed, rate, ETA) until the job ends

Connection (flags, else environment):
  --endpoint URL        [TESSERA_ENDPOINT]   (default http://127.0.0.1:9000)
  --account-id ID       [TESSERA_ACCOUNT_ID] (default 000000000000)
  --region REGION       [AWS_REGION]         (default us-east-1)
  --access-key-id ID, --secret-access-key SECRET
                        [AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN]
`;

/** An answer's document as { root: content }, parsed by the one codec; a body that is not XML is kept as text. */
function parseAnswer(text: string): Xml {
  const root = /^\s*(?:<\?xml[^>]*\?>\s*)?<([A-Za-z_][\w.-]*)/.exec(text)?.[1];
  if (root === undefined) return {};
  try {
    return { [root]: parseXml(text, root) };
  } catch {
    return {};
  }
}

/** Send a signed request; no answer at all becomes the error that says to start the server or fix --endpoint. */
async function send(c: Connection, r: SignedRequest): Promise<SignedResponse> {
  try {
    return await sendSigned(c.endpoint, c.region, c.credentials, r);
  } catch (err) {
    throw new CliError(unreachableMessage(c.endpoint, err));
  }
}

function errorOf(doc: Xml, status: number, text: string): { code: string; message: string } {
  const err = ((doc.ErrorResponse as Xml | undefined)?.Error ?? doc.Error ?? {}) as Xml;
  return { code: typeof err.Code === 'string' ? err.Code : String(status), message: typeof err.Message === 'string' ? err.Message : text };
}

interface Connection {
  readonly endpoint: string;
  readonly accountId: string;
  readonly region: string;
  readonly credentials: SigningCredentials;
}

type Xml = Record<string, unknown>;

async function control(c: Connection, method: string, path: string, query = '', body?: string): Promise<Xml> {
  const res = await send(c, {
    method,
    path: `/v20180820${path}`,
    query,
    headers: { 'x-amz-account-id': c.accountId, ...(body !== undefined ? { 'content-type': 'application/xml' } : {}) },
    ...(body !== undefined ? { body: Buffer.from(body) } : {}),
  });
  const text = res.body.toString('utf8');
  const doc = parseAnswer(text);
  if (res.status >= 300) {
    const { code, message } = errorOf(doc, res.status, text);
    throw new CliError(serverErrorMessage(code, message));
  }
  return doc;
}

/** The IAM API on the same endpoint (query protocol, signed for iam). */
function iamClient(c: Connection): IamCall {
  return async (action, params) => {
    const form = new URLSearchParams({ Action: action, Version: '2010-05-08', ...params }).toString();
    const res = await send(c, {
      method: 'POST',
      path: '/',
      service: 'iam',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: Buffer.from(form),
    });
    const text = res.body.toString('utf8');
    const doc = parseAnswer(text);
    if (res.status >= 300) return { ok: false, ...errorOf(doc, res.status, text) };
    return { ok: true, result: (((doc[`${action}Response`] ?? {}) as Xml)[`${action}Result`] ?? {}) as Xml };
  };
}

function s3Url(url: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (m === null) throw new Error(`not an s3:// URL: ${url}`);
  return { bucket: m[1]!, key: m[2]! };
}

function encodePath(key: string): string {
  return key.split('/').map((s) => encodeURIComponent(s).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)).join('/');
}

function members(node: unknown): Xml[] {
  const m = (node as Xml | undefined)?.member;
  return Array.isArray(m) ? (m as Xml[]) : m === undefined ? [] : [m as Xml];
}

function num(v: unknown): number {
  return Number(v ?? 0);
}

async function describeResult(c: Connection, jobId: string): Promise<Xml> {
  const doc = await control(c, 'GET', `/jobs/${encodeURIComponent(jobId)}`);
  return (doc.DescribeJobResult ?? {}) as Xml;
}

async function describe(c: Connection, jobId: string): Promise<Xml> {
  return ((await describeResult(c, jobId)).Job ?? {}) as Xml;
}

function bar(fraction: number, width = 30): string {
  const filled = Math.max(0, Math.min(width, Math.round(fraction * width)));
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--';
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  const m = Math.floor(seconds / 60);
  return `${m}m${String(Math.ceil(seconds - m * 60)).padStart(2, '0')}s`;
}

/** One progress line: bar, percent, done/total, failed, rate and ETA. Pure (tested). */
export function progressLine(status: string, total: number, succeeded: number, failed: number, rate: number): string {
  const done = succeeded + failed;
  const fraction = total > 0 ? done / total : status === 'Complete' ? 1 : 0;
  const eta = rate > 0 ? (total - done) / rate : Number.POSITIVE_INFINITY;
  return `${bar(fraction)} ${(fraction * 100).toFixed(1).padStart(5)}%  ${done}/${total} done, ${failed} failed, ${Math.round(rate)}/s, ETA ${
    status === 'Active' ? duration(eta) : '--'
  }  ${status}`;
}

const TERMINAL = new Set(['Complete', 'Cancelled', 'Failed']);

async function watch(c: Connection, jobId: string, out: NodeJS.WriteStream): Promise<number> {
  let last: { t: number; done: number } | undefined;
  let rate = 0;
  for (;;) {
    const job = await describe(c, jobId);
    const p = (job.ProgressSummary ?? {}) as Xml;
    const status = String(job.Status);
    const succeeded = num(p.NumberOfTasksSucceeded);
    const failed = num(p.NumberOfTasksFailed);
    const now = Date.now();
    if (last !== undefined && now > last.t) {
      const instant = ((succeeded + failed - last.done) * 1000) / (now - last.t);
      rate = rate === 0 ? instant : 0.7 * rate + 0.3 * instant;
    }
    last = { t: now, done: succeeded + failed };
    const line = progressLine(status, num(p.TotalNumberOfTasks), succeeded, failed, rate);
    out.write(out.isTTY ? `\r${line}\x1b[K` : `${line}\n`);
    if (TERMINAL.has(status)) {
      out.write('\n');
      for (const f of members(job.FailureReasons)) out.write(`failure: ${String(f.FailureCode)}: ${String(f.FailureReason)}\n`);
      return status === 'Complete' ? 0 : 1;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

function parseTags(text: string): { key: string; value: string }[] {
  return text
    .split(',')
    .filter((p) => p !== '')
    .map((pair) => {
      const i = pair.indexOf('=');
      return i < 0 ? { key: pair, value: '' } : { key: pair.slice(0, i), value: pair.slice(i + 1) };
    });
}

interface CreateFlags {
  readonly manifest?: string | undefined;
  readonly 'with-version-ids'?: boolean | undefined;
  readonly bucket?: string | undefined;
  readonly prefix?: string[] | undefined;
  readonly 'filter-tag'?: string[] | undefined;
  readonly tags?: string | undefined;
  readonly 'delete-tags'?: boolean | undefined;
  readonly 'role-arn'?: string | undefined;
  readonly 'create-role'?: boolean | undefined;
  readonly 'role-name'?: string | undefined;
  readonly report?: string | undefined;
  readonly 'report-scope'?: string | undefined;
  readonly priority?: string | undefined;
  readonly 'confirmation-required'?: boolean | undefined;
  readonly description?: string | undefined;
  readonly token?: string | undefined;
}

/** The manifest: a CSV in a bucket (checked readable, its ETag pinned), or a generator over a bucket's objects. */
async function manifestOf(c: Connection, f: CreateFlags): Promise<XmlElement> {
  if ((f.manifest === undefined) === (f.bucket === undefined)) throw new CliError('give exactly one of --manifest and --bucket', 2);
  if (f.bucket === undefined && (f.prefix !== undefined || f['filter-tag'] !== undefined)) {
    throw new CliError('--prefix and --filter-tag choose objects of --bucket; with --manifest the CSV lists them', 2);
  }
  if (f.manifest !== undefined) {
    const m = s3Url(f.manifest);
    const head = await send(c, { method: 'HEAD', path: `/${m.bucket}/${encodePath(m.key)}` });
    if (head.status !== 200) {
      throw new CliError(`cannot read the manifest ${f.manifest}: HTTP ${head.status}${head.status === 404 ? ': upload it first, or use --bucket to list the objects instead' : ''}`);
    }
    return {
      Manifest: {
        Spec: {
          Format: 'S3BatchOperations_CSV_20180820',
          Fields: { member: f['with-version-ids'] === true ? ['Bucket', 'Key', 'VersionId'] : ['Bucket', 'Key'] },
        },
        Location: { ObjectArn: `arn:aws:s3:::${m.bucket}/${m.key}`, ETag: String(head.headers.etag ?? '') },
      },
    };
  }
  const tags = (f['filter-tag'] ?? []).flatMap(parseTags);
  const prefixes = f.prefix ?? [];
  return {
    ManifestGenerator: {
      S3JobManifestGenerator: {
        SourceBucket: `arn:aws:s3:::${f.bucket!}`,
        Filter: {
          KeyNameConstraint: prefixes.length > 0 ? { MatchAnyPrefix: { member: prefixes } } : undefined,
          MatchAllObjectTags: tags.length > 0 ? { member: tags.map((t) => ({ Key: t.key, Value: t.value })) } : undefined,
        },
        EnableManifestOutput: false,
      },
    },
  };
}

/** CreateJob's body from the command's flags (creating the role first with --create-role). */
async function createJobRequest(c: Connection, f: CreateFlags): Promise<XmlElement> {
  if ((f['role-arn'] === undefined) === (f['create-role'] !== true)) throw new CliError('give exactly one of --role-arn and --create-role', 2);
  if ((f.tags === undefined) === (f['delete-tags'] !== true)) throw new CliError('give exactly one of --tags and --delete-tags', 2);
  const manifest = await manifestOf(c, f);
  const roleArn = f['role-arn'] ?? (await ensureBatchRole(iamClient(c), f['role-name'] ?? DEFAULT_BATCH_ROLE));
  const report = f.report === undefined ? undefined : s3Url(f.report);
  const operation =
    f.tags !== undefined
      ? { S3PutObjectTagging: { TagSet: { member: parseTags(f.tags).map((t) => ({ Key: t.key, Value: t.value })) } } }
      : { S3DeleteObjectTagging: {} };
  return {
    ConfirmationRequired: f['confirmation-required'] === true,
    Operation: operation,
    Report:
      report === undefined
        ? { Enabled: false }
        : {
            Bucket: `arn:aws:s3:::${report.bucket}`,
            Format: 'Report_CSV_20180820',
            Enabled: true,
            Prefix: report.key === '' ? undefined : report.key,
            ReportScope: f['report-scope'] ?? 'AllTasks',
          },
    ClientRequestToken: f.token ?? `tessera-cli-${Date.now()}-${Math.random().toString(36).slice(2)}`,
    ...manifest,
    Description: f.description,
    Priority: Number(f.priority ?? '10'),
    RoleArn: roleArn,
  };
}

export async function runJobsCommand(args: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: [...rest],
    allowPositionals: true,
    options: {
      endpoint: { type: 'string' },
      'account-id': { type: 'string' },
      region: { type: 'string' },
      'access-key-id': { type: 'string' },
      'secret-access-key': { type: 'string' },
      manifest: { type: 'string' },
      bucket: { type: 'string' },
      prefix: { type: 'string', multiple: true },
      'filter-tag': { type: 'string', multiple: true },
      'create-role': { type: 'boolean' },
      'role-name': { type: 'string' },
      json: { type: 'boolean' },
      'with-version-ids': { type: 'boolean' },
      tags: { type: 'string' },
      'delete-tags': { type: 'boolean' },
      'role-arn': { type: 'string' },
      report: { type: 'string' },
      'report-scope': { type: 'string' },
      priority: { type: 'string' },
      'confirmation-required': { type: 'boolean' },
      description: { type: 'string' },
      token: { type: 'string' },
      status: { type: 'string', multiple: true },
      reason: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help === true || sub === undefined || sub === '--help') {
    process.stdout.write(USAGE);
    return sub === undefined ? 2 : 0;
  }
  const connection = cliConnection(values, env);
  if (connection === undefined) throw new CliError(noCredentialsMessage('tessera jobs'), 2);
  const c: Connection = { ...connection, accountId: values['account-id'] ?? env.TESSERA_ACCOUNT_ID ?? '000000000000' };
  const jobId = positionals[0];
  const needJob = (): string => {
    if (jobId === undefined) throw new Error(`tessera jobs ${sub}: JOB_ID is required`);
    return jobId;
  };
  switch (sub) {
    case 'create': {
      const body = renderXml('CreateJobRequest', await createJobRequest(c, values), { xmlns: CONTROL_XMLNS });
      const doc = await control(c, 'POST', '/jobs', '', body);
      process.stdout.write(`${String((doc.CreateJobResult as Xml).JobId)}\n`);
      return 0;
    }
    case 'list': {
      const query = (values.status ?? []).map((s) => `jobStatuses=${encodeURIComponent(s)}`);
      let token: string | undefined;
      do {
        const q = [...query, ...(token !== undefined ? [`nextToken=${encodeURIComponent(token)}`] : [])].join('&');
        const result = (await control(c, 'GET', '/jobs', q)).ListJobsResult as Xml;
        for (const j of members(result.Jobs)) {
          const p = (j.ProgressSummary ?? {}) as Xml;
          process.stdout.write(
            `${String(j.JobId)}  ${String(j.Status).padEnd(10)}  priority ${String(j.Priority)}  ${num(p.NumberOfTasksSucceeded)}/${num(p.TotalNumberOfTasks)} ok, ${num(p.NumberOfTasksFailed)} failed  ${String(j.CreationTime)}\n`,
          );
        }
        token = typeof result.NextToken === 'string' && result.NextToken !== '' ? result.NextToken : undefined;
      } while (token !== undefined);
      return 0;
    }
    case 'describe': {
      const described = describeJobJson(await describeResult(c, needJob()) as WireNode);
      process.stdout.write(values.json === true ? `${JSON.stringify(described, null, 4)}\n` : describeJobSummary(described));
      return 0;
    }
    case 'cancel':
    case 'confirm': {
      const q = [`requestedJobStatus=${sub === 'cancel' ? 'Cancelled' : 'Ready'}`];
      if (values.reason !== undefined) q.push(`statusUpdateReason=${encodeURIComponent(values.reason)}`);
      const doc = await control(c, 'POST', `/jobs/${encodeURIComponent(needJob())}/status`, q.join('&'));
      process.stdout.write(`${String((doc.UpdateJobStatusResult as Xml).Status)}\n`);
      return 0;
    }
    case 'watch':
      return watch(c, needJob(), process.stdout);
    default:
      process.stderr.write(`tessera jobs: unknown subcommand '${sub}' (try --help)\n`);
      return 2;
  }
}
