import type { IncomingMessage } from 'node:http';
import { bucketFromHost } from '../parseRequest.js';

/** Where the console lives on the endpoint. */
export const CONSOLE_PATH = '/console';

/** Whether a request carries SigV4 (header or presigned query): then it is an API call, never a console page. */
function isSigned(req: IncomingMessage, rawQuery: string): boolean {
  if (req.headers.authorization !== undefined) return true;
  return /(?:^|&)(?:X-Amz-Credential|X-Amz-Signature|Signature|AWSAccessKeyId)=/i.test(rawQuery);
}

/**
 * The console file a request asks for, or undefined when the request belongs to the APIs. Pure.
 *
 * `console` is a valid bucket name, so the console takes only what a browser fetches when it opens the console:
 * unsigned GET/HEAD, path-style (not addressed to a bucket by its Host), of `/console`, `/console/`,
 * `/console/index.html` or `/console/assets/…`. A signed request to a bucket named `console` is S3 as always; an
 * anonymous read of the keys `index.html` and `assets/…` of a public bucket named `console` is shadowed
 * (docs/console.md).
 */
/** What the console answers: one of its files, or a redirect from /console to /console/. */
export type ConsoleTarget = { readonly file: string } | { readonly redirect: string };

export function consoleFileOf(req: IncomingMessage, domain: string | undefined): ConsoleTarget | undefined {
  if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (path !== CONSOLE_PATH && !path.startsWith(`${CONSOLE_PATH}/`)) return undefined;
  if (isSigned(req, q < 0 ? '' : url.slice(q + 1))) return undefined;
  if (bucketFromHost(req.headers.host, domain) !== undefined) return undefined;
  if (path === CONSOLE_PATH) return { redirect: `${CONSOLE_PATH}/` };
  const rest = path.slice(CONSOLE_PATH.length + 1);
  if (rest === '' || rest === 'index.html') return { file: 'index.html' };
  if (rest.startsWith('assets/') && /^[A-Za-z0-9._/-]+$/.test(rest) && !rest.includes('..')) return { file: rest };
  return undefined;
}
