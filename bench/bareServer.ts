#!/usr/bin/env node
/**
 * The ceiling: a bare node:http server answering the benchmark's requests with the least possible work, run as a
 * child process exactly like Tessera. It checks no signature and stores nothing but each key's size:
 *   PUT /bucket                 → 200 (CreateBucket)
 *   PUT /bucket/key             → read and drop the body, 200 with an ETag
 *   GET|HEAD /bucket/key        → 200 with a buffer of the size last PUT there, served from memory
 *   PUT /bucket/key?tagging     → read and drop the body, 200
 *   GET /bucket/key?tagging     → a fixed Tagging document with the benchmark's four tags
 * Prints `bare server listening on http://host:port` when ready; exits on SIGTERM/SIGINT.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { taggingDocument } from './workload.js';

const tagging = Buffer.from(taggingDocument());
const lastModified = new Date().toUTCString();
/** Key → size of the body last PUT there. */
const sizes = new Map<string, number>();
/** Size → a zero-filled buffer of that size, made once. */
const buffers = new Map<number, Buffer>();
let etagCounter = 0;

function bufferOf(size: number): Buffer {
  let buffer = buffers.get(size);
  if (buffer === undefined) {
    buffer = Buffer.alloc(size, 0x61);
    buffers.set(size, buffer);
  }
  return buffer;
}

function nextEtag(): string {
  etagCounter += 1;
  return `"${etagCounter.toString(16).padStart(32, '0')}"`;
}

function drain(req: IncomingMessage, done: (bytes: number) => void): void {
  let bytes = 0;
  req.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
  });
  req.on('end', () => done(bytes));
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'Content-Length': '0' });
  res.end();
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const isTagging = q >= 0 && url.slice(q + 1).split('&').some((p) => p === 'tagging' || p.startsWith('tagging='));
  const slash = path.indexOf('/', 1);
  const hasKey = slash > 0 && slash < path.length - 1;
  const method = req.method ?? 'GET';

  if (method === 'PUT') {
    drain(req, (bytes) => {
      if (hasKey && !isTagging) {
        sizes.set(path, bytes);
        res.writeHead(200, { ETag: nextEtag(), 'Content-Length': '0' });
      } else {
        res.writeHead(200, { 'Content-Length': '0' });
      }
      res.end();
    });
    return;
  }
  req.resume();
  if ((method === 'GET' || method === 'HEAD') && hasKey) {
    if (isTagging) {
      res.writeHead(200, { 'Content-Type': 'application/xml', 'Content-Length': String(tagging.length) });
      res.end(method === 'HEAD' ? undefined : tagging);
      return;
    }
    const size = sizes.get(path);
    if (size === undefined) {
      notFound(res);
      return;
    }
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(size),
      ETag: '"00000000000000000000000000000001"',
      'Last-Modified': lastModified,
      'Accept-Ranges': 'bytes',
    });
    res.end(method === 'HEAD' ? undefined : bufferOf(size));
    return;
  }
  res.writeHead(405, { 'Content-Length': '0' });
  res.end();
}

function main(): void {
  const address = process.env.BARE_ADDRESS ?? '127.0.0.1:0';
  const colon = address.lastIndexOf(':');
  const host = address.slice(0, colon);
  const port = Number(address.slice(colon + 1));
  const server = createServer({ keepAlive: true, requestTimeout: 0, headersTimeout: 60_000 }, handle);
  server.keepAliveTimeout = 65_000;
  server.listen(port, host, () => {
    const bound = server.address() as AddressInfo;
    process.stdout.write(`bare server listening on http://${host}:${bound.port}\n`);
  });
  const stop = (): void => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main();
