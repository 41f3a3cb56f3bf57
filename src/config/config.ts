import { isAbsolute, resolve as resolvePath } from 'node:path';
import { MAX_TRACKED_TAG_KEYS, parseTrackedTagKeys } from '../core/stats/trackedTagKeys.js';
import { parseBlobSettings, type S3BlobSettings } from './blobSettings.js';

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
  /** An S3 bucket the primary blob store keeps object bytes in (docs/scale-out.md); undefined → `<dataDir>/blobs`. */
  readonly blobStore?: S3BlobSettings | undefined;
  /** Where lifecycle transitions move object bytes; undefined → `<dataDir>/tier`. */
  readonly tierDir?: string | undefined;
  /** The length of a lifecycle day in seconds (a test clock); undefined → a real day. */
  readonly lifecycleDaySeconds?: number | undefined;
  /** The Prometheus export (docs/metrics.md); undefined → off. */
  readonly metrics?: MetricsSettings | undefined;
  /** The audit log (docs/audit-log.md); undefined → off. */
  readonly auditLog?: AuditLogConfig | undefined;
  /** The tag keys whose values storage figures are kept for (docs/metrics.md); undefined or empty → none. */
  readonly metricsTagKeys?: readonly string[] | undefined;
  /** Whether the web console is served under /console (docs/console.md); undefined → on. */
  readonly console?: boolean | undefined;
  /** Where the metadata lives: a postgres:// URL (docs/scale-out.md); undefined → SQLite in the data dir. */
  readonly metadataUrl?: string | undefined;
  /**
   * How long a batch job's lease lasts unless renewed, in seconds (BatchJobWorker.leaseMs): how soon another node
   * takes over the job of a node that died; undefined → 30 s.
   */
  readonly batchLeaseSeconds?: number | undefined;
}

export interface MetricsSettings {
  /** A listener of its own for `/metrics`; undefined → `/_tessera/metrics` on the S3 port. */
  readonly address: { readonly host: string; readonly port: number } | undefined;
  /** A bearer token scrapes must send; undefined → none. */
  readonly token: string | undefined;
}

export interface AuditLogConfig {
  /** `stdout` or a file path (written as `<name>.1.<ext>`, `<name>.2.<ext>`, … as it rotates). */
  readonly target: string;
  /** Rotation size: megabytes, or a number with a k, m or g suffix. */
  readonly maxSize: string;
  /** Rotated files kept besides the current one; undefined → all. */
  readonly keep: number | undefined;
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
  'blob-url': { env: 'TESSERA_BLOB_URL', help: 's3://<bucket>[/<prefix>]: keep object data in an S3 bucket (default: <data-dir>/blobs)', default: undefined },
  'blob-endpoint': { env: 'TESSERA_BLOB_ENDPOINT', help: 'S3 endpoint of the blob bucket, e.g. http://127.0.0.1:9100 (default: AWS)', default: undefined },
  'blob-region': { env: 'TESSERA_BLOB_REGION', help: 'region of the blob bucket', default: 'us-east-1' },
  'blob-access-key-id': { env: 'TESSERA_BLOB_ACCESS_KEY_ID', help: 'access key id for the blob bucket (default: AWS_ACCESS_KEY_ID)', default: undefined },
  'blob-secret-access-key': {
    env: 'TESSERA_BLOB_SECRET_ACCESS_KEY',
    help: 'secret access key for the blob bucket (default: AWS_SECRET_ACCESS_KEY)',
    default: undefined,
  },
  'lifecycle-day-seconds': {
    env: 'TESSERA_LIFECYCLE_DAY_SECONDS',
    help: 'length of a lifecycle day in seconds, for testing rules (default: a real day)',
    default: undefined,
  },
  metrics: { env: 'TESSERA_METRICS', help: 'on|off: the Prometheus metrics export', default: 'on' },
  'metrics-address': {
    env: 'TESSERA_METRICS_ADDRESS',
    help: 'host:port of a separate listener serving /metrics (default: /_tessera/metrics on the S3 port)',
    default: undefined,
  },
  'metrics-token': { env: 'TESSERA_METRICS_TOKEN', help: 'bearer token a metrics scrape must send (default: none)', default: undefined },
  'audit-log': { env: 'TESSERA_AUDIT_LOG', help: 'audit log file path, or stdout (default: no audit log)', default: undefined },
  'audit-log-max-size': { env: 'TESSERA_AUDIT_LOG_MAX_SIZE', help: 'rotate the audit log at this size (e.g. 100m, 512k, 1g)', default: '100m' },
  'audit-log-keep': { env: 'TESSERA_AUDIT_LOG_KEEP', help: 'rotated audit log files to keep (default: all)', default: undefined },
  'metrics-tag-keys': {
    env: 'TESSERA_METRICS_TAG_KEYS',
    help: `comma-separated tag keys to keep object and byte counts per value of (at most ${MAX_TRACKED_TAG_KEYS})`,
    default: undefined,
  },
  console: { env: 'TESSERA_CONSOLE', help: 'on|off: serve the web console under /console', default: 'on' },
  'metadata-url': {
    env: 'TESSERA_METADATA_URL',
    help: 'postgres://user:password@host:port/db to keep the metadata in PostgreSQL (default: SQLite in the data dir)',
    default: undefined,
  },
  'batch-lease-seconds': {
    env: 'TESSERA_BATCH_LEASE_SECONDS',
    help: "seconds a batch job's lease lasts unless renewed: how soon another node takes over a dead node's job (default: 30)",
    default: undefined,
  },
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
  let blobStore: S3BlobSettings | undefined;
  try {
    blobStore = parseBlobSettings({
      url: get('blob-url'),
      endpoint: get('blob-endpoint'),
      region: get('blob-region'),
      accessKeyId: get('blob-access-key-id'),
      secretAccessKey: get('blob-secret-access-key'),
      awsEnv: env,
    });
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  const daySecondsRaw = get('lifecycle-day-seconds');
  const lifecycleDaySeconds = daySecondsRaw === undefined ? undefined : Number(daySecondsRaw);
  if (lifecycleDaySeconds !== undefined && !(Number.isInteger(lifecycleDaySeconds) && lifecycleDaySeconds >= 1 && lifecycleDaySeconds <= 86_400)) {
    throw new ConfigError(`invalid TESSERA_LIFECYCLE_DAY_SECONDS '${daySecondsRaw}': expected a whole number of seconds from 1 to 86400`);
  }
  const metricsSwitch = get('metrics') as string;
  if (metricsSwitch !== 'on' && metricsSwitch !== 'off') throw new ConfigError(`invalid TESSERA_METRICS '${metricsSwitch}': expected on or off`);
  const metricsAddress = get('metrics-address');
  const metricsToken = get('metrics-token');
  const metrics = metricsSwitch === 'off' ? undefined : { address: metricsAddress === undefined ? undefined : parseAddress(metricsAddress), token: metricsToken };
  const auditTarget = get('audit-log');
  const maxSize = get('audit-log-max-size') as string;
  if (!/^[1-9]\d{0,6}[kmg]?$/i.test(maxSize)) throw new ConfigError(`invalid TESSERA_AUDIT_LOG_MAX_SIZE '${maxSize}': expected a size such as 100m, 512k or 1g`);
  const keepRaw = get('audit-log-keep');
  const keep = keepRaw === undefined ? undefined : Number(keepRaw);
  if (keep !== undefined && !(Number.isInteger(keep) && keep >= 1 && keep <= 100_000)) {
    throw new ConfigError(`invalid TESSERA_AUDIT_LOG_KEEP '${keepRaw}': expected a whole number from 1`);
  }
  const auditLog =
    auditTarget === undefined
      ? undefined
      : { target: auditTarget === 'stdout' || isAbsolute(auditTarget) ? auditTarget : resolvePath(cwd, auditTarget), maxSize: maxSize.toLowerCase(), keep };
  const tagKeysRaw = get('metrics-tag-keys');
  let metricsTagKeys: string[] = [];
  if (tagKeysRaw !== undefined) {
    try {
      metricsTagKeys = parseTrackedTagKeys(tagKeysRaw);
    } catch (error) {
      throw new ConfigError(`invalid TESSERA_METRICS_TAG_KEYS: ${(error as Error).message}`);
    }
  }
  const consoleSetting = get('console') as string;
  if (consoleSetting !== 'on' && consoleSetting !== 'off') throw new ConfigError(`invalid TESSERA_CONSOLE '${consoleSetting}': expected on or off`);
  const metadataUrl = get('metadata-url');
  if (metadataUrl !== undefined && !/^postgres(ql)?:\/\/./.test(metadataUrl)) {
    throw new ConfigError(`invalid TESSERA_METADATA_URL: expected postgres://user:password@host:port/database`);
  }
  const leaseRaw = get('batch-lease-seconds');
  const batchLeaseSeconds = leaseRaw === undefined ? undefined : Number(leaseRaw);
  if (batchLeaseSeconds !== undefined && !(Number.isInteger(batchLeaseSeconds) && batchLeaseSeconds >= 1 && batchLeaseSeconds <= 3_600)) {
    throw new ConfigError(`invalid TESSERA_BATCH_LEASE_SECONDS '${leaseRaw}': expected a whole number of seconds from 1 to 3600`);
  }
  return {
    metadataUrl,
    batchLeaseSeconds,
    metrics,
    auditLog,
    host,
    port,
    dataDir,
    console: consoleSetting === 'on',
    tierDir,
    blobStore,
    lifecycleDaySeconds,
    metricsTagKeys,
    region,
    domain,
    rootAccessKeyId,
    rootSecretAccessKey,
    accountId,
    rootDisplayName: get('root-display-name') as string,
    logLevel: logLevel as TesseraConfig['logLevel'],
  };
}
