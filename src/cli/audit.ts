import { answeredError } from './cliErrors.js';
import { parseArgs } from 'node:util';
import { sendSigned } from '../remote/signedRequest.js';
import { cliConnection } from './connection.js';

const USAGE = `Usage:
  tessera audit get s3://BUCKET                      the bucket's audit configuration (JSON)
  tessera audit set s3://BUCKET [--prefix P] [--tag KEY=VALUE]... [--include-tags]
                                                     write only the data events of objects under P carrying every tag;
                                                     --include-tags: each record carries the object's tags
  tessera audit clear s3://BUCKET                    every data event again, without tags
The audit log itself is turned on with TESSERA_AUDIT_LOG on the server (docs/audit-log.md).

Connection (flags, else environment):
  --endpoint URL        [TESSERA_ENDPOINT]   (default http://127.0.0.1:9000)
  --region REGION       [AWS_REGION]         (default us-east-1)
  credentials           [AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN]
`;

const METHODS: Readonly<Record<string, string>> = { get: 'GET', set: 'PUT', clear: 'DELETE' };

/** `tessera audit get|set|clear s3://BUCKET`: a bucket's audit configuration, through `?tessera-audit`. */
export async function runAuditCommand(args: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: [...rest],
    allowPositionals: true,
    options: {
      endpoint: { type: 'string' },
      region: { type: 'string' },
      prefix: { type: 'string' },
      tag: { type: 'string', multiple: true },
      'include-tags': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help === true || sub === undefined || sub === '--help' || sub === '-h') {
    process.stdout.write(USAGE);
    return sub === undefined ? 2 : 0;
  }
  const method = METHODS[sub];
  if (method === undefined) {
    process.stderr.write(`tessera audit: unknown command '${sub}' (try --help)\n`);
    return 2;
  }
  const bucket = /^s3:\/\/([^/]+)\/?$/.exec(positionals[0] ?? '')?.[1];
  if (bucket === undefined) {
    process.stderr.write(`tessera audit ${sub}: give s3://BUCKET\n`);
    return 2;
  }
  const connection = cliConnection(values, env);
  if (connection === undefined) {
    process.stderr.write('tessera audit: no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\n');
    return 2;
  }
  const body = sub === 'set' ? Buffer.from(JSON.stringify(configurationOf(values.prefix, values.tag ?? [], values['include-tags'] === true))) : undefined;
  const res = await sendSigned(connection.endpoint, connection.region, connection.credentials, {
    method,
    path: `/${encodeURIComponent(bucket)}`,
    query: 'tessera-audit=',
    ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
  });
  const text = res.body.toString('utf8');
  if (res.status >= 300) {
    process.stderr.write(`tessera audit ${sub}: ${answeredError(res.status, text).message}\n`);
    return 1;
  }
  if (sub === 'get') process.stdout.write(text);
  else process.stdout.write(`s3://${bucket}: audit configuration ${sub === 'set' ? 'stored' : 'removed'}\n`);
  return 0;
}

function configurationOf(prefix: string | undefined, tags: readonly string[], includeTags: boolean): unknown {
  const parsed = tags.map((t) => {
    const eq = t.indexOf('=');
    if (eq <= 0) throw new Error(`tessera audit set: --tag wants KEY=VALUE, got '${t}'`);
    return { Key: t.slice(0, eq), Value: t.slice(eq + 1) };
  });
  const filter = prefix === undefined && parsed.length === 0 ? undefined : { ...(prefix === undefined ? {} : { Prefix: prefix }), Tags: parsed };
  return { ...(filter === undefined ? {} : { Filter: filter }), IncludeObjectTags: includeTags };
}
