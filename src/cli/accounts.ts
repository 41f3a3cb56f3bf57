import { parseArgs } from 'node:util';
import { ConfigError } from '../config/config.js';
import { dataDirOf } from './dataDir.js';
import { newAccessKeyId, newSecretAccessKey } from '../config/rootCredentials.js';
import { canonicalIdOf } from '../core/identity/canonicalId.js';
import { openMetadataBackend } from '../storage/openMetadataBackend.js';

const USAGE = `Usage:
  tessera accounts create --name NAME [--account-id 12DIGITS] [--access-key-id ID --secret-access-key SECRET] [--data-dir DIR]
  tessera accounts list [--data-dir DIR]

Creates an account with its own buckets and a root access key, printed as JSON. Works while the server runs. With
TESSERA_METADATA_URL set (PostgreSQL), it works on that database instead of the data dir's.
`;

function randomAccountId(): string {
  let id = '';
  for (let i = 0; i < 12; i++) id += String(Math.floor(Math.random() * 10));
  return id.startsWith('0') ? '1' + id.slice(1) : id;
}

export async function runAccountsCommand(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): Promise<number> {
  const [sub, ...rest] = args;
  const { values } = parseArgs({
    args: [...rest],
    options: {
      name: { type: 'string' },
      'account-id': { type: 'string' },
      'access-key-id': { type: 'string' },
      'secret-access-key': { type: 'string' },
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
  const metadataUrl = env.TESSERA_METADATA_URL === '' ? undefined : env.TESSERA_METADATA_URL;
  const backend = await openMetadataBackend({ dataDir, metadataUrl });
  const metadata = backend.metadata;
  try {
    if (sub === 'list') {
      for (const account of await metadata.listAccounts()) {
        process.stdout.write(JSON.stringify({ accountId: account.id, name: account.displayName, canonicalId: account.canonicalId }) + '\n');
      }
      return 0;
    }
    if (sub !== 'create') throw new ConfigError(`unknown accounts command '${sub}'`);
    const name = values.name;
    if (name === undefined || !/^[\w+=,.@-]{1,64}$/.test(name)) throw new ConfigError('--name is required (1-64 of letters, digits, +=,.@_-)');
    const accountId = values['account-id'] ?? randomAccountId();
    if (!/^\d{12}$/.test(accountId)) throw new ConfigError(`invalid account id '${accountId}': expected 12 digits`);
    const accessKeyId = values['access-key-id'] ?? newAccessKeyId();
    const secretAccessKey = values['secret-access-key'] ?? newSecretAccessKey();
    if ((values['access-key-id'] === undefined) !== (values['secret-access-key'] === undefined)) {
      throw new ConfigError('--access-key-id and --secret-access-key go together');
    }
    const now = new Date();
    const created = await metadata.createAccount({ id: accountId, canonicalId: canonicalIdOf(accountId), displayName: name, createdAt: now });
    if (created === 'exists') throw new ConfigError(`account ${accountId} already exists`);
    if (await metadata.getAccessKey(accessKeyId)) throw new ConfigError(`access key ${accessKeyId} already exists`);
    await metadata.putAccessKey({ accessKeyId, secretAccessKey, accountId, status: 'Active', createdAt: now });
    process.stdout.write(
      JSON.stringify({ accountId, name, canonicalId: canonicalIdOf(accountId), accessKeyId, secretAccessKey }, null, 2) + '\n',
    );
    return 0;
  } finally {
    await backend.close();
  }
}
