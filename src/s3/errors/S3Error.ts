import { S3_ERRORS, type S3ErrorCode } from './catalogue.js';

/** Extra elements AWS adds to some error bodies (e.g. <Key>, <BucketName>, <ArgumentName>). */
export type S3ErrorDetails = Readonly<Record<string, string>>;

/**
 * The one error type an S3 operation throws. Status and default message come from the catalogue;
 * `message` may be overridden where AWS gives a more specific text (e.g. "Object tags cannot be greater than 10").
 */
export class S3Error extends Error {
  readonly code: S3ErrorCode;
  readonly status: number;
  readonly details: S3ErrorDetails;
  /** Response headers that go with this error (e.g. x-amz-delete-marker, Allow). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    code: S3ErrorCode,
    message?: string,
    details: S3ErrorDetails = {},
    headers: Readonly<Record<string, string>> = {},
  ) {
    const entry = S3_ERRORS[code];
    super(message ?? entry.message);
    this.name = 'S3Error';
    this.code = code;
    this.status = entry.status;
    this.details = details;
    this.headers = headers;
  }
}

export function isS3Error(err: unknown): err is S3Error {
  return err instanceof S3Error;
}
