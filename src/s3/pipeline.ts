import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Bucket } from '../core/buckets/Bucket.js';
import type { Principal } from '../core/identity/Principal.js';
import type { Services } from '../core/Services.js';
import type { S3Request } from '../http/S3Request.js';
import { writeResponse } from '../http/writeResponse.js';
import type { Authenticate, AuthSettings, CredentialResolver } from './auth/Authenticator.js';
import { S3Error, isS3Error } from '../errors/S3Error.js';
import type { AnyOperation, InBodyAuthentication, OperationContext } from './operations/Operation.js';
import type { ActionRequest, AuthorizationFacts, Authorizer } from './policy/Authorizer.js';
import { resolve } from './router/resolve.js';
import { renderError } from './xml/shapes/Error.js';

export interface PipelineDeps {
  readonly operations: readonly AnyOperation[];
  readonly services: Services;
  readonly authenticate: Authenticate;
  readonly credentials: CredentialResolver;
  readonly authSettings: AuthSettings;
  readonly authorizer: Authorizer;
  readonly log: Logger;
  readonly clock: () => Date;
}

function targetOf(req: S3Request): 'service' | 'bucket' | 'object' {
  if (req.bucket === undefined) return 'service';
  return req.key === undefined ? 'bucket' : 'object';
}

/**
 * The stages every S3 request goes through (docs/request-lifecycle.md):
 * route → authenticate → load bucket → prepare (optional: read the body facts authorization needs) → authorize → handle.
 */
async function run(req: S3Request, deps: PipelineDeps, log: Logger): Promise<{ op: AnyOperation; ctx: OperationContext<Bucket | undefined, unknown, InBodyAuthentication | undefined> }> {
  const resolution = resolve(deps.operations, {
    method: req.method,
    target: targetOf(req),
    query: req.query,
    headers: req.headers,
  });
  if (resolution.kind === 'not-implemented') {
    throw new S3Error('NotImplemented', { message: 'A header you provided implies functionality that is not implemented' });
  }
  if (resolution.kind === 'method-not-allowed') {
    throw new S3Error('MethodNotAllowed', { details: { Method: req.method, ResourceType: targetOf(req).toUpperCase() } });
  }
  const op = resolution.route;
  const now = deps.clock();
  const auth = await deps.authenticate(req, deps.credentials, deps.authSettings, now);
  let bucket: Bucket | undefined;
  if (req.bucket !== undefined && op.loadsBucket !== false) {
    bucket = await deps.services.buckets.get(req.bucket);
    if (bucket === undefined) throw new S3Error('NoSuchBucket', { details: { BucketName: req.bucket } });
  }
  const authorize = (principal: Principal, actions: readonly ActionRequest[], facts?: AuthorizationFacts): Promise<void> =>
    deps.authorizer.authorize({ principal, actions, bucket, request: req, now, facts });
  // what authorization needs from the body (PutObjectTagging's tags) is read first; the handler reuses it
  const prepared = op.prepare === undefined ? undefined : await op.prepare(req, auth.body);
  // an operation that authenticates in its body (browser POST) authorizes in its handler, once it knows who sent it
  if (op.authenticatesInBody !== true) await authorize(auth.principal, op.actions(req), prepared?.facts);
  const inBodyAuth = op.authenticatesInBody === true ? { credentials: deps.credentials, settings: deps.authSettings, authorize } : undefined;
  return {
    op,
    ctx: {
      request: req,
      principal: auth.principal,
      body: auth.body,
      bucket,
      services: deps.services,
      now,
      log,
      prepared: prepared?.value,
      inBodyAuth,
    },
  };
}

function resourceOf(req: S3Request): string {
  if (req.bucket === undefined) return '/';
  return req.key === undefined ? `/${req.bucket}` : `/${req.bucket}/${req.key}`;
}

/** Serve one S3 request end to end. Never throws: every failure becomes an S3 error response. */
export async function serveS3(req: S3Request, res: ServerResponse, deps: PipelineDeps): Promise<void> {
  const log = deps.log.child({ requestId: req.id });
  const isHead = req.method === 'HEAD';
  let opName = 'Unknown';
  try {
    const { op, ctx } = await run(req, deps, log);
    opName = op.name;
    const response = await op.handle(ctx);
    await writeResponse(res, response, isHead);
    log.debug({ op: opName, status: response.status }, 'request');
  } catch (err) {
    const error = isS3Error(err) ? err : new S3Error('InternalError');
    if (!isS3Error(err)) log.error({ err, op: opName }, 'internal error');
    else log.debug({ op: opName, code: error.code }, 'request failed');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    // a request body we did not read: do not leave the client writing into a dead connection
    if (!req.stream.readableEnded) {
      res.setHeader('Connection', 'close');
      req.stream.resume();
    }
    for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
    const body = renderError(error, resourceOf(req), req.id, res.getHeader('x-amz-id-2')?.toString() ?? '');
    res.statusCode = error.status;
    if (error.status === 304) {
      res.end();
      return;
    }
    res.setHeader('Content-Type', 'application/xml');
    res.setHeader('Content-Length', String(Buffer.byteLength(body)));
    res.end(isHead ? undefined : body);
  }
}
