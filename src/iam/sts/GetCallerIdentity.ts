import type { IamOperation } from '../IamOperation.js';

/** GetCallerIdentity: who signed the request. Needs no permission (as in AWS). */
export const GetCallerIdentity: IamOperation = {
  name: 'GetCallerIdentity',
  handle(ctx) {
    const caller = ctx.caller;
    return Promise.resolve({
      UserId: caller.isRoot ? caller.accountId : (caller.userId ?? caller.accountId),
      Account: caller.accountId,
      Arn: caller.arn,
    });
  },
};
