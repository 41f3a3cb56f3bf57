import type { Principal } from '../../core/identity/Principal.js';
import type { S3Request } from '../../http/S3Request.js';
import type { RequestBody } from './RequestBody.js';

/** Resolves an access key id to its secret and the principal it stands for. */
export interface CredentialResolver {
  resolve(accessKeyId: string): Promise<ResolvedCredential | undefined>;
}

export interface ResolvedCredential {
  readonly secretAccessKey: string;
  readonly principal: Principal;
  /** Required x-amz-security-token for temporary credentials (AssumeRole, later). */
  readonly sessionToken?: string;
  readonly active: boolean;
}

export interface AuthSettings {
  readonly region: string;
  /** Largest accepted difference between the request time and `now`: 15 minutes in AWS. */
  readonly maxClockSkewMs: number;
  /**
   * SigV4 services whose signatures this endpoint accepts (the credential scope's service); default ['s3']. The
   * first is the one named in "incorrect service" errors. An IAM/STS endpoint passes ['iam'] / ['sts'].
   */
  readonly services?: readonly string[];
  /**
   * Accept signatures for any region (IAM and STS are global services; boto3 clients made without a region sign
   * with an empty one). Default false: the region must be this server's.
   */
  readonly anyRegion?: boolean;
}

/** The outcome of authenticating a request: who sent it and its verified body. */
export interface Authentication {
  readonly principal: Principal;
  /** How the request was authenticated. */
  readonly method: 'anonymous' | 'header' | 'presigned' | 'post-policy';
  /** SigV4 service name signed for ('s3', later 'iam', 'sts'); undefined for anonymous. */
  readonly service?: string;
  readonly body: RequestBody;
}

/**
 * Authenticates an S3 request (SigV4 presigned query first, then the Authorization header; no credentials → anonymous)
 * and wraps its payload in a verifying RequestBody. Throws S3Error: AccessDenied, InvalidAccessKeyId,
 * SignatureDoesNotMatch, RequestTimeTooSkewed, AuthorizationHeaderMalformed, AuthorizationQueryParametersError,
 * InvalidRequest, XAmzContentSHA256Mismatch (for a malformed x-amz-content-sha256), InvalidDigest, …
 */
export type Authenticate = (
  request: S3Request,
  credentials: CredentialResolver,
  settings: AuthSettings,
  now: Date,
) => Promise<Authentication>;
