import { createServer, type Server } from 'node:http';
import type { Logger } from 'pino';
import { S3Error, isS3Error } from '../s3/errors/S3Error.js';
import { renderError } from '../s3/xml/shapes/Error.js';
import { newRequestId, parseRequest, type AddressingSettings } from './parseRequest.js';
import type { S3Request } from './S3Request.js';
import type { ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';

export type RequestHandler = (req: S3Request, res: ServerResponse) => Promise<void>;

/** The HTTP server: request ids and common headers, then hands the parsed request to the S3 pipeline. */
export function createHttpServer(settings: AddressingSettings, handler: RequestHandler, log: Logger): Server {
  const server = createServer({ keepAlive: true, requestTimeout: 0, headersTimeout: 60_000 }, (stream, res) => {
    const id = newRequestId();
    res.setHeader('x-amz-request-id', id);
    res.setHeader('x-amz-id-2', randomBytes(24).toString('base64'));
    res.setHeader('Server', 'Tessera');
    let req: S3Request;
    try {
      req = parseRequest(stream, settings, id, false);
    } catch (err) {
      const error = isS3Error(err) ? err : new S3Error('InternalError');
      const body = renderError(error, stream.url ?? '/', id, '');
      res.statusCode = error.status;
      res.setHeader('Content-Type', 'application/xml');
      res.setHeader('Connection', 'close');
      res.end(body);
      stream.resume();
      return;
    }
    handler(req, res).catch((err: unknown) => {
      log.error({ err }, 'unhandled error in request handler');
      res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  return server;
}
