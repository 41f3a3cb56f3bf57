import { policyArn } from '../arns.js';
import { IamError } from '../../errors/IamError.js';
import type { IamOperation } from '../IamOperation.js';
import { newPolicyId } from '../ids.js';
import { checkIdentityPolicy, checkName, checkPath, POLICY_SIZE } from '../validate.js';
import { policyXml } from '../wire/shapes.js';

/** CreatePolicy: a customer managed policy (version v1), ARN arn:aws:iam::<account>:policy/<path><name>. */
export const CreatePolicy: IamOperation = {
  name: 'CreatePolicy',
  async handle(ctx) {
    const policyName = checkName(ctx.params.required('PolicyName'), 'policyName', 128);
    const path = checkPath(ctx.params.get('Path'));
    const document = ctx.params.required('PolicyDocument');
    const description = ctx.params.get('Description');
    if (description !== undefined && description.length > 1000) {
      throw new IamError('ValidationError', "1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 1000");
    }
    const arn = policyArn(ctx.accountId, path, policyName);
    await ctx.authorize('iam:CreatePolicy', arn);
    checkIdentityPolicy(document, POLICY_SIZE.managed, `Cannot exceed quota for PolicySize: ${POLICY_SIZE.managed}`);
    const policy = {
      accountId: ctx.accountId,
      policyName,
      policyId: newPolicyId(),
      path,
      arn,
      ...(description === undefined ? {} : { description }),
      document,
      createdAt: ctx.now,
      updatedAt: ctx.now,
      attachmentCount: 0,
    };
    if ((await ctx.store.createPolicy(policy)) === 'exists') {
      throw new IamError('EntityAlreadyExists', `A policy called ${policyName} already exists. Duplicate names are not allowed.`);
    }
    return { Policy: policyXml(policy) };
  },
};
