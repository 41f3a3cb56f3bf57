import { parseArgs } from 'node:util';
import { ConfigError } from '../config/config.js';
import { dataDirOf } from './dataDir.js';
import { FileRemoteDirectory } from '../storage/remotes/FileRemoteDirectory.js';

const USAGE = `Usage:
  tessera remotes add NAME --endpoint URL --access-key-id ID --secret-access-key SECRET [--region REGION] [--data-dir DIR]
  tessera remotes list [--data-dir DIR]
  tessera remotes remove NAME [--data-dir DIR]

Registers an S3 endpoint (another Tessera, or any S3 service) that bucket replication can write to. Kept in the data
dir (remotes.json, mode 0600); the server reads it on every delivery, so no restart is needed.
`;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

export async function runRemotesCommand(args: readonly string[], env: Readonly<Record<string, string | undefined>>, cwd: string): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: [...rest],
    allowPositionals: true,
    options: {
      endpoint: { type: 'string' },
      'access-key-id': { type: 'string' },
      'secret-access-key': { type: 'string' },
      region: { type: 'string' },
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
  const remotes = new FileRemoteDirectory(dataDir);
  const name = positionals[0];
  switch (sub) {
    case 'list':
      for (const r of await remotes.list()) process.stdout.write(`${JSON.stringify({ name: r.name, endpoint: r.endpoint, region: r.region, accessKeyId: r.accessKeyId })}\n`);
      return 0;
    case 'add': {
      if (name === undefined || !NAME.test(name)) throw new ConfigError('remotes add: NAME is required (letters, digits, . _ -)');
      const endpoint = values.endpoint;
      if (endpoint === undefined || !/^https?:\/\/[^/\s]+\/?$/.test(endpoint)) throw new ConfigError('remotes add: --endpoint http(s)://host[:port] is required');
      const accessKeyId = values['access-key-id'];
      const secretAccessKey = values['secret-access-key'];
      if (accessKeyId === undefined || secretAccessKey === undefined) throw new ConfigError('remotes add: --access-key-id and --secret-access-key are required');
      await remotes.put({ name, endpoint: endpoint.replace(/\/+$/, ''), region: values.region ?? 'us-east-1', accessKeyId, secretAccessKey });
      process.stdout.write(`${name}\n`);
      return 0;
    }
    case 'remove':
      if (name === undefined) throw new ConfigError('remotes remove: NAME is required');
      if (!(await remotes.remove(name))) {
        process.stderr.write(`tessera remotes: no remote named ${name}\n`);
        return 1;
      }
      return 0;
    default:
      process.stderr.write(`tessera remotes: unknown command '${sub}' (try --help)\n`);
      return 2;
  }
}
