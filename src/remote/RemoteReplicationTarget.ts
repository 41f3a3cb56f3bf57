import { createHash } from 'node:crypto';
import type { Remote } from '../core/ports/RemoteDirectory.js';
import type { ReplicaObject, ReplicationTarget } from '../core/ports/ReplicationTarget.js';
import type { Tag } from '../core/tags/Tag.js';
import { renderXml } from '../xml/codec.js';
import { sendSigned, type SignedRequest, type SignedResponse } from './signedRequest.js';

/** The header a Tessera destination keeps the source version id from (see s3/operations/object/replicaHeader.ts). */
const REPLICA_VERSION_HEADER = 'x-tessera-replica-version-id';

/** S3's URI encoding of a key in a path (every byte but unreserved characters and '/'). */
export function encodeKeyPath(key: string): string {
  return key
    .split('/')
    .map((s) => encodeURIComponent(s).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}

function tagQuery(tags: readonly Tag[]): string {
  return tags.map((t) => `${encodeURIComponent(t.key)}=${encodeURIComponent(t.value)}`).join('&');
}

/** Writes replicas to a bucket of a registered remote, over SigV4-signed S3 requests. */
export class RemoteReplicationTarget implements ReplicationTarget {
  readonly label: string;

  constructor(private readonly remote: Remote) {
    this.label = `remote ${remote.name}`;
  }

  async putReplica(replica: ReplicaObject): Promise<void> {
    const headers: Record<string, string> = {
      [REPLICA_VERSION_HEADER]: replica.versionId,
      'x-tessera-replica-last-modified': replica.lastModified.toUTCString(),
      'x-tessera-replica-etag': replica.etag,
      'x-amz-storage-class': replica.storageClass,
    };
    const c = replica.contentHeaders;
    if (c.contentType !== undefined) headers['content-type'] = c.contentType;
    if (c.contentEncoding !== undefined) headers['content-encoding'] = c.contentEncoding;
    if (c.contentDisposition !== undefined) headers['content-disposition'] = c.contentDisposition;
    if (c.contentLanguage !== undefined) headers['content-language'] = c.contentLanguage;
    if (c.cacheControl !== undefined) headers['cache-control'] = c.cacheControl;
    if (c.expires !== undefined) headers.expires = c.expires;
    for (const [name, value] of Object.entries(replica.userMetadata)) headers[`x-amz-meta-${name}`] = value;
    if (replica.tags.length > 0) headers['x-amz-tagging'] = tagQuery(replica.tags);
    const res = await this.send('PUT', replica.bucket, replica.key, '', headers, { stream: replica.body, length: replica.size });
    check(res, `PUT ${replica.bucket}/${replica.key}`);
  }

  async putReplicaTags(bucket: string, key: string, versionId: string, tags: readonly Tag[]): Promise<void> {
    const query = `tagging=&versionId=${encodeURIComponent(versionId)}`;
    let res: SignedResponse;
    if (tags.length === 0) {
      res = await this.send('DELETE', bucket, key, query, {});
    } else {
      const body = Buffer.from(renderXml('Tagging', { TagSet: { Tag: tags.map((t) => ({ Key: t.key, Value: t.value })) } }));
      res = await this.send('PUT', bucket, key, query, { 'content-md5': createHash('md5').update(body).digest('base64') }, body);
    }
    // the destination does not hold this version (a rule's tag filter kept it from there): nothing to update
    if (res.status === 404 && /<Code>(NoSuchVersion|NoSuchKey)<\/Code>/.test(res.body.toString('utf8'))) return;
    check(res, `${tags.length === 0 ? 'DELETE' : 'PUT'} ${bucket}/${key}?tagging`);
  }

  async putReplicaDeleteMarker(bucket: string, key: string, versionId: string): Promise<void> {
    check(await this.send('DELETE', bucket, key, '', { [REPLICA_VERSION_HEADER]: versionId }), `DELETE ${bucket}/${key}`);
  }

  private send(
    method: string,
    bucket: string,
    key: string,
    query: string,
    headers: Record<string, string>,
    body?: SignedRequest['body'],
  ): Promise<SignedResponse> {
    return sendSigned(this.remote.endpoint, this.remote.region, this.remote, {
      method,
      path: `/${encodeURIComponent(bucket)}/${encodeKeyPath(key)}`,
      query,
      headers,
      ...(body === undefined ? {} : { body }),
    });
  }
}

function check(res: SignedResponse, what: string): void {
  if (res.status >= 200 && res.status < 300) return;
  const text = res.body.toString('utf8');
  const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? `HTTP ${res.status}`;
  const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? '';
  throw new Error(`${what}: ${code}${message === '' ? '' : ` (${message})`}`);
}
