import { isAbsolute, resolve as resolvePath } from 'node:path';

/** Everything the server is configured with. One schema; see loadConfig for where each value comes from. */
export interface TesseraConfig {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly region: string;
  /** Base domain for virtual-host-style addressing; undefined → path-style only. */
  readonly domain: string | undefined;
  /** Root credentials; undefined → read from or generated into the data dir at start. */
  readonly rootAccessKeyId: string | undefined;
  readonly rootSecretAccessKey: string | undefined;
  /** The root account's 12-digit id. */
  readonly accountId: string;
  readonly rootDisplayName: string;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Where lifecycle transitions move object bytes; undefined → `<dataDir>/tier`. */
  readonly tierDir?: string | undefined;
  /** The length of a lifecycle day in seconds (a test clock); undefined → a real day. */
  readonly lifecycleDaySeconds?: number | undefined;
  /** Whether the web console is served under /console (docs/console.md); undefined → on. */
  readonly console?: boolean | undefined;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Command-line flags accepted by `tessera server`, each mirroring an environment variable. */
export const CONFIG_FLAGS = {
  address: { env: 'TESSERA_ADDRESS', help: 'host:port to listen on', default: '127.0.0.1:9000' },
  'data-dir': { env: 'TESSERA_DATA_DIR', help: 'directory for objects and metadata', default: './data' },
  region: { env: 'TESSERA_REGION', help: 'region the server answers as', default: 'us-east-1' },
  domain: { env: 'TESSERA_DOMAIN', help: 'base domain for virtual-host-style bucket addressing', default: undefined },
  'root-access-key-id': { env: 'TESSERA_ROOT_ACCESS_KEY_ID', help: 'root access key id (generated if unset)', default: undefined },
  'root-secret-access-key': { env: 'TESSERA_ROOT_SECRET_ACCESS_KEY', help: 'root secret access key (generated if unset)', default: undefined },
  'account-id': { env: 'TESSERA_ACCOUNT_ID', help: '12-digit id of the root account', default: '000000000000' },
  'root-display-name': { env: 'TESSERA_ROOT_DISPLAY_NAME', help: 'display name of the root account', default: 'tessera' },
  'log-level': { env: 'TESSERA_LOG_LEVEL', help: 'fatal|error|warn|info|debug|trace|silent', default: 'info' },
  'tier-dir': { env: 'TESSERA_TIER_DIR', help: 'directory lifecycle transitions move object data to (default: <data-dir>/tier)', default: undefined },
  'lifecycle-day-seconds': {
    env: 'TESSERA_LIFECYCLE_DAY_SECONDS',
    help: 'length of a lifecycle day in seconds, for testing rules (default: a real day)',
    default: undefined,
  },
  console: { env: 'TESSERA_CONSOLE', help: 'on|off: serve the web console under /console', default: 'on' },
} as const;

export type ConfigFlag = keyof typeof CONFIG_FLAGS;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function parseAddress(value: string): { host: string; port: number } {
  const m = /^(\[[0-9a-fA-F:]+\]|[^:]+):(\d{1,5})$/.exec(value);
  if (!m) throw new ConfigError(`invalid address '${value}': expected host:port`);
  const port = Number(m[2]);
  if (port > 65535) throw new ConfigError(`invalid address '${value}': port out of range`);
  const host = (m[1] as string).replace(/^\[|\]$/g, '');
  return { host, port };
}

/**
 * Build the configuration from flags (highest precedence), then environment, then defaults. Pure: the caller passes
 * the flag values and the environment. Throws ConfigError with a one-line message on bad values.
 */
export function loadConfig(
  flags: Partial<Record<ConfigFlag, string>>,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): TesseraConfig {
  const get = (name: ConfigFlag): string | undefined => {
    const fromFlag = flags[name];
    if (fromFlag !== undefined) return fromFlag;
    const fromEnv = env[CONFIG_FLAGS[name].env];
    if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
    return CONFIG_FLAGS[name].default;
  };
  const { host, port } = parseAddress(get('address') as string);
  const dataDirRaw = get('data-dir') as string;
  const dataDir = isAbsolute(dataDirRaw) ? dataDirRaw : resolvePath(cwd, dataDirRaw);
  const region = get('region') as string;
  if (!/^[a-z0-9-]{1,64}$/.test(region)) throw new ConfigError(`invalid region '${region}'`);
  const domain = get('domain');
  if (domain !== undefined && !/^[a-z0-9.-]+$/i.test(domain)) throw new ConfigError(`invalid domain '${domain}'`);
  const rootAccessKeyId = get('root-access-key-id');
  const rootSecretAccessKey = get('root-secret-access-key');
  if ((rootAccessKeyId === undefined) !== (rootSecretAccessKey === undefined)) {
    throw new ConfigError('TESSERA_ROOT_ACCESS_KEY_ID and TESSERA_ROOT_SECRET_ACCESS_KEY must be set together');
  }
  if (rootAccessKeyId !== undefined && !/^[A-Za-z0-9]{3,128}$/.test(rootAccessKeyId)) {
    throw new ConfigError('root access key id must be 3-128 letters and digits');
  }
  if (rootSecretAccessKey !== undefined && rootSecretAccessKey.length < 8) {
    throw new ConfigError('root secret access key must be at least 8 characters');
  }
  const accountId = get('account-id') as string;
  if (!/^\d{12}$/.test(accountId)) throw new ConfigError(`invalid account id '${accountId}': expected 12 digits`);
  const logLevel = get('log-level') as string;
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) throw new ConfigError(`invalid log level '${logLevel}'`);
  const tierDirRaw = get('tier-dir');
  const tierDir = tierDirRaw === undefined ? undefined : isAbsolute(tierDirRaw) ? tierDirRaw : resolvePath(cwd, tierDirRaw);
  const daySecondsRaw = get('lifecycle-day-seconds');
  const lifecycleDaySeconds = daySecondsRaw === undefined ? undefined : Number(daySecondsRaw);
  if (lifecycleDaySeconds !== undefined && !(Number.isInteger(lifecycleDaySeconds) && lifecycleDaySeconds >= 1 && lifecycleDaySeconds <= 86_400)) {
    throw new ConfigError(`invalid TESSERA_LIFECYCLE_DAY_SECONDS '${daySecondsRaw}': expected a whole number of seconds from 1 to 86400`);
  }
  const consoleSetting = get('console') as string;
  if (consoleSetting !== 'on' && consoleSetting !== 'off') throw new ConfigError(`invalid TESSERA_CONSOLE '${consoleSetting}': expected on or off`);
  return {
    host,
    port,
    dataDir,
    console: consoleSetting === 'on',
    tierDir,
    lifecycleDaySeconds,
    region,
    domain,
    rootAccessKeyId,
    rootSecretAccessKey,
    accountId,
    rootDisplayName: get('root-display-name') as string,
    logLevel: logLevel as TesseraConfig['logLevel'],
  };
}
