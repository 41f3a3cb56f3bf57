import { IamError } from '../../errors/IamError.js';
import type { IamOperation } from '../IamOperation.js';
import { noSuchUser, userNameOrCaller, userResource } from './common.js';

export const DeleteAccessKey: IamOperation = {
  name: 'DeleteAccessKey',
  async handle(ctx) {
    const name = userNameOrCaller(ctx);
    const accessKeyId = ctx.params.required('AccessKeyId');
    const { arn, user } = await userResource(ctx, name);
    await ctx.authorize('iam:DeleteAccessKey', arn);
    if (!user) throw noSuchUser(name);
    if ((await ctx.store.deleteAccessKey(ctx.accountId, user.userName, accessKeyId)) === 'missing') {
      throw new IamError('NoSuchEntity', `The Access Key with id ${accessKeyId} cannot be found.`);
    }
    return undefined;
  },
};
