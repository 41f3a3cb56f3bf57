import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { ApiModuleDeps } from '../ApiModule.js';
import type { HttpResponse } from '../http/HttpResponse.js';
import type { S3Request } from '../http/S3Request.js';
import { serveApi, type ApiErrors } from '../http/serveApi.js';
import { S3Error } from '../errors/S3Error.js';
import type { IamStore } from '../core/ports/IamStore.js';
import { authorizeIam } from './authorizeIam.js';
import { requestFactsOf } from '../http/requestFacts.js';
import { IamError } from '../errors/IamError.js';
import type { IamContext, IamOperation } from './IamOperation.js';
import type { IdentityPolicies } from './IdentityPolicies.js';
import { FormParams } from './wire/FormParams.js';
import { renderError, renderResult } from './wire/render.js';

/** Largest form body accepted (policy documents are at most a few KiB). */
const BODY_LIMIT = 256 * 1024;

export interface QueryApi {
  readonly service: 'iam' | 'sts';
  readonly xmlns: string;
  readonly operations: readonly IamOperation[];
  readonly store: IamStore;
  readonly policies: IdentityPolicies;
  readonly deps: ApiModuleDeps;
}

/** Authentication failures (S3Error from the shared authenticator) in IAM's words. */
function fromAuthError(err: S3Error): IamError {
  switch (err.code) {
    case 'InvalidAccessKeyId':
    case 'InvalidToken':
      return new IamError('InvalidClientTokenId');
    case 'ExpiredToken':
      return new IamError('ExpiredToken');
    case 'SignatureDoesNotMatch':
      return new IamError('SignatureDoesNotMatch');
    case 'RequestTimeTooSkewed':
      return new IamError('SignatureDoesNotMatch', 'Signature expired: the request time is too far from the server time.');
    case 'AccessDenied':
      return new IamError('IncompleteSignature', err.message);
    default:
      return new IamError('IncompleteSignature', err.message);
  }
}

/** The headers of every query-protocol answer, result or error. */
function headersOf(req: S3Request): Readonly<Record<string, string>> {
  return { 'Content-Type': 'text/xml', 'x-amzn-RequestId': req.id };
}

async function readBody(req: S3Request): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req.stream) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > BODY_LIMIT) throw new IamError('ValidationError', 'Request body too large.');
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/**
 * The request handler of an AWS query-protocol API (IAM or STS) on the S3 endpoint: read the form body,
 * authenticate with the shared SigV4 authenticator (for this service's scope), dispatch on Action, render the
 * `<{Action}Response>` document or IAM's ErrorResponse.
 */
export function serveQuery(api: QueryApi): (req: S3Request, res: ServerResponse) => Promise<void> {
  const byName = new Map(api.operations.map((op) => [op.name, op]));
  const { deps } = api;
  const errors: ApiErrors<IamError> = {
    name: api.service,
    own: (err) => (err instanceof IamError ? err : err instanceof S3Error ? fromAuthError(err) : undefined),
    internal: () => new IamError('ServiceFailure'),
    render: (error, req) => ({ status: error.status, headers: headersOf(req), body: renderError(error, req.id, api.xmlns) }),
  };
  return (req, res) => serveApi(req, res, errors, deps.log.child({ requestId: req.id }), respond(req));

  async function respond(req: S3Request): Promise<HttpResponse> {
    const result = await handle(req);
    return { status: 200, headers: headersOf(req), body: renderResult(result.action, result.xml, req.id, api.xmlns) };
  }

  async function handle(req: S3Request): Promise<{ action: string; xml: ReturnType<IamOperation['handle']> extends Promise<infer T> ? T : never }> {
    if (req.method !== 'POST' && req.method !== 'GET') throw new IamError('InvalidAction', `Method ${req.method} is not supported.`);
    const raw = await readBody(req);
    // Query-protocol clients sign the body's hash without sending x-amz-content-sha256: give it to the authenticator.
    const authRequest = {
      ...req,
      stream: Object.assign(Readable.from([raw]), { headersDistinct: req.stream.headersDistinct }) as unknown as S3Request['stream'],
      payloadSha256: createHash('sha256').update(raw).digest('hex'),
    };
    const now = deps.clock();
    const auth = await deps.authenticate(authRequest, deps.identity, { ...deps.authSettings, services: [api.service], anyRegion: true }, now);
    req.trace.principal = auth.principal;
    const verified = await auth.body.readAll(BODY_LIMIT);
    const fromQuery = FormParams.of(Object.fromEntries(req.query));
    const params = FormParams.parse(verified.toString('utf8')).withFallback(fromQuery);
    const action = params.get('Action');
    if (action === undefined || action === '') throw new IamError('MissingAction');
    const op = byName.get(action);
    req.trace.operation = op === undefined ? 'Unknown' : action;
    if (!op) {
      const version = api.service === 'iam' ? '2010-05-08' : '2011-06-15';
      throw new IamError('InvalidAction', `Could not find operation ${action} for version ${params.get('Version') ?? version}`);
    }
    const caller = auth.principal;
    if (caller.kind !== 'user') throw new IamError('MissingAuthenticationToken');
    const account = await deps.identity.accountOf(caller.accountId);
    if (!account) throw new IamError('InvalidClientTokenId');
    const ctx: IamContext = {
      params,
      caller,
      accountId: caller.accountId,
      account,
      store: api.store,
      policies: api.policies,
      now,
      authorize: (iamAction, resource) =>
        authorizeIam(caller, iamAction, resource, api.policies, requestFactsOf(req, now)),
    };
    return { action, xml: await op.handle(ctx) };
  }
}
