import type { IamOperation } from '../IamOperation.js';
import { checkName } from '../validate.js';
import { roleXml } from '../wire/shapes.js';
import { noSuchRole, roleResource } from './common.js';

export const GetRole: IamOperation = {
  name: 'GetRole',
  async handle(ctx) {
    const name = checkName(ctx.params.required('RoleName'), 'roleName');
    const { arn, role } = await roleResource(ctx, name);
    await ctx.authorize('iam:GetRole', arn);
    if (!role) throw noSuchRole(name);
    return { Role: roleXml(role) };
  },
};
