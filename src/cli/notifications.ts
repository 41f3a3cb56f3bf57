import { parseArgs } from 'node:util';
import { sendSigned } from '../remote/signedRequest.js';
import { answeredError } from './cliErrors.js';
import { cliConnection } from './connection.js';

const USAGE = `Usage:
  tessera notifications dead-letters s3://BUCKET [--max N] [--json]   deliveries given up on, newest first
Targets are registered with 'tessera targets add'.

Connection (flags, else environment):
  --endpoint URL        [TESSERA_ENDPOINT]   (default http://127.0.0.1:9000)
  --region REGION       [AWS_REGION]         (default us-east-1)
  credentials           [AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN]
`;

interface DeadLetterJson {
  readonly seq: number;
  readonly target: string;
  readonly event: string;
  readonly key: string;
  readonly attempts: number;
  readonly lastError: string;
  readonly at: string;
}

export async function runNotificationsCommand(args: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: [...rest],
    allowPositionals: true,
    options: { endpoint: { type: 'string' }, region: { type: 'string' }, max: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help === true || sub === undefined || sub === '--help' || sub === '-h') {
    process.stdout.write(USAGE);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'dead-letters') {
    process.stderr.write(`tessera notifications: unknown command '${sub}' (try --help)\n`);
    return 2;
  }
  const connection = cliConnection(values, env);
  if (connection === undefined) {
    process.stderr.write('tessera notifications: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\n');
    return 2;
  }
  const bucket = /^s3:\/\/([^/]+)\/?$/.exec(positionals[0] ?? '')?.[1];
  if (bucket === undefined) throw new Error('tessera notifications dead-letters: give s3://BUCKET');
  const res = await sendSigned(connection.endpoint, connection.region, connection.credentials, {
    method: 'GET',
    path: `/${encodeURIComponent(bucket)}`,
    query: `max=${encodeURIComponent(values.max ?? '100')}&tessera-notifications=dead-letters`,
  });
  const text = res.body.toString('utf8');
  if (res.status >= 300) {
    throw answeredError(res.status, text);
  }
  if (values.json === true) {
    process.stdout.write(text);
    return 0;
  }
  const letters = JSON.parse(text) as DeadLetterJson[];
  if (letters.length === 0) process.stdout.write(`s3://${bucket}: no dead letters\n`);
  for (const d of letters) process.stdout.write(`${d.at} ${d.event} ${d.key} → ${d.target} (change ${d.seq}, ${d.attempts} attempts): ${d.lastError}\n`);
  return 0;
}
