import type { IamOperation } from '../IamOperation.js';
import { checkName } from '../validate.js';
import { deleteConflict, noSuchUser, userResource } from './common.js';

/** DeleteUser: refused (DeleteConflict) while the user has access keys or policies, as in AWS. */
export const DeleteUser: IamOperation = {
  name: 'DeleteUser',
  async handle(ctx) {
    const name = checkName(ctx.params.required('UserName'), 'userName');
    const { arn } = await userResource(ctx, name);
    await ctx.authorize('iam:DeleteUser', arn);
    const result = await ctx.store.deleteUser(ctx.accountId, name);
    if (result === 'missing') throw noSuchUser(name);
    if (result !== 'deleted') throw deleteConflict(result);
    return undefined;
  },
};
