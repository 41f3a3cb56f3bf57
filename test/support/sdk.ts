import assert from 'node:assert/strict';
import { S3ServiceException } from '@aws-sdk/client-s3';

/** Await a call that must fail with an S3 error. */
export async function failure(call: Promise<unknown>): Promise<S3ServiceException> {
  let caught: unknown;
  try {
    await call;
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof S3ServiceException, `expected an S3 error, got ${String(caught)}`);
  return caught;
}

/** Await a call that must fail; check its status and S3 error code. */
export async function rejects(call: Promise<unknown>, status: number, code: string): Promise<S3ServiceException> {
  const caught = await failure(call);
  assert.equal(caught.$metadata.httpStatusCode, status, `${caught.name}: ${caught.message}`);
  assert.equal(caught.name, code);
  return caught;
}

export interface Stackable {
  middlewareStack: { add(middleware: unknown, options: Record<string, unknown>): void };
}

/** Set raw query parameters the SDK would not send (before signing, so the request stays valid). */
export function withQuery<C>(command: C, query: Record<string, string>): C {
  (command as unknown as Stackable).middlewareStack.add(
    (next: (a: unknown) => Promise<unknown>) => (args: { request: { query: Record<string, string> } }) => {
      Object.assign(args.request.query, query);
      return next(args);
    },
    { step: 'build' },
  );
  return command;
}
