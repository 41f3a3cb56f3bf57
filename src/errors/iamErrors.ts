/**
 * IAM's and STS's error codes (AWS query protocol): HTTP status and default message. Kept apart from S3's
 * catalogue because the envelope and the codes differ. Messages follow AWS where it documents them.
 */
export const IAM_ERRORS = {
  AccessDenied: { status: 403, message: 'User is not authorized to perform this action.' },
  DeleteConflict: { status: 409, message: 'The request was rejected because it attempted to delete a resource that has attached subordinate entities.' },
  EntityAlreadyExists: { status: 409, message: 'The request was rejected because it attempted to create a resource that already exists.' },
  ExpiredToken: { status: 403, message: 'The security token included in the request is expired' },
  IncompleteSignature: { status: 400, message: 'The request signature does not conform to AWS standards.' },
  InvalidAction: { status: 400, message: 'The action or operation requested is invalid.' },
  InvalidClientTokenId: { status: 403, message: 'The security token included in the request is invalid.' },
  InvalidInput: { status: 400, message: 'The request was rejected because an invalid or out-of-range value was supplied for an input parameter.' },
  LimitExceeded: { status: 409, message: 'The request was rejected because it attempted to create resources beyond the current AWS account limits.' },
  MalformedPolicyDocument: { status: 400, message: 'The request was rejected because the policy document was malformed.' },
  MissingAction: { status: 400, message: 'Missing Action' },
  MissingAuthenticationToken: { status: 403, message: 'Request is missing Authentication Token' },
  NoSuchEntity: { status: 404, message: 'The request was rejected because it referenced a resource entity that does not exist.' },
  RequestExpired: { status: 400, message: 'Request has expired.' },
  ServiceFailure: { status: 500, message: 'The request processing has failed because of an unknown error, exception or failure.' },
  SignatureDoesNotMatch: {
    status: 403,
    message:
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  },
  ValidationError: { status: 400, message: 'The input fails to satisfy the constraints specified by an AWS service.' },
} as const;

export type IamErrorCode = keyof typeof IAM_ERRORS;
