/** An account: owns buckets, has a root user and (later) IAM users. */
export interface Account {
  /** 12-digit account id. */
  readonly id: string;
  /** 64-hex canonical user id, shown as Owner/ID. */
  readonly canonicalId: string;
  readonly displayName: string;
  readonly createdAt: Date;
}

/** An access key pair belonging to an account's root user (userName undefined) or to an IAM user. */
export interface AccessKey {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly accountId: string;
  readonly userName?: string;
  readonly status: 'Active' | 'Inactive';
  readonly createdAt: Date;
}
