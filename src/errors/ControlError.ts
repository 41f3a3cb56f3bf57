import { ApiError } from './ApiError.js';
import { CONTROL_ERRORS, type ControlErrorCode } from './controlErrors.js';

/** An S3 Control (Jobs API) error, rendered in S3 Control's <ErrorResponse> envelope. */
export class ControlError extends ApiError {
  override readonly name = 'ControlError';
  readonly api = 's3-control' as const;
  declare readonly code: ControlErrorCode;

  constructor(code: ControlErrorCode, options: { readonly message?: string | undefined } = {}) {
    super(code, CONTROL_ERRORS[code], options);
  }
}
