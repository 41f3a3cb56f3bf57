import { SignatureV4 } from '@smithy/signature-v4';
import type { Clients } from '../session/clients.js';

/** Percent-encoding as SigV4 canonicalizes it (a space is %20, never '+'). */
function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export interface TaggedObject {
  readonly key: string;
  readonly versionId: string;
  readonly size: number;
  readonly lastModified: string;
  readonly tags: readonly { key: string; value: string }[];
}

export interface TaggedPage {
  readonly objects: readonly TaggedObject[];
  readonly next?: string;
}

/**
 * Tessera's tag filter, `GET /{bucket}?tessera-tags=objects&tag-key=…&tag-value=…` (docs/console.md): the current
 * objects carrying a tag, through the server's tag index. Not an AWS operation, so no SDK command exists; the request
 * is signed by the SDK's own SigV4 signer with the S3 client's hash, and authorized like ListObjects (s3:ListBucket).
 */
export async function listTaggedObjects(
  clients: Clients,
  bucket: string,
  query: { key: string; value: string; prefix: string; after?: string; maxKeys: number },
): Promise<TaggedPage> {
  const url = new URL(clients.origin);
  const params: Record<string, string> = {
    'tessera-tags': 'objects',
    'tag-key': query.key,
    'tag-value': query.value,
    prefix: query.prefix,
    'max-keys': String(query.maxKeys),
    ...(query.after !== undefined ? { after: query.after } : {}),
  };
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
  return JSON.parse(text) as TaggedPage;
}
