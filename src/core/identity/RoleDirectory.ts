/** An IAM role as other features need it (S3 Batch Operations run each task with the job's role). */
export interface RoleInfo {
  readonly accountId: string;
  readonly roleName: string;
  /** arn:aws:iam::<account>:role/<path><name> */
  readonly arn: string;
  /** The trust (assume-role) policy document, JSON text. */
  readonly trustPolicy: string;
  /** The role's permission policies (inline and attached managed), JSON texts. */
  readonly policies: readonly string[];
}

/** Looks roles up by ARN. Implemented by the IAM module. */
export interface RoleDirectory {
  roleByArn(arn: string): Promise<RoleInfo | undefined>;
}
