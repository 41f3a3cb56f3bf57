import { ControlError } from '../errors/ControlError.js';
import type { ServerResponse } from 'node:http';
import type { ApiModuleDeps } from '../ApiModule.js';
import type { RoleDirectory } from '../core/identity/RoleDirectory.js';
import { header, type S3Request } from '../http/S3Request.js';
import { isApiError } from '../errors/ApiError.js';
import type { JobStore } from '../core/ports/JobStore.js';
import type { ControlOperation } from './ControlContext.js';
import { matchRoute } from './routes.js';
import { renderErrorResponse } from './xml/ErrorResponse.js';

const MAX_BODY = 1024 * 1024;

export interface ControlServeDeps {
  readonly deps: ApiModuleDeps;
  readonly roles: RoleDirectory;
  readonly store: JobStore;
  readonly operations: readonly ControlOperation[];
  readonly wake: () => void;
}

/**
 * The S3 Control request path: route by path (whatever the Host header says: SDKs prefix it with the account id),
 * authenticate (SigV4, service s3), check x-amz-account-id against the caller's account, run the operation, answer
 * XML; errors in S3 Control's <ErrorResponse> envelope.
 */
export async function serveControl(req: S3Request, res: ServerResponse, s: ControlServeDeps): Promise<void> {
  let status: number;
  let body: string | undefined;
  try {
    const route = matchRoute(s.operations, req.method, req.rawPath);
    if (route === undefined) throw new ControlError('NotImplemented', { message: 'This S3 Control operation is not served by Tessera' });
    if (route === 'method-not-allowed') throw new ControlError('MethodNotAllowed');
    const auth = await s.deps.authenticate(req, s.deps.identity, s.deps.authSettings, s.deps.clock());
    const principal = auth.principal;
    if (principal.kind !== 'user') throw new ControlError('AccessDenied');
    const accountId = header(req, 'x-amz-account-id');
    if (accountId === undefined || accountId === '') throw new ControlError('BadRequestException', { message: 'x-amz-account-id is required' });
    if (accountId !== principal.accountId) throw new ControlError('AccessDenied', { message: 'x-amz-account-id does not match the caller\'s account' });
    let bodyRead: Promise<Buffer> | undefined;
    const response = await route.operation.handle({
      request: req,
      principal,
      params: route.params,
      body: () => (bodyRead ??= auth.body.readAll(MAX_BODY)),
      deps: s.deps,
      roles: s.roles,
      store: s.store,
      wake: s.wake,
    });
    if (bodyRead === undefined) await auth.body.readAll(MAX_BODY).catch(() => undefined);
    status = response.status;
    body = response.body;
  } catch (err) {
    const error = isApiError(err) ? err : new ControlError('InternalError');
    if (!isApiError(err)) s.deps.log.error({ err }, 'S3 Control request failed');
    status = error.status;
    body = renderErrorResponse(error, req.id, '');
    for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
    if (!req.stream.readableEnded) {
      res.setHeader('Connection', 'close');
      req.stream.resume();
    }
  }
  res.statusCode = status;
  if (body === undefined) {
    res.setHeader('Content-Length', '0');
    res.end();
    return;
  }
  res.setHeader('Content-Type', 'application/xml');
  res.setHeader('Content-Length', String(Buffer.byteLength(body)));
  res.end(body);
}
