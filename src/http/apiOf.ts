/** The APIs served on the one endpoint. */
export type Api = 's3' | 's3-control' | 'iam' | 'sts';

const CONTROL_PREFIX = '/v20180820/';

function scopeService(credential: string | undefined): string | undefined {
  // Credential=<key>/<date>/<region>/<service>/aws4_request
  if (credential === undefined) return undefined;
  const parts = credential.split('/');
  return parts.length >= 5 ? parts[parts.length - 2] : undefined;
}

/**
 * Which API a request is for. Pure; table-tested in test/unit/apiOf.test.ts.
 * - S3 Control (Batch Operations): path `/v20180820/…`, whatever the Host says (SDKs prefix it with the account id).
 * - IAM / STS: requests signed for the `iam` / `sts` service (SigV4 credential scope), AWS query protocol.
 * - everything else is S3.
 */
export function apiOf(rawPath: string, authorization: string | undefined, rawQuery: string): Api {
  if (rawPath.startsWith(CONTROL_PREFIX)) return 's3-control';
  let service: string | undefined;
  if (authorization !== undefined && authorization.startsWith('AWS4-HMAC-SHA256')) {
    service = scopeService(/Credential=([^,\s]+)/.exec(authorization)?.[1]);
  } else if (rawQuery.includes('X-Amz-Credential=')) {
    const m = /(?:^|&)X-Amz-Credential=([^&]+)/.exec(rawQuery);
    if (m?.[1] !== undefined) {
      try {
        service = scopeService(decodeURIComponent(m[1]));
      } catch {
        service = undefined;
      }
    }
  }
  if (service === 'iam') return 'iam';
  if (service === 'sts') return 'sts';
  return 's3';
}
