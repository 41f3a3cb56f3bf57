import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { authorizeIdentity, type IdentityAuthorization } from '../../../src/policy/authorizeIdentity.js';
import { CompiledPolicies } from '../../../src/policy/CompiledPolicies.js';
import type { RequestFacts } from '../../../src/policy/RequestFacts.js';
import { iamUser, NOW, OTHER, OWNER, root } from './helpers.js';

const allow = (action: string, resource: string, condition?: object): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: resource, ...(condition ? { Condition: condition } : {}) }] });
const deny = (action: string, resource: string): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: action, Resource: resource }] });

const alice = iamUser(OWNER, 'alice');
const JOBS = `arn:aws:s3:${'us-east-1'}:${OWNER}:job/*`;
const USER_ARN = `arn:aws:iam::${OWNER}:user/bob`;
const local: RequestFacts = { now: NOW, sourceIp: '127.0.0.1', secureTransport: false, userAgent: 'aws-cli/1.0' };
const elsewhere: RequestFacts = { now: NOW, sourceIp: '192.0.2.7', secureTransport: true, userAgent: 'boto3' };

const compiled = new CompiledPolicies(undefined);

interface Case {
  readonly name: string;
  readonly request: Omit<IdentityAuthorization, 'identityPolicies'>;
  readonly policies: readonly string[];
  readonly effect: 'Allow' | 'Deny';
}

/** The same decision for every API: S3 Control (s3:CreateJob), IAM (iam:CreateUser) and batch tasks (s3:PutObjectTagging). */
const CASES: readonly Case[] = [
  { name: 'the root user may act in its own account', request: { principal: root(OWNER), action: 'iam:CreateUser', resource: USER_ARN, facts: local }, policies: [], effect: 'Allow' },
  { name: 'a user with no policy may not', request: { principal: alice, action: 'iam:CreateUser', resource: USER_ARN, facts: local }, policies: [], effect: 'Deny' },
  { name: 'an identity Allow allows', request: { principal: alice, action: 's3:CreateJob', resource: JOBS, facts: local }, policies: [allow('s3:CreateJob', '*')], effect: 'Allow' },
  {
    name: 'an explicit Deny wins',
    request: { principal: alice, action: 's3:CreateJob', resource: JOBS, facts: local },
    policies: [allow('s3:*', '*'), deny('s3:CreateJob', '*')],
    effect: 'Deny',
  },
  {
    name: 'aws:SourceIp matches the request facts',
    request: { principal: alice, action: 'iam:CreateUser', resource: USER_ARN, facts: local },
    policies: [allow('iam:CreateUser', '*', { IpAddress: { 'aws:SourceIp': '127.0.0.0/8' } })],
    effect: 'Allow',
  },
  {
    name: 'aws:SourceIp from elsewhere does not match',
    request: { principal: alice, action: 'iam:CreateUser', resource: USER_ARN, facts: elsewhere },
    policies: [allow('iam:CreateUser', '*', { IpAddress: { 'aws:SourceIp': '127.0.0.0/8' } })],
    effect: 'Deny',
  },
  {
    name: 'aws:SecureTransport false is seen',
    request: { principal: alice, action: 's3:CreateJob', resource: JOBS, facts: local },
    policies: [allow('s3:CreateJob', '*', { Bool: { 'aws:SecureTransport': 'true' } })],
    effect: 'Deny',
  },
  {
    name: 'aws:SecureTransport true is seen',
    request: { principal: alice, action: 's3:CreateJob', resource: JOBS, facts: elsewhere },
    policies: [allow('s3:CreateJob', '*', { Bool: { 'aws:SecureTransport': 'true' } })],
    effect: 'Allow',
  },
  {
    name: 'a batch task: request tags condition',
    request: {
      principal: alice,
      action: 's3:PutObjectTagging',
      resource: 'arn:aws:s3:::b/k',
      facts: { now: NOW },
      conditions: { requestObjectTags: [{ key: 'project', value: 'zoo' }] },
    },
    policies: [allow('s3:PutObjectTagging', '*', { StringEquals: { 's3:RequestObjectTag/project': 'zoo' } })],
    effect: 'Allow',
  },
  {
    name: 'a batch task: a source-IP condition cannot match work done on no request',
    request: { principal: alice, action: 's3:PutObjectTagging', resource: 'arn:aws:s3:::b/k', facts: { now: NOW } },
    policies: [allow('s3:PutObjectTagging', '*', { IpAddress: { 'aws:SourceIp': '127.0.0.0/8' } })],
    effect: 'Deny',
  },
  {
    name: 'another account needs the resource policy too',
    request: { principal: iamUser(OTHER, 'eve'), action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', resourceOwnerAccountId: OWNER, facts: local },
    policies: [allow('s3:GetObject', '*')],
    effect: 'Deny',
  },
  {
    name: 'a stored policy that no longer parses is skipped: it grants nothing',
    request: { principal: alice, action: 's3:CreateJob', resource: JOBS, facts: local },
    policies: ['{"Statement": "not a policy"'],
    effect: 'Deny',
  },
  {
    name: 'a stored policy that no longer parses does not hide the readable ones',
    request: { principal: alice, action: 's3:CreateJob', resource: JOBS, facts: local },
    policies: ['{"Statement": "not a policy"', allow('s3:CreateJob', '*')],
    effect: 'Allow',
  },
];

describe('authorizeIdentity: one decision for S3, S3 Control, IAM and batch tasks', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const decision = await authorizeIdentity({ ...c.request, identityPolicies: compiled.compile(c.policies) });
      assert.equal(decision.effect, c.effect);
    });
  }

  it('compiles a frozen policy list once', () => {
    const texts = Object.freeze([allow('s3:CreateJob', '*')]);
    assert.equal(compiled.compile(texts), compiled.compile(texts));
  });
});
