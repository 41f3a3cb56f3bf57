import { parseArgs } from 'node:util';
import { XMLParser } from 'fast-xml-parser';
import { renderXml } from '../xml/codec.js';
import { sendSigned, type SigningCredentials } from '../remote/signedRequest.js';
import { cliConnection } from './connection.js';
import { CONTROL_XMLNS } from '../control/xml/controlXml.js';

const USAGE = `Usage:
  tessera jobs create --manifest s3://BUCKET/KEY [--with-version-ids] (--tags k=v[,k=v…] | --delete-tags)
                      --role-arn ARN [--report s3://BUCKET[/PREFIX]] [--report-scope AllTasks|FailedTasksOnly]
                      [--priority N] [--confirmation-required] [--description TEXT] [--token TOKEN]
  tessera jobs list [--status STATUS]…
  tessera jobs describe JOB_ID
  tessera jobs cancel JOB_ID [--reason TEXT]
  tessera jobs confirm JOB_ID
  tessera jobs watch JOB_ID          live progress (done, failed, rate, ETA) until the job ends

Connection (flags, else environment):
  --endpoint URL        [TESSERA_ENDPOINT]   (default http://127.0.0.1:9000)
  --account-id ID       [TESSERA_ACCOUNT_ID] (default 000000000000)
  --region REGION       [AWS_REGION]         (default us-east-1)
  credentials           [AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN]
`;

const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, isArray: (name) => name === 'member' });

interface Connection {
  readonly endpoint: string;
  readonly accountId: string;
  readonly region: string;
  readonly credentials: SigningCredentials;
}

type Xml = Record<string, unknown>;

async function control(c: Connection, method: string, path: string, query = '', body?: string): Promise<Xml> {
  const res = await sendSigned(c.endpoint, c.region, c.credentials, {
    method,
    path: `/v20180820${path}`,
    query,
    headers: { 'x-amz-account-id': c.accountId, ...(body !== undefined ? { 'content-type': 'application/xml' } : {}) },
    ...(body !== undefined ? { body: Buffer.from(body) } : {}),
  });
  const text = res.body.toString('utf8');
  const doc = (text === '' ? {} : parser.parse(text)) as Xml;
  if (res.status >= 300) {
    const err = ((doc.ErrorResponse as Xml | undefined)?.Error ?? doc.Error ?? {}) as Xml;
    const code = typeof err.Code === 'string' ? err.Code : String(res.status);
    const message = typeof err.Message === 'string' ? err.Message : text;
    throw new Error(`${code}: ${message}`);
  }
  return doc;
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
  return Array.isArray(m) ? (m as Xml[]) : [];
}

function num(v: unknown): number {
  return Number(v ?? 0);
}

async function describe(c: Connection, jobId: string): Promise<Xml> {
  const doc = await control(c, 'GET', `/jobs/${encodeURIComponent(jobId)}`);
  return ((doc.DescribeJobResult as Xml).Job ?? {}) as Xml;
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

export async function runJobsCommand(args: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: [...rest],
    allowPositionals: true,
    options: {
      endpoint: { type: 'string' },
      'account-id': { type: 'string' },
      region: { type: 'string' },
      manifest: { type: 'string' },
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
  if (connection === undefined) {
    process.stderr.write('tessera jobs: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\n');
    return 2;
  }
  const c: Connection = { ...connection, accountId: values['account-id'] ?? env.TESSERA_ACCOUNT_ID ?? '000000000000' };
  const jobId = positionals[0];
  const needJob = (): string => {
    if (jobId === undefined) throw new Error(`tessera jobs ${sub}: JOB_ID is required`);
    return jobId;
  };
  switch (sub) {
    case 'create': {
      if (values.manifest === undefined || values['role-arn'] === undefined) throw new Error('--manifest and --role-arn are required');
      if ((values.tags === undefined) === (values['delete-tags'] !== true)) throw new Error('give exactly one of --tags and --delete-tags');
      const m = s3Url(values.manifest);
      const head = await sendSigned(c.endpoint, c.region, c.credentials, { method: 'HEAD', path: `/${m.bucket}/${encodePath(m.key)}` });
      if (head.status !== 200) throw new Error(`cannot read the manifest ${values.manifest}: HTTP ${head.status}`);
      const report = values.report === undefined ? undefined : s3Url(values.report);
      const operation =
        values.tags !== undefined
          ? { S3PutObjectTagging: { TagSet: { member: parseTags(values.tags).map((t) => ({ Key: t.key, Value: t.value })) } } }
          : { S3DeleteObjectTagging: {} };
      const body = renderXml(
        'CreateJobRequest',
        {
          ConfirmationRequired: values['confirmation-required'] === true,
          Operation: operation,
          Report:
            report === undefined
              ? { Enabled: false }
              : {
                  Bucket: `arn:aws:s3:::${report.bucket}`,
                  Format: 'Report_CSV_20180820',
                  Enabled: true,
                  Prefix: report.key === '' ? undefined : report.key,
                  ReportScope: values['report-scope'] ?? 'AllTasks',
                },
          ClientRequestToken: values.token ?? `tessera-cli-${Date.now()}-${Math.random().toString(36).slice(2)}`,
          Manifest: {
            Spec: {
              Format: 'S3BatchOperations_CSV_20180820',
              Fields: { member: values['with-version-ids'] === true ? ['Bucket', 'Key', 'VersionId'] : ['Bucket', 'Key'] },
            },
            Location: { ObjectArn: `arn:aws:s3:::${m.bucket}/${m.key}`, ETag: String(head.headers.etag ?? '') },
          },
          Description: values.description,
          Priority: Number(values.priority ?? '10'),
          RoleArn: values['role-arn'],
        },
        { xmlns: CONTROL_XMLNS },
      );
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
    case 'describe':
      process.stdout.write(`${JSON.stringify(await describe(c, needJob()), null, 2)}\n`);
      return 0;
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
