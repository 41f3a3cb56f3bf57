import { ControlError } from '../errors/ControlError.js';
import type { ServerResponse } from 'node:http';
import type { ApiModuleDeps } from '../ApiModule.js';
import { header, type S3Request } from '../http/S3Request.js';
import type { ApiError } from '../errors/ApiError.js';
import type { HttpResponse } from '../http/HttpResponse.js';
import { serveApi, type ApiErrors } from '../http/serveApi.js';
import type { JobService } from '../core/batch/JobService.js';
import type { ControlContext, ControlOperation } from './ControlContext.js';
import { matchRoute } from './routes.js';
import { renderErrorResponse } from './xml/ErrorResponse.js';

const MAX_BODY = 1024 * 1024;

export interface ControlServeDeps {
  readonly deps: ApiModuleDeps;
  readonly jobs: JobService;
  readonly operations: readonly ControlOperation[];
  readonly wake: () => void;
}

/** S3 Control's errors: every ApiError (its own, and the shared authenticator's S3Errors) in its <ErrorResponse>. */
const CONTROL_ERRORS: ApiErrors<ApiError> = {
  name: 'S3 Control',
  own: (err) => err,
  internal: () => new ControlError('InternalError'),
  render: (error, req) => ({
    status: error.status,
    headers: { ...error.headers, 'Content-Type': 'application/xml' },
    body: renderErrorResponse(error, req.id, ''),
  }),
};

/**
 * The S3 Control request path: route by path (whatever the Host header says: SDKs prefix it with the account id),
 * authenticate (SigV4, service s3), check x-amz-account-id against the caller's account, run the operation, answer
 * XML; errors in S3 Control's <ErrorResponse> envelope.
 */
export function serveControl(req: S3Request, res: ServerResponse, s: ControlServeDeps): Promise<void> {
  return serveApi(req, res, CONTROL_ERRORS, s.deps.log.child({ requestId: req.id }), run(req, s));
}

async function run(req: S3Request, s: ControlServeDeps): Promise<HttpResponse> {
  const route = matchRoute(s.operations, req.method, req.rawPath);
  if (route === undefined) throw new ControlError('NotImplemented', { message: 'This S3 Control operation is not served by Tessera' });
  if (route === 'method-not-allowed') throw new ControlError('MethodNotAllowed');
  req.trace.operation = route.operation.name;
  const auth = await s.deps.authenticate(req, s.deps.identity, s.deps.authSettings, s.deps.clock());
  const principal = auth.principal;
  req.trace.principal = principal;
  if (principal.kind !== 'user') throw new ControlError('AccessDenied');
  const accountId = header(req, 'x-amz-account-id');
  if (accountId === undefined || accountId === '') throw new ControlError('BadRequestException', { message: 'x-amz-account-id is required' });
  if (accountId !== principal.accountId) throw new ControlError('AccessDenied', { message: 'x-amz-account-id does not match the caller\'s account' });
  let bodyRead: Promise<Buffer> | undefined;
  const body = (): Promise<Buffer> => (bodyRead ??= auth.body.readAll(MAX_BODY));
  const response = await route.operation.handle(controlContext(req, s, principal, route.params, body));
  if (bodyRead === undefined) await auth.body.readAll(MAX_BODY).catch(() => undefined);
  return response.body === undefined
    ? { status: response.status, headers: { 'Content-Length': '0' } }
    : { status: response.status, headers: { 'Content-Type': 'application/xml' }, body: response.body };
}

/** The one place a ControlContext is built (its fields follow the operations' needs). */
function controlContext(
  req: S3Request,
  s: ControlServeDeps,
  principal: ControlContext['principal'],
  params: ControlContext['params'],
  body: ControlContext['body'],
): ControlContext {
  return { request: req, principal, params, body, jobs: s.jobs, now: s.deps.clock(), wake: s.wake };
}
