import type { IamOperation } from '../IamOperation.js';
import { policyXml } from '../wire/shapes.js';
import { authorizedPolicy, noSuchPolicy } from './common.js';

export const GetPolicy: IamOperation = {
  name: 'GetPolicy',
  async handle(ctx) {
    const { arn, policy } = await authorizedPolicy(ctx, 'iam:GetPolicy');
    if (!policy) throw noSuchPolicy(arn);
    return { Policy: policyXml(policy) };
  },
};
