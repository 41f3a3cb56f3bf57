import { randomBytes } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { S3Error, isS3Error } from '../errors/S3Error.js';
import { apiOf, type Api } from './apiOf.js';
import type { FrontDoor } from './browser/browserFront.js';
import type { RenderErrorBody } from './ErrorBody.js';
import { newRequestId, parseRequest, type AddressingSettings } from './parseRequest.js';
import type { S3Request } from './S3Request.js';

/** This process's part of every x-amz-id-2 (AWS's "extended request id", an opaque token). */
const HOST_ID = randomBytes(16);

/** x-amz-id-2 from the request id and the host part: unique per request without drawing random bytes each time. */
function extendedRequestId(requestId: string): string {
  return Buffer.concat([Buffer.from(requestId, 'latin1'), HOST_ID]).toString('base64');
}

export type RequestHandler = (req: S3Request, res: ServerResponse) => Promise<void>;

/** One handler per API served on the endpoint (see apiOf.ts). */
export type ApiHandlers = Readonly<Record<Api, RequestHandler>>;

/**
 * The HTTP server: request ids and common headers, then the request goes to its API's handler — S3 (with
 * path-style or virtual-host addressing), S3 Control, IAM or STS. A request that cannot be parsed is answered with
 * `renderError` (S3's <Error> body).
 */
export function createHttpServer(
  settings: AddressingSettings,
  handlers: ApiHandlers,
  log: Logger,
  renderError: RenderErrorBody,
  front?: FrontDoor,
): Server {
  const server = createServer({ keepAlive: true, requestTimeout: 0, headersTimeout: 60_000 }, (stream, res) => {
    const id = newRequestId();
    res.setHeader('x-amz-request-id', id);
    res.setHeader('x-amz-id-2', extendedRequestId(id));
    res.setHeader('Server', 'Tessera');
    if (front?.(stream, res, id) === true) return;
    const url = stream.url ?? '/';
    const q = url.indexOf('?');
    const api = apiOf(q < 0 ? url : url.slice(0, q), stream.headers.authorization, q < 0 ? '' : url.slice(q + 1));
    let req: S3Request;
    try {
      // only S3 addresses buckets by host name; the other APIs are reached by path whatever the Host says
      req = parseRequest(stream, api === 's3' ? settings : { domain: undefined }, id, false);
    } catch (err) {
      const error = isS3Error(err) ? err : new S3Error('InternalError');
      const body = renderError(error, url, id, '');
      res.statusCode = error.status;
      res.setHeader('Content-Type', 'application/xml');
      res.setHeader('Connection', 'close');
      res.end(body);
      stream.resume();
      return;
    }
    handlers[api](req, res).catch((err: unknown) => {
      log.error({ err }, 'unhandled error in request handler');
      res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  return server;
}
