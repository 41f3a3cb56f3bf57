/** Who is making a request, as established by authentication. */
export type Principal = AnonymousPrincipal | UserPrincipal;

export interface AnonymousPrincipal {
  readonly kind: 'anonymous';
}

export interface UserPrincipal {
  readonly kind: 'user';
  /** 12-digit account id. */
  readonly accountId: string;
  /** Canonical user id of the account (64 hex chars), the S3 "Owner/ID". */
  readonly canonicalId: string;
  /** Display name of the account, the S3 "Owner/DisplayName". */
  readonly displayName: string;
  /** arn:aws:iam::<account>:root for the account's root user, arn:aws:iam::<account>:user/<name> for IAM users. */
  readonly arn: string;
  /** IAM user name; undefined for the root user. */
  readonly userName?: string;
  readonly isRoot: boolean;
  /** The access key id the request was signed with. */
  readonly accessKeyId: string;
  /** IAM unique id (aws:userid): `AIDA…` for an IAM user, `AROA…:<session>` for a role session; unset for root. */
  readonly userId?: string;
  /** Set for temporary credentials of an assumed role; `arn` is then the session ARN (arn:aws:sts::…:assumed-role/…). */
  readonly role?: AssumedRole;
}

/** The role behind a role session (AssumeRole credentials). */
export interface AssumedRole {
  /** arn:aws:iam::<account>:role/<path><name> */
  readonly arn: string;
  readonly roleName: string;
  /** `AROA…` */
  readonly roleId: string;
  readonly sessionName: string;
  readonly expiresAt: Date;
}

export const ANONYMOUS: AnonymousPrincipal = { kind: 'anonymous' };
