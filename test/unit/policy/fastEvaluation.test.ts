import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate, evaluateNow, parsePolicy, RequestContext, verdictNow, type Decision, type Policy, type PolicyPrincipal } from '../../../src/policy/engine/index.js';
import type { Tag } from '../../../src/core/tags/Tag.js';
import { mulberry32 } from '../../support/seededRandom.js';
import { ANON, iamUser, NOW, OTHER, OWNER, root } from './helpers.js';
import { referenceEvaluate } from './support/referenceEvaluate.js';

/**
 * The evaluator's per-action statement lists, compiled resource and condition matchers and one-pass decision must
 * decide exactly as the plain reference evaluator (support/referenceEvaluate.ts: every statement scanned, Action and
 * Resource matched through regular expressions built afresh), on randomized policies and requests — the same effect,
 * reason, deciding statements and missing side, and the same lazy loads.
 */
const BUCKET = 'bkt';
const B = `arn:aws:s3:::${BUCKET}`;

const ACTIONS = [
  's3:GetObject', 's3:PutObjectTagging', 's3:GetObjectTagging', 's3:Get*', 's3:*', '*', 's3:*Tagging', 's3:ListBucket', 's3:DeleteObject',
  'S3:getobject', 's3:Get?bject', 's3:PutBucketPolicy', 's3:GetObjectAttributes', 's3:PutObject',
];
const IDENTITY_ONLY_ACTIONS = ['iam:GetUser', 'iam:*'];
const RESOURCES = [
  '*', `${B}/*`, B, `${B}/data/*`, `${B}/\${aws:username}/*`, 'arn:aws:s3:::b*t/d?ta/*', 'arn:aws:s3:::other/*', `${B}/*/x`, `${B}/data/a`,
  `${B}/\${aws:username, 'nobody'}/*`, `${B}/\${*}/*`, 'arn:aws:s3:::*', 'arn:aws:s3:::b?t', `${B}/data/a*`,
];
const IDENTITY_ONLY_RESOURCES = ['arn:aws:iam::*:user/*', `arn:aws:iam::${OWNER}:user/\${aws:username}`, 'arn:*:s3:::bkt/*'];
const CONDITIONS: ReadonlyArray<Record<string, Record<string, unknown>>> = [
  { StringEquals: { 's3:ExistingObjectTag/security': 'public' } },
  { StringEquals: { 's3:ExistingObjectTag/security': ['private', 'restricted'] } },
  { StringNotEquals: { 's3:ExistingObjectTag/Project': 'X' } },
  { StringLike: { 's3:ExistingObjectTag/share': ['team-*', 'org'] } },
  { StringEqualsIfExists: { 's3:ExistingObjectTag/stage': 'prod' } },
  { Null: { 's3:ExistingObjectTag/security': 'true' } },
  { StringEquals: { 's3:RequestObjectTag/security': 'public' } },
  { StringLike: { 's3:RequestObjectTag/Project': ['X', 'Y*'] } },
  { 'ForAllValues:StringLike': { 's3:RequestObjectTagKeys': ['security', 'Project', 'cost-*'] } },
  { 'ForAnyValue:StringLike': { 's3:RequestObjectTagKeys': ['Project', 'aws:*'] } },
  { 'ForAnyValue:StringNotEquals': { 's3:RequestObjectTagKeys': ['security'] } },
  { 'ForAllValues:StringEquals': { 's3:RequestObjectTagKeys': ['security'] } },
  { IpAddress: { 'aws:SourceIp': ['127.0.0.0/8', '::1/128'] } },
  { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
  { DateLessThan: { 'aws:CurrentTime': '2099-12-31T23:59:59Z' } },
  { DateGreaterThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } },
  { Bool: { 'aws:SecureTransport': 'true' } },
  { StringLike: { 's3:prefix': ['data/*', ''] } },
  { StringEquals: { 'aws:username': '${aws:username}' } },
  { StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:user/a*' } },
  { StringEquals: { 'aws:ResourceTag/team': 'blue' } },
];
const PRINCIPALS: readonly unknown[] = ['*', { AWS: OWNER }, { AWS: `arn:aws:iam::${OWNER}:user/alice` }, { AWS: OTHER }, { AWS: `arn:aws:iam::${OTHER}:root` }];

const CALLERS: readonly PolicyPrincipal[] = [root(OWNER), iamUser(OWNER, 'alice'), iamUser(OWNER, 'bob'), iamUser(OTHER, 'carol'), root(OTHER), ANON];
const ASKED = [
  's3:GetObject', 's3:PutObjectTagging', 's3:GetObjectTagging', 's3:ListBucket', 's3:DeleteObject', 's3:PutBucketPolicy', 's3:GetObjectAttributes',
  's3:PutObject', 'iam:GetUser', 'S3:GETOBJECT',
];
const TARGETS = [`${B}/data/a`, `${B}/alice/x`, `${B}/secret/x`, B, 'arn:aws:s3:::other/k', `${B}/nobody/x`, `${B}/*/q`, 'arn:aws:s3:::bat/data/z', `arn:aws:iam::${OWNER}:user/alice`];
const TAG_SETS: ReadonlyArray<readonly Tag[]> = [
  [],
  [{ key: 'security', value: 'public' }, { key: 'Project', value: 'X' }],
  [{ key: 'security', value: 'private' }],
  [{ key: 'share', value: 'team-a' }, { key: 'stage', value: 'prod' }],
  [{ key: 'Project', value: 'Y1' }, { key: 'cost-center', value: '7' }],
  [{ key: 'aws:x', value: '1' }, { key: 'security', value: 'public' }],
];

function some<T>(rnd: () => number, pool: readonly T[], max: number): T[] {
  const n = 1 + Math.floor(rnd() * max);
  return Array.from({ length: n }, () => pool[Math.floor(rnd() * pool.length)] as T);
}
function one<T>(rnd: () => number, pool: readonly T[]): T {
  return pool[Math.floor(rnd() * pool.length)] as T;
}

function statement(rnd: () => number, kind: 'identity' | 'resource', sid: string): Record<string, unknown> {
  const s: Record<string, unknown> = { Sid: sid, Effect: rnd() < 0.55 ? 'Allow' : 'Deny' };
  const actions = some(rnd, kind === 'identity' ? [...ACTIONS, ...IDENTITY_ONLY_ACTIONS] : ACTIONS, 3);
  s[rnd() < 0.15 ? 'NotAction' : 'Action'] = actions.length === 1 ? actions[0] : actions;
  const resources = some(rnd, kind === 'identity' ? [...RESOURCES, ...IDENTITY_ONLY_RESOURCES] : RESOURCES.filter((r) => r !== '*' && !r.startsWith('arn:aws:s3:::other') && r !== 'arn:aws:s3:::*'), 2);
  s[rnd() < 0.15 ? 'NotResource' : 'Resource'] = resources.length === 1 ? resources[0] : resources;
  if (kind === 'resource') s[rnd() < 0.15 ? 'NotPrincipal' : 'Principal'] = one(rnd, PRINCIPALS);
  const conditions = rnd() < 0.3 ? [] : some(rnd, CONDITIONS, 3);
  if (conditions.length > 0) {
    const block: Record<string, Record<string, unknown>> = {};
    for (const c of conditions) for (const [op, keys] of Object.entries(c)) block[op] = { ...block[op], ...keys };
    s['Condition'] = block;
  }
  return s;
}

/** A policy that parses (statements the parser refuses, e.g. an action that applies to none of the resources, are drawn again). */
function policy(rnd: () => number, kind: 'identity' | 'resource', tag: string): Policy {
  for (;;) {
    const n = 1 + Math.floor(rnd() * 6);
    const doc = {
      Version: rnd() < 0.85 ? '2012-10-17' : '2008-10-17',
      ...(rnd() < 0.3 ? { Id: `P${tag}` } : {}),
      Statement: Array.from({ length: n }, (_, i) => statement(rnd, kind, `${tag}S${i}`)),
    };
    try {
      return parsePolicy(JSON.stringify(doc), kind, kind === 'resource' ? { bucket: BUCKET } : {});
    } catch {
      // drawn again
    }
  }
}

interface Case {
  readonly principal: PolicyPrincipal;
  readonly action: string;
  readonly resource: string;
  readonly owner: string | undefined;
  readonly existing: readonly Tag[] | undefined;
  readonly existingLazy: boolean;
  readonly requestTags: readonly Tag[] | undefined;
  readonly bucketTags: readonly Tag[] | undefined;
  readonly sourceIp: string | undefined;
  readonly secure: boolean | undefined;
  readonly prefix: string | undefined;
  readonly now: Date;
}

function request(rnd: () => number): Case {
  return {
    principal: one(rnd, CALLERS),
    action: one(rnd, ASKED),
    resource: one(rnd, TARGETS),
    owner: rnd() < 0.15 ? undefined : rnd() < 0.8 ? OWNER : OTHER,
    existing: rnd() < 0.2 ? undefined : one(rnd, TAG_SETS),
    existingLazy: rnd() < 0.8,
    requestTags: rnd() < 0.3 ? undefined : one(rnd, TAG_SETS),
    bucketTags: rnd() < 0.5 ? undefined : rnd() < 0.5 ? [{ key: 'team', value: 'blue' }] : [],
    sourceIp: one(rnd, ['127.0.0.1', '10.1.2.3', '192.168.0.1', '::1', '::ffff:127.0.0.1', undefined]),
    secure: one(rnd, [true, false, undefined]),
    prefix: one(rnd, ['data/x', '', 'secret/', undefined]),
    now: rnd() < 0.8 ? NOW : new Date('2031-06-01T00:00:00Z'),
  };
}

/** A fresh context for a case; `loads` counts the loader calls. */
function contextOf(c: Case, loads: { existing: number; bucket: number }): RequestContext {
  const existing = c.existing;
  return new RequestContext({
    now: c.now,
    principal: c.principal,
    sourceIp: c.sourceIp,
    secureTransport: c.secure,
    prefix: c.prefix,
    requestObjectTags: c.requestTags,
    existingObjectTags:
      existing === undefined
        ? undefined
        : c.existingLazy
          ? () => {
              loads.existing++;
              return Promise.resolve(existing);
            }
          : existing,
    bucketTags:
      c.bucketTags === undefined
        ? undefined
        : () => {
            loads.bucket++;
            return Promise.resolve(c.bucketTags ?? []);
          },
  });
}

/** Run one evaluator on a fresh context; count the loader calls. */
async function run(
  evaluator: typeof evaluate,
  c: Case,
  identity: readonly Policy[],
  resource: Policy | undefined,
): Promise<{ decision: Decision; existingLoads: number; bucketLoads: number }> {
  const loads = { existing: 0, bucket: 0 };
  const context = contextOf(c, loads);
  const decision = await evaluator({ action: c.action, resource: c.resource, resourceOwnerAccountId: c.owner, context }, { identity, resource });
  return { decision, existingLoads: loads.existing, bucketLoads: loads.bucket };
}

describe('the evaluator decides as the plain reference evaluator (randomized)', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`seed ${seed}: 400 policy sets × 12 requests`, async () => {
      const rnd = mulberry32(seed);
      const reasons = new Map<string, number>();
      for (let set = 0; set < 400; set++) {
        const identity = Array.from({ length: Math.floor(rnd() * 3) }, (_, i) => policy(rnd, 'identity', `I${i}`));
        const resource = rnd() < 0.6 ? policy(rnd, 'resource', 'R') : undefined;
        for (let r = 0; r < 12; r++) {
          const c = request(rnd);
          const fast = await run(evaluate, c, identity, resource);
          const reference = await run(referenceEvaluate, c, identity, resource);
          assert.deepEqual(fast, reference, `seed ${seed}, set ${set}, request ${r}: ${JSON.stringify({ c, identity: identity.map((p) => p.text), resource: resource?.text })}`);
          reasons.set(fast.decision.reason, (reasons.get(fast.decision.reason) ?? 0) + 1);
        }
      }
      // the draw reaches every kind of decision, so the comparison is not vacuous
      for (const reason of ['ExplicitDeny', 'Allowed', 'ImplicitDeny', 'OwnerRoot']) assert.ok((reasons.get(reason) ?? 0) > 20, `${reason}: ${reasons.get(reason) ?? 0}`);
    });
  }

  it('the draw loads existing tags in some requests and not in others', async () => {
    const rnd = mulberry32(99);
    let loaded = 0;
    let asked = 0;
    for (let set = 0; set < 200; set++) {
      const identity = [policy(rnd, 'identity', 'I')];
      for (let r = 0; r < 10; r++) {
        const c = request(rnd);
        if (c.existing === undefined || !c.existingLazy) continue;
        asked++;
        if ((await run(evaluate, c, identity, undefined)).existingLoads > 0) loaded++;
      }
    }
    assert.ok(loaded >= 10 && loaded < asked - 10, `${loaded} of ${asked}`);
  });
});

/** The outcome verdictNow gives for a decision. */
function verdictOf(decision: Decision | undefined): string | undefined {
  if (decision === undefined) return undefined;
  return decision.effect === 'Allow' ? 'allow' : decision.reason === 'ExplicitDeny' ? 'explicit-deny' : 'implicit-deny';
}

describe('verdictNow answers as evaluateNow (randomized)', () => {
  // the IAM user of the owning account without a resource policy takes verdictNow's own walk: drawn half the time
  const alice = iamUser(OWNER, 'alice');
  for (const seed of [11, 12, 13, 14]) {
    it(`seed ${seed}: 400 policy sets × 12 requests, no loader called`, () => {
      const rnd = mulberry32(seed);
      const seen = new Map<string, number>();
      for (let set = 0; set < 400; set++) {
        const identity = Array.from({ length: Math.floor(rnd() * 4) }, (_, i) => policy(rnd, 'identity', `I${i}`));
        const resource = rnd() < 0.5 ? undefined : policy(rnd, 'resource', 'R');
        for (let r = 0; r < 12; r++) {
          const drawn = request(rnd);
          const c: Case = rnd() < 0.5 ? { ...drawn, principal: alice, owner: rnd() < 0.2 ? undefined : OWNER } : drawn;
          const loads = { existing: 0, bucket: 0 };
          const ask = (): Parameters<typeof evaluateNow>[0] => ({ action: c.action, resource: c.resource, resourceOwnerAccountId: c.owner, context: contextOf(c, loads) });
          const expected = verdictOf(evaluateNow(ask(), { identity, resource }));
          const got = verdictNow(ask(), { identity, resource });
          assert.equal(got, expected, `seed ${seed}, set ${set}, request ${r}: ${JSON.stringify({ c, identity: identity.map((p) => p.text), resource: resource?.text })}`);
          assert.deepEqual(loads, { existing: 0, bucket: 0 });
          const own = resource === undefined && c.principal === alice;
          const label = `${own ? 'own' : 'other'}:${String(got)}`;
          seen.set(label, (seen.get(label) ?? 0) + 1);
        }
      }
      // both walks reach every outcome, waiting included, so the comparison is not vacuous
      for (const walk of ['own', 'other']) {
        for (const outcome of ['allow', 'explicit-deny', 'implicit-deny', 'undefined']) {
          assert.ok((seen.get(`${walk}:${outcome}`) ?? 0) >= 10, `${walk}:${outcome}: ${seen.get(`${walk}:${outcome}`) ?? 0}`);
        }
      }
    });
  }
});
