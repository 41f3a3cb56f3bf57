import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { STSClient } from '@aws-sdk/client-sts';
import type { Credentials } from './Credentials.js';

/** The SDK clients the console calls with, every request signed in the browser with the user's own key. */
export interface Clients {
  readonly s3: S3Client;
  readonly control: S3ControlClient;
  readonly iam: IAMClient;
  readonly sts: STSClient;
  /** The endpoint every client talks to: the origin the console was served from. */
  readonly origin: string;
  readonly credentials: Credentials;
}

function sdkCredentials(c: Credentials): { accessKeyId: string; secretAccessKey: string; sessionToken?: string } {
  return c.sessionToken === undefined || c.sessionToken === ''
    ? { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey }
    : { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken };
}

/**
 * Clients for the console's own origin. S3 is path-style; S3 Control's endpoint rules would put the account id in
 * front of the host, so its endpoint provider returns the origin as is (Tessera routes /v20180820/ by path); IAM and
 * STS are served on the same endpoint, told apart by the service the request is signed for.
 */
export function createClients(credentials: Credentials, origin: string): Clients {
  const common = { region: credentials.region, credentials: sdkCredentials(credentials) };
  return {
    s3: new S3Client({
      ...common,
      endpoint: origin,
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
    control: new S3ControlClient({ ...common, endpointProvider: () => ({ url: new URL(`${origin}/`) }) }),
    iam: new IAMClient({ ...common, endpoint: origin }),
    sts: new STSClient({ ...common, endpoint: origin }),
    origin,
    credentials,
  };
}
