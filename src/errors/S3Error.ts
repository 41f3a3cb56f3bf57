import { ApiError } from './ApiError.js';
import { S3_ERRORS, type S3ErrorCode } from './s3Errors.js';

/** Extra elements AWS adds to some error bodies (e.g. <Key>, <BucketName>, <ArgumentName>). */
export type S3ErrorDetails = Readonly<Record<string, string>>;

/** What an S3Error says beyond its code. */
export interface S3ErrorOptions {
  /** Overrides the catalogue's message where AWS gives a more specific text ("Object tags cannot be greater than 10"). */
  readonly message?: string | undefined;
  /** Extra elements of the error body. */
  readonly details?: S3ErrorDetails | undefined;
  /** Response headers that go with the error (x-amz-delete-marker, Allow, …). */
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

/**
 * The error S3 operations and the domain throw. Status and default message come from the S3 catalogue, so a
 * misspelt code does not compile.
 */
export class S3Error extends ApiError {
  override readonly name = 'S3Error';
  readonly api = 's3' as const;
  declare readonly code: S3ErrorCode;

  constructor(code: S3ErrorCode, options: S3ErrorOptions = {}) {
    super(code, S3_ERRORS[code], options);
  }
}

export function isS3Error(err: unknown): err is S3Error {
  return err instanceof S3Error;
}
