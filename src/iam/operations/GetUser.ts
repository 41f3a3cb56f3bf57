import type { IamOperation } from '../IamOperation.js';
import { isoSeconds } from '../wire/render.js';
import { userXml } from '../wire/shapes.js';
import { noSuchUser, userNameOrCaller, userResource } from './common.js';

/**
 * GetUser: the named user, or the calling IAM user when UserName is omitted. A root user calling without a name gets
 * its own identity (account id as UserId, the account's root ARN), as in AWS.
 */
export const GetUser: IamOperation = {
  name: 'GetUser',
  async handle(ctx) {
    if (ctx.params.get('UserName') === undefined && ctx.caller.isRoot) {
      return { User: { UserId: ctx.accountId, Arn: ctx.caller.arn, CreateDate: isoSeconds(ctx.account.createdAt) } };
    }
    const name = userNameOrCaller(ctx);
    const { arn, user } = await userResource(ctx, name);
    await ctx.authorize('iam:GetUser', arn);
    if (!user) throw noSuchUser(name);
    return { User: userXml(user) };
  },
};
