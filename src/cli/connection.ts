import type { SigningCredentials } from '../remote/signedRequest.js';

/** Where the client commands (`tessera jobs`, `tessera lifecycle`) send their signed requests, and as whom. */
export interface CliConnection {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: SigningCredentials;
}

/**
 * The connection from the flags (--endpoint, --region, --access-key-id, --secret-access-key), else the environment
 * (TESSERA_ENDPOINT, AWS_REGION, AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN); undefined when no credentials are set.
 */
export function cliConnection(
  flags: {
    readonly endpoint?: string | undefined;
    readonly region?: string | undefined;
    readonly 'access-key-id'?: string | undefined;
    readonly 'secret-access-key'?: string | undefined;
  },
  env: Readonly<Record<string, string | undefined>>,
): CliConnection | undefined {
  const accessKeyId = flags['access-key-id'] ?? env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = flags['secret-access-key'] ?? env.AWS_SECRET_ACCESS_KEY;
  if (accessKeyId === undefined || secretAccessKey === undefined) return undefined;
  return {
    endpoint: (flags.endpoint ?? env.TESSERA_ENDPOINT ?? 'http://127.0.0.1:9000').replace(/\/+$/, ''),
    region: flags.region ?? env.AWS_REGION ?? 'us-east-1',
    credentials: { accessKeyId, secretAccessKey, ...(env.AWS_SESSION_TOKEN !== undefined ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) },
  };
}
