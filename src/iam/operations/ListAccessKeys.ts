import type { IamOperation } from '../IamOperation.js';
import { accessKeyXml, pagedXml } from '../wire/shapes.js';
import { noSuchUser, page, userNameOrCaller, userResource } from './common.js';

export const ListAccessKeys: IamOperation = {
  name: 'ListAccessKeys',
  async handle(ctx) {
    const name = userNameOrCaller(ctx);
    const { arn, user } = await userResource(ctx, name);
    await ctx.authorize('iam:ListAccessKeys', arn);
    if (!user) throw noSuchUser(name);
    const keys = await ctx.store.listAccessKeys(ctx.accountId, user.userName);
    const { items, marker } = page(ctx, keys, (k) => k.accessKeyId);
    return pagedXml('AccessKeyMetadata', items.map((k) => accessKeyXml(user.userName, k, false)), marker);
  },
};
