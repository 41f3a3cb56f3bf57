import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { HttpResponse } from './HttpResponse.js';

/** Write an operation's response. Streams are piped; an error mid-stream destroys the connection (the client sees a short body). */
export async function writeResponse(res: ServerResponse, response: HttpResponse, isHead: boolean): Promise<void> {
  res.statusCode = response.status;
  const headers = response.headers;
  if (headers !== undefined) {
    // for-in over the plain header object: no [name, value] array per header on every response
    for (const name in headers) {
      const value = headers[name];
      if (value !== undefined) res.setHeader(name, typeof value === 'number' ? String(value) : value);
    }
  }
  const body = response.body;
  if (body === undefined) {
    if (!res.hasHeader('content-length') && response.status !== 204 && response.status !== 304) res.setHeader('Content-Length', '0');
    res.end();
    return;
  }
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    if (typeof body === 'string' && !res.hasHeader('content-type')) res.setHeader('Content-Type', 'application/xml');
    res.setHeader('Content-Length', String(Buffer.byteLength(body)));
    res.end(isHead ? undefined : body);
    return;
  }
  if (!res.hasHeader('content-length')) res.setHeader('Content-Length', String(body.length));
  if (isHead) {
    body.stream.destroy();
    res.end();
    return;
  }
  try {
    await pipeline(body.stream, res);
  } catch {
    res.destroy();
  }
}
