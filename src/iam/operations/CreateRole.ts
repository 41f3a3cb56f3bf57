import { roleArn } from '../arns.js';
import { IamError } from '../../errors/IamError.js';
import type { IamOperation } from '../IamOperation.js';
import { newRoleId } from '../ids.js';
import { parseTrustPolicy } from '../trustPolicy.js';
import { checkName, checkPath, tagsOf } from '../validate.js';
import { roleXml } from '../wire/shapes.js';

/** CreateRole: a role with its trust policy (AssumeRolePolicyDocument), validated as a resource policy. */
export const CreateRole: IamOperation = {
  name: 'CreateRole',
  async handle(ctx) {
    const roleName = checkName(ctx.params.required('RoleName'), 'roleName');
    const path = checkPath(ctx.params.get('Path'));
    const trustPolicy = ctx.params.required('AssumeRolePolicyDocument');
    const description = ctx.params.get('Description');
    const maxSessionDuration = ctx.params.integer('MaxSessionDuration', 3600, 43200) ?? 3600;
    const tags = tagsOf(ctx.params);
    await ctx.authorize('iam:CreateRole', roleArn(ctx.accountId, path, roleName));
    parseTrustPolicy(trustPolicy);
    const role = {
      accountId: ctx.accountId,
      roleName,
      roleId: newRoleId(),
      path,
      trustPolicy,
      ...(description === undefined ? {} : { description }),
      maxSessionDuration,
      createdAt: ctx.now,
      tags,
    };
    if ((await ctx.store.createRole(role)) === 'exists') {
      throw new IamError('EntityAlreadyExists', `Role with name ${roleName} already exists.`);
    }
    return { Role: roleXml(role) };
  },
};
