import assert from 'node:assert/strict';
import { S3Error } from '../../src/errors/S3Error.js';

/** An S3 error a call must throw: its code, and its message and details when given. */
export interface ExpectedError {
  readonly code: string;
  readonly message?: string;
  readonly details?: Readonly<Record<string, string>>;
}

export function expectS3Error(fn: () => unknown, expected: ExpectedError): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof S3Error, `expected an S3Error, got ${String(e)}`);
    assert.equal(e.code, expected.code);
    if (expected.message !== undefined) assert.equal(e.message, expected.message);
    if (expected.details !== undefined) assert.deepEqual(e.details, expected.details);
    return true;
  });
}

/** S3's MalformedXML, with its message. */
export const MALFORMED: ExpectedError = {
  code: 'MalformedXML',
  message: 'The XML you provided was not well-formed or did not validate against our published schema',
};
