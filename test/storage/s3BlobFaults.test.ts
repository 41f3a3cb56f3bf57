import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { S3Bucket } from '../../src/storage/blobs/s3/S3Bucket.js';
import { S3BlobStore } from '../../src/storage/blobs/s3/S3BlobStore.js';
import { readAll } from './blobContract.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A stand-in S3 endpoint that answers however the test says (no signature checks): for faults a real one rarely shows. */
async function withRemote(handler: Handler, body: (blobs: S3BlobStore, seen: string[]) => Promise<void>): Promise<void> {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => handler(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const bucket = new S3Bucket({ bucket: 'b', endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } });
  const blobs = new S3BlobStore({ bucket, prefix: '', node: 'n' });
  try {
    await body(blobs, seen);
  } finally {
    await blobs.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const ID = 'a'.repeat(32);

void describe('S3BlobStore against a misbehaving remote', () => {
  void it('a GET whose body stops short of its Content-Length is an error, not a short blob', () =>
    withRemote(
      (_req, res) => {
        res.writeHead(200, { 'content-length': '100' });
        res.write(Buffer.alloc(50));
        setTimeout(() => res.destroy(), 20);
      },
      async (blobs) => {
        await assert.rejects(readAll(blobs.read(ID)), /mid-answer|ended after|aborted|ECONNRESET/);
      },
    ));

  void it('5xx answers are retried, and the write resolves once a PUT answered 200', () => {
    let dataPuts = 0;
    return withRemote(
      (req, res) => {
        if (req.method === 'PUT' && req.url?.includes('/blobs/') === true && ++dataPuts <= 2) {
          res.writeHead(503).end('<Error><Code>SlowDown</Code></Error>');
          return;
        }
        res.writeHead(200).end();
      },
      async (blobs, seen) => {
        const { size } = await blobs.write(Readable.from([Buffer.from('hello')]));
        assert.equal(size, 5);
        assert.equal(seen.filter((s) => s.startsWith('PUT /b/blobs/')).length, 3);
      },
    );
  });

  void it('a remote that keeps failing fails the write, which then tries to leave nothing behind', () =>
    withRemote(
      (req, res) => {
        if (req.method === 'PUT' && req.url?.includes('/blobs/') === true) res.writeHead(403).end('<Error><Code>AccessDenied</Code><Message>no</Message></Error>');
        else if (req.method === 'POST') res.writeHead(200).end('<DeleteResult></DeleteResult>');
        else res.writeHead(200).end();
      },
      async (blobs, seen) => {
        await assert.rejects(blobs.write(Readable.from([Buffer.from('x')])), /AccessDenied \(no\)/);
        assert.deepEqual(
          seen.map((s) => s.replace(/[0-9a-f]{32}/, '<id>')),
          ['PUT /b/staged/n/<id>', 'PUT /b/blobs/<id>', 'POST /b?delete=', 'POST /b?delete='],
        );
      },
    ));

  void it('a CompleteMultipartUpload that answers 200 with an error in its body fails the write', () =>
    withRemote(
      (req, res) => {
        if (req.method === 'POST' && req.url?.includes('uploads=') === true) {
          res.writeHead(200).end('<InitiateMultipartUploadResult><UploadId>u1</UploadId></InitiateMultipartUploadResult>');
        } else if (req.method === 'PUT' && req.url?.includes('partNumber=') === true) {
          res.writeHead(200, { etag: '"e"' }).end();
        } else if (req.method === 'POST' && req.url?.includes('uploadId=u1') === true) {
          res.writeHead(200).end('<Error><Code>InternalError</Code><Message>try again</Message></Error>');
        } else if (req.method === 'POST') {
          res.writeHead(200).end('<DeleteResult></DeleteResult>');
        } else {
          res.writeHead(204).end();
        }
      },
      async (blobs, seen) => {
        const big = Readable.from([Buffer.alloc(9 * 1024 * 1024)]);
        await assert.rejects(blobs.write(big), /InternalError/);
        assert.ok(seen.some((s) => s.startsWith('DELETE ') && s.includes('uploadId=u1')), 'the upload is aborted');
      },
    ));
});
