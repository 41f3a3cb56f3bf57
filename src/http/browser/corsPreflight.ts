import type { IncomingMessage } from 'node:http';

/** Methods and headers the console's own origin may use across origins (e.g. when reached through another host name). */
const ALLOWED_METHODS = 'GET, PUT, POST, DELETE, HEAD';
const MAX_AGE_SECONDS = '600';

export type PreflightAnswer =
  | { readonly kind: 'allow'; readonly headers: Readonly<Record<string, string>> }
  | { readonly kind: 'refuse' };

/**
 * The answer to a CORS preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`), or undefined when
 * the request is not one. Pure. Only the server's own origin — the one whose host is this request's Host, which is
 * where the console is served — is granted; Tessera has no bucket CORS configuration, so every other origin is
 * refused (S3's 403 "CORSResponse").
 */
export function preflightAnswer(req: IncomingMessage): PreflightAnswer | undefined {
  if (req.method !== 'OPTIONS') return undefined;
  const origin = req.headers.origin;
  const method = req.headers['access-control-request-method'];
  if (origin === undefined || method === undefined) return undefined;
  let originHost: string;
  try {
    const parsed = new URL(origin);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { kind: 'refuse' };
    originHost = parsed.host;
  } catch {
    return { kind: 'refuse' };
  }
  const host = req.headers.host;
  if (host === undefined || originHost.toLowerCase() !== host.toLowerCase()) return { kind: 'refuse' };
  if (!ALLOWED_METHODS.split(', ').includes(method.toUpperCase())) return { kind: 'refuse' };
  const requested = req.headers['access-control-request-headers'];
  return {
    kind: 'allow',
    headers: {
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Allow-Methods': ALLOWED_METHODS,
      ...(requested !== undefined && requested !== '' ? { 'Access-Control-Allow-Headers': requested } : {}),
      'Access-Control-Expose-Headers': 'ETag, x-amz-request-id, x-amz-version-id, x-amz-delete-marker, Content-Length, Content-Type',
      'Access-Control-Max-Age': MAX_AGE_SECONDS,
      Vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
    },
  };
}
