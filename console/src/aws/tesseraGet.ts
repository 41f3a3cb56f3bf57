import { SignatureV4 } from '@smithy/signature-v4';
import type { Clients } from '../session/clients.js';

/** Percent-encoding as SigV4 canonicalizes it (a space is %20, never '+'). */
function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * A signed `GET /{bucket}?…` to one of Tessera's own JSON extensions (the tag listing, the storage figures). Not AWS
 * operations, so no SDK command exists; the request is signed by the SDK's own SigV4 signer with the S3 client's hash
 * and authorized by the server like any S3 request. A refusal is thrown as the server's S3 error (name = code).
 */
export async function tesseraGet<T>(clients: Clients, bucket: string, params: Record<string, string>): Promise<T> {
  const url = new URL(clients.origin);
  const c = clients.credentials;
  const signer = new SignatureV4({
    service: 's3',
    region: c.region,
    credentials: {
      accessKeyId: c.accessKeyId,
      secretAccessKey: c.secretAccessKey,
      ...(c.sessionToken !== undefined && c.sessionToken !== '' ? { sessionToken: c.sessionToken } : {}),
    },
    sha256: clients.s3.config.sha256,
    uriEscapePath: false,
  });
  const path = `/${encodeURIComponent(bucket)}`;
  const signed = await signer.sign({
    method: 'GET',
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port !== '' ? { port: Number(url.port) } : {}),
    path,
    query: params,
    headers: { host: url.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
  });
  const headers = { ...signed.headers } as Record<string, string>;
  delete headers.host;
  const queryString = Object.entries(params)
    .map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`)
    .join('&');
  const response = await fetch(`${clients.origin}${path}?${queryString}`, { headers });
  const text = await response.text();
  if (!response.ok) {
    const doc = new DOMParser().parseFromString(text, 'application/xml');
    const code = doc.querySelector('Code')?.textContent ?? `HTTP ${response.status}`;
    throw Object.assign(new Error(doc.querySelector('Message')?.textContent ?? ''), { name: code });
  }
  return JSON.parse(text) as T;
}
