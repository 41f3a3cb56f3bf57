import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { isApiError, type ApiError } from '../errors/ApiError.js';
import type { HttpResponse } from './HttpResponse.js';
import type { S3Request } from './S3Request.js';
import { writeResponse } from './writeResponse.js';

/** What the serve loop needs to know of an API (S3, S3 Control, IAM/STS): its errors and their envelope. */
export interface ApiErrors<E extends ApiError> {
  /** Names the API in the log line of a fault ("S3 request failed"). */
  readonly name: string;
  /**
   * The API's own error for a thrown ApiError (IAM translates the S3Errors of the shared authenticator), or undefined
   * when the API has no word for it: then it is a fault, answered as `internal()`.
   */
  own(err: ApiError): E | undefined;
  /** The API's internal error (S3 InternalError, IAM ServiceFailure): the answer to a fault, which is logged, never sent. */
  internal(): E;
  /** The response for `error` in the API's envelope (S3 <Error>, S3 Control <ErrorResponse>, IAM ErrorResponse). */
  render(error: E, req: S3Request, res: ServerResponse): HttpResponse;
}

/**
 * The one serve loop of every API on the endpoint: wait for the API's response to `req` and write it; when `work`
 * fails, answer the error in the API's envelope — a thrown value that is not an ApiError becomes the API's internal
 * error, logged with the request id (`log` is the request's logger) — and, when the request body was not read, close
 * the connection and drain the body, so a client still sending is not left writing into a dead connection. A failure
 * after the headers went out destroys the connection (the client sees a short body, never a wrong one). Never throws.
 */
export async function serveApi<E extends ApiError>(
  req: S3Request,
  res: ServerResponse,
  errors: ApiErrors<E>,
  log: Logger,
  work: Promise<HttpResponse>,
): Promise<void> {
  const isHead = req.method === 'HEAD';
  try {
    const response = await work;
    req.trace.firstByteAt = performance.now();
    await writeResponse(res, response, isHead);
  } catch (err) {
    const own = isApiError(err) ? errors.own(err) : undefined;
    let error: E;
    if (own === undefined) {
      log.error({ err }, `${errors.name} request failed`);
      error = errors.internal();
    } else {
      log.debug({ code: own.code }, 'request failed');
      error = own;
    }
    req.trace.errorCode = error.code;
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (!req.stream.readableEnded) {
      res.setHeader('Connection', 'close');
      req.stream.resume();
    }
    const response = errors.render(error, req, res);
    req.trace.firstByteAt = performance.now();
    await writeResponse(res, response, isHead);
  }
}
