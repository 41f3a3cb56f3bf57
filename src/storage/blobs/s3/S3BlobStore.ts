import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { BlobStore } from '../../../core/ports/BlobStore.js';
import { parseXml, renderXml, xml } from '../../../xml/codec.js';
import { isBlobId, newBlobId } from '../fs/blobLayout.js';
import { expectOk, S3RemoteError, type S3Bucket } from './S3Bucket.js';
import { S3ReadStream } from './S3ReadStream.js';
import { MIN_PART_SIZE, uploadStream } from './uploadStream.js';

export interface S3BlobStoreOptions {
  readonly bucket: S3Bucket;
  /** Key prefix of everything this store writes: '' or ending in '/'. */
  readonly prefix: string;
  /**
   * Whose staged markers this store lists for crash recovery: one name per node sharing the bucket, the same on
   * every start of that node (openBlobStore keeps it in the data dir). A node never sees another node's staged blobs.
   */
  readonly node: string;
  /** Bytes per part of a multipart upload, and the size up to which a blob is one PUT (default 8 MiB, at least 5). */
  readonly partSize?: number;
}

const EMPTY = Buffer.alloc(0);
/** DeleteObjects takes at most 1,000 keys. */
const DELETE_BATCH = 1000;

/**
 * BlobStore on a bucket of any S3 endpoint (docs/scale-out.md, "Blobs on S3"). Keys under the prefix:
 *   blobs/<id>              the bytes, written once, at their final key (S3 has no rename)
 *   staged/<node>/<id>      an empty marker: the blob is staged (written, not yet published)
 * `write` puts the marker first, then the bytes, and resolves once the remote answered 200 to both; `publish` deletes
 * the marker; `delete` deletes the bytes, then the marker. A crash at any point leaves either a marker (recovery
 * publishes or deletes the blob) or nothing.
 */
export class S3BlobStore implements BlobStore {
  private readonly partSize: number;

  constructor(private readonly options: S3BlobStoreOptions) {
    this.partSize = Math.max(options.partSize ?? 8 * 1024 * 1024, MIN_PART_SIZE);
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(options.node)) throw new Error(`bad blob store node name ${JSON.stringify(options.node)}`);
  }

  async write(source: Readable): Promise<{ blobId: string; size: number }> {
    const blobId = newBlobId();
    // the marker goes out while the first part is gathered; no byte is sent before it is in place
    const marker = this.putMarker(blobId);
    void marker.catch(() => undefined);
    try {
      const size = await uploadStream(this.options.bucket, this.dataKey(blobId), source, this.partSize, marker);
      return { blobId, size };
    } catch (error) {
      await marker.catch(() => undefined);
      await this.delete([blobId]).catch(() => undefined);
      throw error; // unchanged: it may be an S3Error from body verification
    }
  }

  /** A server-side CopyObject to a new key (blobs are at most 5 GiB, CopyObject's limit). */
  async copy(blobId: string): Promise<{ blobId: string; size: number }> {
    const from = this.dataKey(blobId);
    const head = expectOk(await this.options.bucket.send('HEAD', from), `HEAD blob ${blobId}`);
    const size = Number(head.headers['content-length']);
    const target = newBlobId();
    await this.putMarker(target);
    try {
      const res = expectOk(
        await this.options.bucket.send('PUT', this.dataKey(target), { headers: { 'x-amz-copy-source': this.options.bucket.copySource(from) } }),
        `copy blob ${blobId}`,
      );
      // S3 may answer 200 and report a failure in the body
      if (/<Error>/.test(res.body.toString('utf8'))) throw S3RemoteError.of(`copy blob ${blobId}`, 500, res.body);
      return { blobId: target, size };
    } catch (error) {
      await this.delete([target]).catch(() => undefined);
      throw error;
    }
  }

  /** Deleting the markers is all: the bytes are at their final key already. Missing markers are no error. */
  async publish(blobIds: readonly string[]): Promise<void> {
    await this.deleteKeys(blobIds.map((id) => this.markerKey(id)));
  }

  read(blobId: string, range?: { start: number; end: number }): Readable {
    const what = `GET blob ${blobId}`;
    return new S3ReadStream(async () => {
      const key = this.dataKey(blobId);
      const headers = range === undefined ? undefined : { range: `bytes=${range.start}-${range.end}` };
      return this.options.bucket.open('GET', key, headers === undefined ? {} : { headers });
    }, what);
  }

  /** The bytes first, then the markers: a crash in between leaves a marker, which recovery deletes again. */
  async delete(blobIds: readonly string[]): Promise<void> {
    await this.deleteKeys(blobIds.map((id) => this.dataKey(id)));
    await this.deleteKeys(blobIds.map((id) => this.markerKey(id)));
  }

  /**
   * This node's staged blobs only (its own markers), so `stagedBefore` is not needed to spare other nodes' writes in
   * flight: they are under other nodes' names.
   */
  async listStaged(): Promise<string[]> {
    const prefix = this.markerKey('');
    const ids: string[] = [];
    let token: string | undefined;
    do {
      const query = `list-type=2&prefix=${encodeURIComponent(prefix)}${token === undefined ? '' : `&continuation-token=${encodeURIComponent(token)}`}`;
      const res = expectOk(await this.options.bucket.send('GET', '', { query }), 'ListObjectsV2 (staged blobs)');
      const list = parseXml(res.body, 'ListBucketResult', ['ListBucketResult.Contents']);
      for (const entry of xml.children(list, 'Contents')) {
        const id = xml.requiredText(entry, 'Key').slice(prefix.length);
        if (isBlobId(id)) ids.push(id);
      }
      token = xml.text(list, 'IsTruncated') === 'true' ? xml.text(list, 'NextContinuationToken') : undefined;
    } while (token !== undefined);
    return ids;
  }

  close(): Promise<void> {
    this.options.bucket.close();
    return Promise.resolve();
  }

  private async putMarker(blobId: string): Promise<void> {
    expectOk(await this.options.bucket.send('PUT', this.markerKey(blobId), { body: EMPTY }), `PUT staged marker ${blobId}`);
  }

  /** DeleteObjects in batches; keys that are not there are no error (S3 reports none for them). */
  private async deleteKeys(keys: readonly string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
      const batch = keys.slice(i, i + DELETE_BATCH);
      const body = Buffer.from(renderXml('Delete', { Quiet: true, Object: batch.map((key) => ({ Key: key })) }));
      const headers = { 'content-md5': createHash('md5').update(body).digest('base64'), 'content-type': 'application/xml' };
      const res = expectOk(await this.options.bucket.send('POST', '', { query: 'delete=', headers, body }), 'DeleteObjects (blobs)');
      const result = parseXml(res.body, 'DeleteResult', ['DeleteResult.Error']);
      const failed = xml.children(result, 'Error').filter((e) => xml.text(e, 'Code') !== 'NoSuchKey');
      if (failed.length > 0) {
        const first = failed[0]!;
        throw new S3RemoteError(`DeleteObjects: ${xml.text(first, 'Key') ?? '?'}`, 500, xml.text(first, 'Code') ?? 'InternalError', xml.text(first, 'Message') ?? '');
      }
    }
  }

  private dataKey(blobId: string): string {
    return `${this.options.prefix}blobs/${checked(blobId)}`;
  }

  /** The marker of a blob; `''` gives the prefix all of this node's markers share. */
  private markerKey(blobId: string): string {
    return `${this.options.prefix}staged/${this.options.node}/${blobId === '' ? '' : checked(blobId)}`;
  }
}

function checked(blobId: string): string {
  if (!isBlobId(blobId)) throw new Error(`not a blob id: ${JSON.stringify(blobId)}`);
  return blobId;
}
