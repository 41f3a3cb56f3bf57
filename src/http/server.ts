import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { S3Error, isS3Error } from '../errors/S3Error.js';
import { apiOf, type Api } from './apiOf.js';
import type { FrontDoor } from './FrontDoor.js';
import type { RenderErrorBody } from './ErrorBody.js';
import { newRequestId, parseRequest, type AddressingSettings } from './parseRequest.js';
import type { RequestObserver } from './RequestObserver.js';
import { RequestTrace } from './RequestTrace.js';
import type { S3Request } from './S3Request.js';

/** This process's part of every x-amz-id-2 (AWS's "extended request id", an opaque token). */
const HOST_ID = randomBytes(16);

/** The bytes of an x-amz-id-2, reused: a request id of the usual 16 characters, then HOST_ID. */
const ID_2_BYTES = Buffer.concat([Buffer.alloc(16), HOST_ID]);

/** x-amz-id-2 from the request id and the host part: unique per request without drawing random bytes each time. */
export function extendedRequestId(requestId: string): string {
  if (requestId.length !== 16) return Buffer.concat([Buffer.from(requestId, 'latin1'), HOST_ID]).toString('base64');
  // the same bytes as the concatenation, written into one buffer (base64 is read out before it is reused)
  ID_2_BYTES.write(requestId, 0, 16, 'latin1');
  return ID_2_BYTES.toString('base64');
}

export type RequestHandler = (req: S3Request, res: ServerResponse) => Promise<void>;

/** One handler per API served on the endpoint (see apiOf.ts). */
export type ApiHandlers = Readonly<Record<Api, RequestHandler>>;

export interface ServerOptions {
  /** Watches every request once answered (metrics, the audit log). */
  readonly observer?: RequestObserver | undefined;
  /** What the endpoint answers itself before any API, asked in order (the console and CORS, the metrics page). */
  readonly fronts?: readonly FrontDoor[] | undefined;
}

function numberHeader(value: number | string | string[] | undefined): number {
  const n = Number(Array.isArray(value) ? value[0] : value);
  return Number.isFinite(n) && n > 0 ? n : 0;
}

/** Report the request to the observer once its response is done (or its connection gone). */
function observeWhenDone(observer: RequestObserver, trace: RequestTrace, stream: IncomingMessage, res: ServerResponse, req: () => S3Request | undefined): void {
  res.once('close', () => {
    const end = performance.now();
    const method = stream.method ?? 'GET';
    const url = stream.url ?? '/';
    const q = url.indexOf('?');
    const version = res.getHeader('x-amz-version-id');
    const tagging = res.getHeader('x-amz-tagging-count');
    const bodyless = method === 'HEAD' || res.statusCode === 204 || res.statusCode === 304;
    const firstByteAt = trace.firstByteAt ?? end;
    observer.observe({
      trace,
      requestId: String(res.getHeader('x-amz-request-id') ?? ''),
      request: req(),
      method,
      rawPath: q < 0 ? url : url.slice(0, q),
      status: res.statusCode,
      completed: res.writableFinished,
      // the body's own bytes: an aws-chunked upload says them apart from its framing
      bytesIn: numberHeader(stream.headers['x-amz-decoded-content-length'] ?? stream.headers['content-length']),
      bytesOut: bodyless ? 0 : numberHeader(res.getHeader('content-length')),
      firstByteSeconds: (firstByteAt - trace.startedAt) / 1000,
      totalSeconds: (end - trace.startedAt) / 1000,
      versionId: typeof version === 'string' ? version : undefined,
      taggingCount: tagging === undefined ? undefined : Number(tagging),
      sourceIp: stream.socket.remoteAddress ?? '',
      userAgent: stream.headers['user-agent'],
    });
  });
}

/**
 * The HTTP server: request ids and common headers, then the request goes to its API's handler — S3 (with
 * path-style or virtual-host addressing), S3 Control, IAM or STS — or to one of Tessera's own pages. A request that
 * cannot be parsed is answered with `renderError` (S3's <Error> body). Every request, answered either way, is
 * reported to the observer once its response is done.
 */
export function createHttpServer(
  settings: AddressingSettings,
  handlers: ApiHandlers,
  log: Logger,
  renderError: RenderErrorBody,
  options: ServerOptions = {},
): Server {
  const { observer, fronts = [] } = options;
  const server = createServer({ keepAlive: true, requestTimeout: 0, headersTimeout: 60_000 }, (stream, res) => {
    const id = newRequestId();
    res.setHeader('x-amz-request-id', id);
    res.setHeader('x-amz-id-2', extendedRequestId(id));
    res.setHeader('Server', 'Tessera');
    for (const front of fronts) if (front(stream, res, id)) return;
    const url = stream.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const api = apiOf(path, stream.headers.authorization, q < 0 ? '' : url.slice(q + 1));
    const trace = new RequestTrace(api);
    let req: S3Request | undefined;
    if (observer !== undefined) observeWhenDone(observer, trace, stream, res, () => req);
    try {
      // only S3 addresses buckets by host name; the other APIs are reached by path whatever the Host says
      req = parseRequest(stream, api === 's3' ? settings : { domain: undefined }, id, false, trace);
    } catch (err) {
      const error = isS3Error(err) ? err : new S3Error('InternalError');
      trace.errorCode = error.code;
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
