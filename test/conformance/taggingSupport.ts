import assert from 'node:assert/strict';
import { S3ServiceException } from '@aws-sdk/client-s3';
import type { Tag } from '@aws-sdk/client-s3';

/** Helpers shared by the tagging conformance tests (test/conformance/tagging*.test.ts). */

export interface ExpectedError {
  readonly status: number;
  readonly code: string;
  readonly message?: string;
  /** Extra elements of the error body (TagKey, ArgumentName, Key, …), as the SDK exposes them on the exception. */
  readonly fields?: Readonly<Record<string, string | undefined>>;
  /** Response headers the error carries. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Await a rejected SDK call and check its S3 error. */
export async function expectS3Error(call: Promise<unknown>, expected: ExpectedError): Promise<void> {
  let caught: unknown;
  try {
    await call;
  } catch (error) {
    caught = error;
  }
  assert.ok(caught !== undefined, `expected ${expected.code}, the call succeeded`);
  assert.ok(caught instanceof S3ServiceException, `expected an S3 error, got ${caught instanceof Error ? caught.message : typeof caught}`);
  assert.equal(caught.$metadata.httpStatusCode, expected.status, `status of ${caught.name}: ${caught.message}`);
  assert.equal(caught.name, expected.code);
  if (expected.message !== undefined) assert.equal(caught.message, expected.message);
  const record = caught as unknown as Record<string, unknown>;
  for (const [name, value] of Object.entries(expected.fields ?? {})) {
    assert.equal(record[name], value, `<${name}> of ${caught.name}`);
  }
  const headers = caught.$response?.headers ?? {};
  for (const [name, value] of Object.entries(expected.headers ?? {})) {
    assert.equal(headers[name.toLowerCase()], value, `header ${name} of ${caught.name}`);
  }
}

/** The part of an SDK command the helpers touch (typed loosely; the SDK's own types are per command). */
interface LooseStack {
  add(
    middleware: (next: (args: { request: unknown }) => Promise<unknown>) => (args: { request: unknown }) => Promise<unknown>,
    options: { step: 'serialize' | 'build'; priority?: 'low' | 'normal' | 'high'; name?: string },
  ): void;
}

interface WithMiddleware {
  readonly middlewareStack: unknown;
}

function stackOf(command: WithMiddleware): LooseStack {
  return command.middlewareStack as LooseStack;
}

interface HttpRequestLike {
  body?: unknown;
  headers: Record<string, string>;
}

/** Send `body` instead of the serialized one (before checksums and signing, so the request stays valid). */
export function withBody<C extends WithMiddleware>(command: C, body: string): C {
  stackOf(command).add(
    (next) => async (args) => {
      const request = args.request as HttpRequestLike;
      request.body = body;
      request.headers['content-length'] = String(Buffer.byteLength(body));
      delete request.headers['content-md5'];
      return next(args);
    },
    { step: 'serialize', priority: 'low', name: 'taggingTestBody' },
  );
  return command;
}

/** Set (or, with undefined, remove) request headers after the SDK's own (before signing). */
export function withHeaders<C extends WithMiddleware>(command: C, headers: Readonly<Record<string, string | undefined>>): C {
  stackOf(command).add(
    (next) => async (args) => {
      const request = args.request as HttpRequestLike;
      for (const [name, value] of Object.entries(headers)) {
        for (const existing of Object.keys(request.headers)) if (existing.toLowerCase() === name.toLowerCase()) delete request.headers[existing];
        if (value !== undefined) request.headers[name] = value;
      }
      return next(args);
    },
    { step: 'build', priority: 'low', name: 'taggingTestHeaders' },
  );
  return command;
}

/** Remove Content-MD5 and every flexible checksum header (to see what the server says without them). */
export function withoutChecksums<C extends WithMiddleware>(command: C): C {
  stackOf(command).add(
    (next) => async (args) => {
      const request = args.request as HttpRequestLike;
      for (const name of Object.keys(request.headers)) {
        const lower = name.toLowerCase();
        if (lower === 'content-md5' || lower.startsWith('x-amz-checksum-') || lower === 'x-amz-sdk-checksum-algorithm') {
          delete request.headers[name];
        }
      }
      return next(args);
    },
    { step: 'build', priority: 'low', name: 'taggingTestNoChecksums' },
  );
  return command;
}

/** Tags as [key, value] pairs, in the order given. */
export function pairs(tags: readonly Tag[] | undefined): Array<[string, string]> {
  return (tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']);
}

/** A TagSet for the SDK from [key, value] pairs. */
export function tagSet(entries: ReadonlyArray<readonly [string, string]>): Tag[] {
  return entries.map(([Key, Value]) => ({ Key, Value }));
}

/** n tags k0=v0 … */
export function manyTags(n: number, prefix = 'k'): Tag[] {
  return Array.from({ length: n }, (_, i) => ({ Key: `${prefix}${i}`, Value: `v${i}` }));
}

export const HAN = '中';
/** U+20000, a CJK letter outside the BMP: 1 code point, 2 UTF-16 units. */
export const ASTRAL_LETTER = '𠀀';
export const EMOJI = '😀';
