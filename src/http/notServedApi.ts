import type { ServerResponse } from 'node:http';
import { S3Error } from '../errors/S3Error.js';
import type { RenderErrorBody } from './ErrorBody.js';
import type { S3Request } from './S3Request.js';

/** The handler of an API this build does not serve yet: 501 NotImplemented. */
export function notServedApi(name: string, renderError: RenderErrorBody) {
  return (req: S3Request, res: ServerResponse): Promise<void> => {
    const body = renderError(new S3Error('NotImplemented', { message: `${name} is not served by this server` }), req.rawPath, req.id, '');
    res.statusCode = 501;
    res.setHeader('Content-Type', 'application/xml');
    if (!req.stream.readableEnded) res.setHeader('Connection', 'close');
    res.end(body);
    req.stream.resume();
    return Promise.resolve();
  };
}
