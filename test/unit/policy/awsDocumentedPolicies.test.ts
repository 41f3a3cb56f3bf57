import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PolicyParseError } from '../../../src/policy/engine/index.js';
import { ANON, ask, bucketPolicy, canonicalOf, iamUser, OTHER, OWNER, root, tagLoader, tags, userPolicy } from './helpers.js';

/**
 * The three policies of the Amazon S3 User Guide, "Tagging and access control policies"
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/tagging-and-policies.html), copied verbatim. Their
 * placeholders ("64-digit-alphanumeric-value", "account-number-without-hyphens", "username") are only replaced with
 * real values for evaluation, exactly as a reader of the guide would.
 */

// Example 1: Allow a user to read only the objects that have a specific tag (security : public).
const EXAMPLE_1 = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect":     "Allow",
      "Action":     "s3:GetObject",
      "Resource":    "arn:aws:s3:::awsexamplebucket1/*",
      "Principal":   "*",
      "Condition": {  "StringEquals": {"s3:ExistingObjectTag/security": "public" } }
    }
  ]
}`;

// Example 2: Allow a user to add object tags with restrictions on the allowed tag keys.
const EXAMPLE_2 = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "s3:PutObjectTagging"
      ],
      "Resource": [
        "arn:aws:s3:::awsexamplebucket1/*"
      ],
      "Principal":{
        "CanonicalUser":[
            "64-digit-alphanumeric-value"
         ]
       },
      "Condition": {
        "ForAllValues:StringLike": {
          "s3:RequestObjectTagKeys": [
            "Owner",
            "CreationDate"
          ]
        }
      }
    }
  ]
}`;

// Example 2, second policy: additionally forbid an empty tag set with ForAnyValue.
const EXAMPLE_2_NON_EMPTY = `{

  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "s3:PutObjectTagging"
      ],
      "Resource": [
        "arn:aws:s3:::awsexamplebucket1/*"
      ],
      "Principal":{
        "AWS":[
            "arn:aws:iam::account-number-without-hyphens:user/username"
         ]
       },
      "Condition": {
        "ForAllValues:StringLike": {
          "s3:RequestObjectTagKeys": [
            "Owner",
            "CreationDate"
          ]
        },
        "ForAnyValue:StringLike": {
          "s3:RequestObjectTagKeys": [
            "Owner",
            "CreationDate"
          ]
        }
      }
    }
  ]
}`;

// Example 3: Allow a user to add object tags that include a specific tag key and value (Project = X).
const EXAMPLE_3 = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "s3:PutObjectTagging"
      ],
      "Resource": [
        "arn:aws:s3:::awsexamplebucket1/*"
      ],
      "Principal":{
        "AWS":[
            "arn:aws:iam::account-number-without-hyphens:user/username"
         ]
       },
      "Condition": {
        "StringEquals": {
          "s3:RequestObjectTag/Project": "X"
        }
      }
    }
  ]
}`;

/** Fill in the guide's account placeholder with the bucket owner's account (the user "username" lives there). */
function filled(doc: string): string {
  return doc.replace('account-number-without-hyphens', OWNER);
}

const user = iamUser(OWNER, 'username');
const stranger = iamUser(OWNER, 'someoneelse');

describe('AWS example 1: GetObject only for objects tagged security=public', () => {
  const policy = bucketPolicy(EXAMPLE_1);

  const rows = [
    ['public object, anonymous', ANON, 's3:GetObject', { security: 'public' }, 'Allow'],
    ['public object, IAM user', user, 's3:GetObject', { security: 'public' }, 'Allow'],
    ['public among other tags', ANON, 's3:GetObject', { team: 'a', security: 'public' }, 'Allow'],
    ['private object', ANON, 's3:GetObject', { security: 'private' }, 'Deny'],
    ['untagged object', ANON, 's3:GetObject', {}, 'Deny'],
    ['tag value case differs', ANON, 's3:GetObject', { security: 'Public' }, 'Deny'],
    ['tag key case differs', ANON, 's3:GetObject', { Security: 'public' }, 'Deny'],
    ['other action on a public object', ANON, 's3:PutObject', { security: 'public' }, 'Deny'],
    ['GetObjectVersion is a different action', ANON, 's3:GetObjectVersion', { security: 'public' }, 'Deny'],
  ] as const;
  for (const [name, principal, action, existing, effect] of rows) {
    it(`${name} → ${effect}`, async () => {
      const loader = tagLoader(tags(existing));
      const d = await ask({ principal, action, key: 'photos/cat.jpg', resource: policy, extras: { existingObjectTags: loader.load } });
      assert.equal(d.effect, effect);
      assert.equal(loader.calls, action === 's3:GetObject' ? 1 : 0, 'tags are loaded only for the action the statement covers');
    });
  }

  it('does not apply to another bucket', async () => {
    const loader = tagLoader(tags({ security: 'public' }));
    const d = await ask({ principal: ANON, action: 's3:GetObject', key: 'arn:aws:s3:::otherbucket/photos/cat.jpg', resource: policy, extras: { existingObjectTags: loader.load } });
    assert.equal(d.effect, 'Deny');
    assert.equal(loader.calls, 0);
  });
});

describe('AWS example 2: PutObjectTagging only with the tag keys Owner and CreationDate', () => {
  it('the verbatim policy is rejected until its placeholder is filled in (the canonical id is not 64 hex digits)', () => {
    assert.throws(() => bucketPolicy(EXAMPLE_2), (e: unknown) => e instanceof PolicyParseError && e.reason === 'Invalid principal in policy' && e.statementIndex === 0);
  });

  // The CanonicalUser principal names an account. Fill in another account's canonical id and ask as that account's
  // root user, whose own side always allows, so the bucket policy alone decides.
  const policy = bucketPolicy(EXAMPLE_2.replace('64-digit-alphanumeric-value', canonicalOf(OTHER)));
  const rows = [
    [{ Owner: 'alice', CreationDate: '2024-05-01' }, 'Allow'],
    [{ Owner: 'alice' }, 'Allow'],
    [{ Owner: 'alice', Project: 'X' }, 'Deny'],
    [{ owner: 'alice' }, 'Deny'],
    [{ Project: 'X' }, 'Deny'],
    // "A user might send an empty tag set in PutObjectTagging, which is allowed by this policy."
    [{}, 'Allow'],
  ] as const;
  for (const [requestTags, effect] of rows) {
    it(`the named account sets ${JSON.stringify(requestTags)} → ${effect}`, async () => {
      const d = await ask({ principal: root(OTHER), action: 's3:PutObjectTagging', key: 'doc.pdf', resource: policy, extras: { requestObjectTags: tags(requestTags) } });
      assert.equal(d.effect, effect);
    });
  }

  it("the account's IAM users also need their own identity Allow (cross-account)", async () => {
    const carol = iamUser(OTHER, 'carol');
    const own = userPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:PutObjectTagging', Resource: '*' }] });
    const extras = { requestObjectTags: tags({ Owner: 'carol' }) };
    assert.equal((await ask({ principal: carol, action: 's3:PutObjectTagging', key: 'doc.pdf', resource: policy, extras })).effect, 'Deny');
    assert.equal((await ask({ principal: carol, action: 's3:PutObjectTagging', key: 'doc.pdf', resource: policy, identity: [own], extras })).effect, 'Allow');
  });

  it('another account is not named', async () => {
    const d = await ask({ principal: root('999988887777'), action: 's3:PutObjectTagging', key: 'doc.pdf', resource: policy, extras: { requestObjectTags: tags({ Owner: 'x' }) } });
    assert.equal(d.effect, 'Deny');
  });
});

describe('AWS example 2 (second policy): an empty tag set is refused', () => {
  it('the verbatim policy is rejected until its placeholder is filled in (no account number)', () => {
    assert.throws(() => bucketPolicy(EXAMPLE_2_NON_EMPTY), (e: unknown) => e instanceof PolicyParseError && e.problem === 'InvalidPrincipal');
  });

  const policy = bucketPolicy(filled(EXAMPLE_2_NON_EMPTY));
  const rows = [
    [user, { Owner: 'alice', CreationDate: '2024-05-01' }, 'Allow'],
    [user, { CreationDate: '2024-05-01' }, 'Allow'],
    [user, {}, 'Deny'],
    [user, { Owner: 'alice', Project: 'X' }, 'Deny'],
    [user, { Project: 'X' }, 'Deny'],
    [stranger, { Owner: 'alice' }, 'Deny'],
  ] as const;
  for (const [principal, requestTags, effect] of rows) {
    it(`${principal.kind === 'user' ? principal.userName : ''} sets ${JSON.stringify(requestTags)} → ${effect}`, async () => {
      const d = await ask({ principal, action: 's3:PutObjectTagging', key: 'doc.pdf', resource: policy, extras: { requestObjectTags: tags(requestTags) } });
      assert.equal(d.effect, effect);
    });
  }

  it('a request that sets no tags at all (key absent) is refused too', async () => {
    assert.equal((await ask({ principal: user, action: 's3:PutObjectTagging', key: 'doc.pdf', resource: policy })).effect, 'Deny');
  });
});

describe('AWS example 3: PutObjectTagging only when Project = X', () => {
  const policy = bucketPolicy(filled(EXAMPLE_3));
  const rows = [
    [{ Project: 'X' }, 'Allow'],
    [{ Project: 'X', Owner: 'alice' }, 'Allow'],
    [{ Project: 'Y' }, 'Deny'],
    [{ Project: 'x' }, 'Deny'],
    [{ project: 'X' }, 'Deny'],
    [{ Owner: 'alice' }, 'Deny'],
    [{}, 'Deny'],
  ] as const;
  for (const [requestTags, effect] of rows) {
    it(`sets ${JSON.stringify(requestTags)} → ${effect}`, async () => {
      const d = await ask({ principal: user, action: 's3:PutObjectTagging', key: 'doc.pdf', resource: policy, extras: { requestObjectTags: tags(requestTags) } });
      assert.equal(d.effect, effect);
    });
  }

  it('does not grant PutObject', async () => {
    const d = await ask({ principal: user, action: 's3:PutObject', key: 'doc.pdf', resource: policy, extras: { requestObjectTags: tags({ Project: 'X' }) } });
    assert.equal(d.effect, 'Deny');
  });
});
