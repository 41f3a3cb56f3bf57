/**
 * `tessera jobs create --create-role`: the IAM role a batch job runs as, created (or reused) through the IAM API on the
 * same endpoint — trusted by S3 Batch Operations, with an inline policy allowing the tagging actions jobs perform and
 * the reads and writes of manifests and reports.
 */

export const DEFAULT_BATCH_ROLE = 'tessera-batch-operations';
export const BATCH_ROLE_POLICY = 'tessera-batch-operations';

/** The trust policy: S3 Batch Operations may assume the role. */
export const BATCH_TRUST_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'batchoperations.s3.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

/** The role's permissions: every tagging action a job can perform, reading manifests, writing reports and manifests. */
export const BATCH_ROLE_PERMISSIONS = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: [
        's3:PutObjectTagging',
        's3:PutObjectVersionTagging',
        's3:DeleteObjectTagging',
        's3:DeleteObjectVersionTagging',
        's3:GetObject',
        's3:GetObjectVersion',
        's3:PutObject',
      ],
      Resource: 'arn:aws:s3:::*/*',
    },
  ],
});

/** One IAM query-protocol call: action and parameters in, the parsed `<Action>Result` (or the IAM error) out. */
export type IamCall = (action: string, params: Readonly<Record<string, string>>) => Promise<IamAnswer>;
export type IamAnswer =
  | { readonly ok: true; readonly result: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly code: string; readonly message: string };

function trusts(document: string): boolean {
  try {
    const statements = (JSON.parse(document) as { Statement?: unknown }).Statement;
    const list = Array.isArray(statements) ? (statements as unknown[]) : [statements];
    return list.some((s) => {
      const st = s as { Effect?: unknown; Principal?: { Service?: unknown } };
      const service = st.Principal?.Service;
      return st.Effect === 'Allow' && (service === 'batchoperations.s3.amazonaws.com' || (Array.isArray(service) && service.includes('batchoperations.s3.amazonaws.com')));
    });
  } catch {
    return false;
  }
}

/**
 * The role's ARN: GetRole, else CreateRole with the trust policy; then PutRolePolicy (idempotent) with the
 * permissions. An existing role that does not trust S3 Batch Operations is left alone and reported.
 */
export async function ensureBatchRole(iam: IamCall, roleName: string): Promise<string> {
  let arn: string;
  const got = await iam('GetRole', { RoleName: roleName });
  if (got.ok) {
    const role = (got.result.Role ?? {}) as Record<string, unknown>;
    arn = String(role.Arn);
    const document = role.AssumeRolePolicyDocument;
    if (!trusts(decodeURIComponent(typeof document === 'string' ? document : ''))) {
      throw new Error(
        `role ${arn} exists but does not trust batchoperations.s3.amazonaws.com: pass --role-name with another name, or ` +
          `update its trust policy (aws iam update-assume-role-policy --role-name ${roleName} --policy-document …)`,
      );
    }
  } else if (got.code === 'NoSuchEntity') {
    const created = await iam('CreateRole', {
      RoleName: roleName,
      AssumeRolePolicyDocument: BATCH_TRUST_POLICY,
      Description: 'S3 Batch Operations jobs created by tessera jobs create',
    });
    if (!created.ok) throw new Error(`cannot create role ${roleName}: ${created.code}: ${created.message}`);
    arn = String(((created.result.Role ?? {}) as Record<string, unknown>).Arn);
  } else {
    throw new Error(`cannot read role ${roleName}: ${got.code}: ${got.message}`);
  }
  const put = await iam('PutRolePolicy', { RoleName: roleName, PolicyName: BATCH_ROLE_POLICY, PolicyDocument: BATCH_ROLE_PERMISSIONS });
  if (!put.ok) throw new Error(`cannot set the policy of role ${roleName}: ${put.code}: ${put.message}`);
  return arn;
}
