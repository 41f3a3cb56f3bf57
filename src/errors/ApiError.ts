/** The API whose wire envelope an error is rendered in. */
export type ErrorApi = 's3' | 's3-control' | 'iam';

/** A catalogue entry: the HTTP status and the message AWS uses for one error code. */
export interface ErrorEntry {
  readonly status: number;
  readonly message: string;
}

/**
 * The one base of the errors Tessera answers with: a documented code, the HTTP status its API's catalogue gives it,
 * and a message. S3 (`S3Error`), S3 Control (`ControlError`) and IAM/STS (`IamError`) each keep their own catalogue
 * and envelope; anything thrown that is not an ApiError is a fault, answered as the API's internal error and logged.
 */
export abstract class ApiError extends Error {
  abstract readonly api: ErrorApi;
  readonly status: number;
  /** Response headers that go with this error (e.g. x-amz-delete-marker, Allow). */
  readonly headers: Readonly<Record<string, string>>;
  /** Extra elements of the error body (e.g. <Key>, <BucketName>, <ArgumentName>). */
  readonly details: Readonly<Record<string, string>>;

  protected constructor(
    readonly code: string,
    entry: ErrorEntry,
    options: {
      readonly message?: string | undefined;
      readonly details?: Readonly<Record<string, string>> | undefined;
      readonly headers?: Readonly<Record<string, string>> | undefined;
    },
  ) {
    super(options.message ?? entry.message);
    this.status = entry.status;
    this.details = options.details ?? {};
    this.headers = options.headers ?? {};
  }
}

export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError;
}
