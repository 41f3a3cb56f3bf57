import { userArn } from '../arns.js';
import { IamError } from '../../errors/IamError.js';
import type { IamOperation } from '../IamOperation.js';
import { newUserId } from '../ids.js';
import { checkName, checkPath, tagsOf } from '../validate.js';
import { userXml } from '../wire/shapes.js';

export const CreateUser: IamOperation = {
  name: 'CreateUser',
  async handle(ctx) {
    const userName = checkName(ctx.params.required('UserName'), 'userName');
    const path = checkPath(ctx.params.get('Path'));
    const tags = tagsOf(ctx.params);
    await ctx.authorize('iam:CreateUser', userArn(ctx.accountId, path, userName));
    const user = { accountId: ctx.accountId, userName, userId: newUserId(), path, createdAt: ctx.now, tags };
    if ((await ctx.store.createUser(user)) === 'exists') {
      throw new IamError('EntityAlreadyExists', `User with name ${userName} already exists.`);
    }
    return { User: userXml(user) };
  },
};
