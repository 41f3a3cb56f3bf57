import type { IamOperation } from '../IamOperation.js';
import { parseTrustPolicy } from '../trustPolicy.js';
import { checkName } from '../validate.js';
import { noSuchRole, roleResource } from './common.js';

/** UpdateAssumeRolePolicy: replace a role's trust policy. */
export const UpdateAssumeRolePolicy: IamOperation = {
  name: 'UpdateAssumeRolePolicy',
  async handle(ctx) {
    const name = checkName(ctx.params.required('RoleName'), 'roleName');
    const document = ctx.params.required('PolicyDocument');
    const { arn, role } = await roleResource(ctx, name);
    await ctx.authorize('iam:UpdateAssumeRolePolicy', arn);
    if (!role) throw noSuchRole(name);
    parseTrustPolicy(document);
    if ((await ctx.store.setTrustPolicy(ctx.accountId, role.roleName, document)) === 'missing') throw noSuchRole(name);
    return undefined;
  },
};
