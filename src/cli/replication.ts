import { parseArgs } from 'node:util';
import { sendSigned } from '../remote/signedRequest.js';
import { answeredError } from './cliErrors.js';
import { cliConnection } from './connection.js';

const USAGE = `Usage:
  tessera replication status s3://BUCKET     pending changes, the oldest one's age, delivery failures with reasons
  tessera replication resync s3://BUCKET     replicate the bucket's existing objects (what a destination holds is kept)
Add --json for the server's JSON answer. Destinations are registered with 'tessera remotes add'.

Connection (flags, else environment):
  --endpoint URL        [TESSERA_ENDPOINT]   (default http://127.0.0.1:9000)
  --region REGION       [AWS_REGION]         (default us-east-1)
  credentials           [AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN]
`;

interface Backlog {
  readonly bucket: string;
  readonly configured: boolean;
  readonly pending: number;
  readonly oldestPendingAgeSeconds?: number;
  readonly failures: readonly { seq: number; attempts: number; lastError: string; nextAt: string }[];
}

/** `tessera replication status` as text. Pure (tested). */
export function statusLines(b: Backlog): string[] {
  if (!b.configured) return [`s3://${b.bucket} is not replicated`];
  const age = b.oldestPendingAgeSeconds === undefined ? '' : `, oldest ${b.oldestPendingAgeSeconds.toFixed(1)} s old`;
  return [
    `s3://${b.bucket}: ${b.pending} change(s) pending${age}`,
    ...b.failures.map((f) => `  change ${f.seq}: ${f.attempts} attempt(s), next ${f.nextAt}: ${f.lastError}`),
  ];
}

export async function runReplicationCommand(args: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: [...rest],
    allowPositionals: true,
    options: { endpoint: { type: 'string' }, region: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help === true || sub === undefined || sub === '--help' || sub === '-h') {
    process.stdout.write(USAGE);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'status' && sub !== 'resync') {
    process.stderr.write(`tessera replication: unknown command '${sub}' (try --help)\n`);
    return 2;
  }
  const connection = cliConnection(values, env);
  if (connection === undefined) {
    process.stderr.write('tessera replication: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\n');
    return 2;
  }
  const bucket = /^s3:\/\/([^/]+)\/?$/.exec(positionals[0] ?? '')?.[1];
  if (bucket === undefined) throw new Error(`tessera replication ${sub}: give s3://BUCKET`);
  const res = await sendSigned(connection.endpoint, connection.region, connection.credentials, {
    method: sub === 'status' ? 'GET' : 'POST',
    path: `/${encodeURIComponent(bucket)}`,
    query: `tessera-replication=${sub}`,
  });
  const text = res.body.toString('utf8');
  if (res.status >= 300) {
    throw answeredError(res.status, text);
  }
  if (values.json === true) process.stdout.write(text);
  else if (sub === 'status') process.stdout.write(`${statusLines(JSON.parse(text) as Backlog).join('\n')}\n`);
  else process.stdout.write(`queued ${(JSON.parse(text) as { queued: number }).queued} version(s) of s3://${bucket}\n`);
  return 0;
}
