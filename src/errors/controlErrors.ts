/**
 * S3 Control's error codes (the Jobs API): HTTP status and default message, rendered in S3 Control's
 * `<ErrorResponse>` envelope. Kept apart from S3's catalogue: the codes and the envelope differ.
 */
export const CONTROL_ERRORS = {
  AccessDenied: { status: 403, message: 'Access Denied' },
  BadRequestException: { status: 400, message: 'Bad Request' },
  IdempotencyException: { status: 409, message: 'The ClientRequestToken was already used with different parameters' },
  InternalError: { status: 500, message: 'We encountered an internal error. Please try again.' },
  InternalServiceException: { status: 500, message: 'We encountered an internal error. Please try again.' },
  JobStatusException: { status: 409, message: 'The job status does not allow this request' },
  MalformedXML: {
    status: 400,
    message: 'The XML you provided was not well-formed or did not validate against our published schema.',
  },
  MethodNotAllowed: { status: 405, message: 'The specified method is not allowed against this resource.' },
  NotFoundException: { status: 404, message: 'Not Found' },
  NotImplemented: { status: 501, message: 'A header you provided implies functionality that is not implemented.' },
  TooManyRequestsException: { status: 429, message: 'Too many requests' },
  TooManyTagsException: { status: 400, message: 'Too many tags' },
} as const;

export type ControlErrorCode = keyof typeof CONTROL_ERRORS;
