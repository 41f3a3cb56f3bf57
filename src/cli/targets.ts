import { parseArgs } from 'node:util';
import { ConfigError } from '../config/config.js';
import { dataDirOf } from './dataDir.js';
import { FileEventTargetDirectory } from '../storage/targets/FileEventTargetDirectory.js';

const USAGE = `Usage:
  tessera targets add NAME --webhook URL [--header K=V]... [--data-dir DIR]
  tessera targets list [--data-dir DIR]
  tessera targets remove NAME [--data-dir DIR]

Registers where event notifications go: a bucket's notification configuration names the target by an ARN ending in
NAME (arn:aws:sqs:us-east-1:000000000000:NAME, or an SNS or Lambda ARN). Events are POSTed there as AWS's event
JSON, with the headers given. Kept in the data dir (targets.json, mode 0600); no restart needed.
`;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;

export async function runTargetsCommand(args: readonly string[], env: Readonly<Record<string, string | undefined>>, cwd: string): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: [...rest],
    allowPositionals: true,
    options: {
      webhook: { type: 'string' },
      header: { type: 'string', multiple: true },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help === true || sub === undefined || sub === '--help') {
    process.stdout.write(USAGE);
    return sub === undefined ? 2 : 0;
  }
  const dataDir = dataDirOf(values['data-dir'], env, cwd);
  const targets = new FileEventTargetDirectory(dataDir);
  const name = positionals[0];
  switch (sub) {
    case 'list':
      for (const t of await targets.list()) process.stdout.write(`${JSON.stringify({ name: t.name, webhook: t.webhook, headers: Object.keys(t.headers) })}\n`);
      return 0;
    case 'add': {
      if (name === undefined || !NAME.test(name)) throw new ConfigError('targets add: NAME is required (letters, digits, . _ -)');
      const webhook = values.webhook;
      if (webhook === undefined || !/^https?:\/\/\S+$/.test(webhook)) throw new ConfigError('targets add: --webhook http(s)://… is required');
      const headers: Record<string, string> = {};
      for (const h of values.header ?? []) {
        const i = h.indexOf('=');
        if (i <= 0) throw new ConfigError(`targets add: --header wants K=V, got '${h}'`);
        headers[h.slice(0, i)] = h.slice(i + 1);
      }
      await targets.put({ name, webhook, headers });
      process.stdout.write(`${name}\n`);
      return 0;
    }
    case 'remove':
      if (name === undefined) throw new ConfigError('targets remove: NAME is required');
      if (!(await targets.remove(name))) {
        process.stderr.write(`tessera targets: no target named ${name}\n`);
        return 1;
      }
      return 0;
    default:
      process.stderr.write(`tessera targets: unknown command '${sub}' (try --help)\n`);
      return 2;
  }
}
