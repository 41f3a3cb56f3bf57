import type { IamOperation } from '../IamOperation.js';
import { checkName } from '../validate.js';
import { deleteConflict, noSuchRole, roleResource } from './common.js';

/** DeleteRole: DeleteConflict while the role has inline or attached policies. Its sessions lose every permission. */
export const DeleteRole: IamOperation = {
  name: 'DeleteRole',
  async handle(ctx) {
    const name = checkName(ctx.params.required('RoleName'), 'roleName');
    const { arn } = await roleResource(ctx, name);
    await ctx.authorize('iam:DeleteRole', arn);
    const result = await ctx.store.deleteRole(ctx.accountId, name);
    if (result === 'missing') throw noSuchRole(name);
    if (result !== 'deleted') throw deleteConflict(result);
    return undefined;
  },
};
