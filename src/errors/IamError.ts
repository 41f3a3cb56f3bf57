import { ApiError } from './ApiError.js';
import { IAM_ERRORS, type IamErrorCode } from './iamErrors.js';

/** An IAM or STS error, rendered in the query protocol's ErrorResponse envelope. */
export class IamError extends ApiError {
  override readonly name = 'IamError';
  readonly api = 'iam' as const;
  declare readonly code: IamErrorCode;

  constructor(code: IamErrorCode, message?: string) {
    super(code, IAM_ERRORS[code], { message });
  }

  /** `Sender` for client errors, `Receiver` for server faults. */
  get type(): 'Sender' | 'Receiver' {
    return this.status >= 500 ? 'Receiver' : 'Sender';
  }
}
