import { IAM_ERRORS, type IamErrorCode } from './catalogue.js';

/** An IAM or STS error, rendered in the query protocol's ErrorResponse envelope. */
export class IamError extends Error {
  override readonly name = 'IamError';
  readonly status: number;

  constructor(
    readonly code: IamErrorCode,
    message?: string,
  ) {
    super(message ?? IAM_ERRORS[code].message);
    this.status = IAM_ERRORS[code].status;
  }

  /** `Sender` for client errors, `Receiver` for server faults. */
  get type(): 'Sender' | 'Receiver' {
    return this.status >= 500 ? 'Receiver' : 'Sender';
  }
}
