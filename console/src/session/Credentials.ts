/** What the user signs in with: an access key and secret (root, IAM user, or temporary credentials with a token). */
export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly region: string;
}

/** Who the credentials belong to (STS GetCallerIdentity). */
export interface Identity {
  readonly account: string;
  readonly arn: string;
}
