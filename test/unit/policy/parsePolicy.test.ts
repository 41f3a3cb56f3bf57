import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePolicy, PolicyParseError, type PolicyKind, type PolicyProblem } from '../../../src/policy/engine/index.js';
import { BUCKET } from './helpers.js';

const OBJECTS = `arn:aws:s3:::${BUCKET}/*`;
const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;

function stmt(extra: Record<string, unknown>): Record<string, unknown> {
  return { Sid: 'S', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: OBJECTS, ...extra };
}

function doc(...statements: Record<string, unknown>[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

function parse(text: string, kind: PolicyKind = 'resource'): unknown {
  return parsePolicy(text, kind, { bucket: BUCKET });
}

function failure(text: string, kind: PolicyKind = 'resource'): PolicyParseError {
  try {
    parse(text, kind);
  } catch (e) {
    if (e instanceof PolicyParseError) return e;
    throw e;
  }
  assert.fail(`expected a PolicyParseError for ${text}`);
}

type Row = readonly [name: string, text: string, problem: PolicyProblem, reason: string, kind?: PolicyKind];

/** Bucket-policy (and a few identity-policy) documents AWS refuses, with the problem and message. */
const ROWS: readonly Row[] = [
  ['not JSON', '{"Version": ', 'InvalidJson', "Policies must be valid JSON and the first byte must be '{'"],
  ['not an object', '[]', 'InvalidJson', "Policies must be valid JSON and the first byte must be '{'"],
  ['unknown version', JSON.stringify({ Version: '2020-01-01', Statement: [stmt({})] }), 'InvalidVersion', 'The policy must contain a valid version string'],
  ['no Statement', JSON.stringify({ Version: '2012-10-17' }), 'MissingField', 'Missing required field Statement'],
  ['empty Statement', JSON.stringify({ Version: '2012-10-17', Statement: [] }), 'MissingField', 'Missing required field Statement'],
  ['unknown top-level field', JSON.stringify({ Version: '2012-10-17', Statement: [stmt({})], Extra: 1 }), 'UnknownField', 'Unknown field Extra'],
  ['unknown statement field', doc(stmt({ Actions: 's3:*' })), 'UnknownField', 'Unknown field Actions'],
  ['no Effect', doc(stmt({ Effect: undefined })), 'MissingField', 'Missing required field Effect'],
  ['bad Effect', doc(stmt({ Effect: 'hello' })), 'InvalidEffect', 'Invalid effect: hello'],
  ['lower-case effect', doc(stmt({ Effect: 'allow' })), 'InvalidEffect', 'Invalid effect: allow'],
  ['no Principal', doc(stmt({ Principal: undefined })), 'MissingField', 'Missing required field Principal'],
  ['Principal and NotPrincipal', doc(stmt({ NotPrincipal: { AWS: '111122223333' } })), 'InvalidPrincipal', 'Invalid principal in policy'],
  ['principal as a bare account', doc(stmt({ Principal: '111122223333' })), 'InvalidPrincipal', 'Invalid principal in policy'],
  ['principal with a partial wildcard', doc(stmt({ Principal: { AWS: 'arn:aws:iam::111122223333:user/*' } })), 'InvalidPrincipal', 'Invalid principal in policy'],
  ['principal with a bad account id', doc(stmt({ Principal: { AWS: 'arn:aws:iam::1234:root' } })), 'InvalidPrincipal', 'Invalid principal in policy'],
  ['principal is an access key id', doc(stmt({ Principal: { AWS: 'AKIAIOSFODNN7EXAMPLE' } })), 'InvalidPrincipal', 'Invalid principal in policy'],
  ['principal is a group', doc(stmt({ Principal: { AWS: 'arn:aws:iam::111122223333:group/admins' } })), 'InvalidPrincipal', 'Invalid principal in policy'],
  ['unknown principal type', doc(stmt({ Principal: { User: 'x' } })), 'InvalidPrincipal', 'Invalid principal in policy'],
  ['empty principal list', doc(stmt({ Principal: { AWS: [] } })), 'InvalidPrincipal', 'Invalid principal in policy'],
  ['bad canonical id', doc(stmt({ Principal: { CanonicalUser: 'abc' } })), 'InvalidPrincipal', 'Invalid principal in policy'],
  ['no Action', doc(stmt({ Action: undefined })), 'MissingField', 'Missing required field Action'],
  ['Action and NotAction', doc(stmt({ NotAction: 's3:PutObject' })), 'InvalidAction', 'Statement must not contain both Action and NotAction'],
  ['unknown S3 action', doc(stmt({ Action: 's3:GetObjekt' })), 'InvalidAction', 'Policy has invalid action'],
  ['wildcard matching no action', doc(stmt({ Action: 's3:Frobnicate*' })), 'InvalidAction', 'Policy has invalid action'],
  ['not an action', doc(stmt({ Action: 'invalid_action' })), 'InvalidAction', 'Policy has invalid action'],
  ['another service in a bucket policy', doc(stmt({ Action: 'iam:CreateUser' })), 'InvalidAction', 'Policy has invalid action'],
  ['empty action list', doc(stmt({ Action: [] })), 'InvalidAction', 'Action must not be empty'],
  ['no Resource', doc(stmt({ Resource: undefined })), 'MissingField', 'Missing required field Resource'],
  ['Resource * in a bucket policy', doc(stmt({ Resource: '*' })), 'InvalidResource', 'Policy has invalid resource'],
  ['resource in another bucket', doc(stmt({ Resource: 'arn:aws:s3:::otherbucket/*' })), 'InvalidResource', 'Policy has invalid resource'],
  ['resource not an S3 ARN', doc(stmt({ Resource: 'arn:aws:sqs:us-east-1:111122223333:q' })), 'InvalidResource', 'Policy has invalid resource'],
  ['resource not an ARN', doc(stmt({ Resource: BUCKET })), 'InvalidResource', 'Policy has invalid resource'],
  ['object action on the bucket ARN', doc(stmt({ Action: 's3:PutObject', Resource: BUCKET_ARN })), 'ActionResourceMismatch', 'Action does not apply to any resource(s) in statement'],
  ['bucket action on object ARNs', doc(stmt({ Action: ['s3:GetObject', 's3:ListBucket'] })), 'ActionResourceMismatch', 'Action does not apply to any resource(s) in statement'],
  ['account action in a bucket policy', doc(stmt({ Action: 's3:ListAllMyBuckets', Resource: BUCKET_ARN })), 'ActionResourceMismatch', 'Action does not apply to any resource(s) in statement'],
  ['unknown operator', doc(stmt({ Condition: { StringEqualz: { 's3:prefix': 'x' } } })), 'InvalidCondition', 'Invalid Condition type : StringEqualz'],
  ['unknown S3 key', doc(stmt({ Condition: { StringEquals: { 's3:ExistingObjectTags/x': 'y' } } })), 'InvalidConditionKey', 'Policy has an invalid condition key'],
  ['unknown service key in a bucket policy', doc(stmt({ Condition: { StringEquals: { 'iam:PolicyARN': 'y' } } })), 'InvalidConditionKey', 'Policy has an invalid condition key'],
  ['bad numeric value', doc(stmt({ Action: 's3:ListBucket', Resource: BUCKET_ARN, Condition: { NumericLessThan: { 's3:max-keys': 'ten' } } })), 'InvalidCondition', 'Invalid value for NumericLessThan condition on s3:max-keys: ten'],
  ['bad date value', doc(stmt({ Condition: { DateLessThan: { 'aws:CurrentTime': 'tomorrow' } } })), 'InvalidCondition', 'Invalid value for DateLessThan condition on aws:CurrentTime: tomorrow'],
  ['bad CIDR', doc(stmt({ Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/40' } } })), 'InvalidCondition', 'Invalid value for IpAddress condition on aws:SourceIp: 10.0.0.0/40'],
  ['nested condition value', doc(stmt({ Condition: { StringEquals: { 's3:prefix': { a: 1 } } } })), 'InvalidCondition', 'Invalid value for StringEquals condition on s3:prefix'],
  ['condition block not an object', doc(stmt({ Condition: { StringEquals: 'x' } })), 'InvalidCondition', 'Condition StringEquals must map keys to values'],
  [
    'existing-tag condition on PutObject',
    doc(stmt({ Action: 's3:PutObject', Condition: { StringEquals: { 's3:ExistingObjectTag/sealed': 'on' } } })),
    'ConditionActionMismatch',
    'Conditions do not apply to combination of actions and resources in statement',
  ],
  [
    'existing-tag condition on GetObject and PutObject',
    doc(stmt({ Action: ['s3:GetObject', 's3:PutObject'], Condition: { StringEquals: { 's3:ExistingObjectTag/security': 'public' } } })),
    'ConditionActionMismatch',
    'Conditions do not apply to combination of actions and resources in statement',
  ],
  [
    'existing-tag condition on DeleteObject',
    doc(stmt({ Action: 's3:DeleteObject', Condition: { StringEquals: { 's3:ExistingObjectTag/security': 'public' } } })),
    'ConditionActionMismatch',
    'Conditions do not apply to combination of actions and resources in statement',
  ],
  [
    'request-tag condition on PutObjectAcl',
    doc(stmt({ Action: 's3:PutObjectAcl', Condition: { StringEquals: { 's3:RequestObjectTag/Project': 'X' } } })),
    'ConditionActionMismatch',
    'Conditions do not apply to combination of actions and resources in statement',
  ],
  [
    's3:prefix on GetObject',
    doc(stmt({ Condition: { StringLike: { 's3:prefix': 'home/*' } } })),
    'ConditionActionMismatch',
    'Conditions do not apply to combination of actions and resources in statement',
  ],
  ['duplicate Sid', doc(stmt({}), stmt({ Action: 's3:PutObject' })), 'DuplicateSid', 'Statement IDs (SID) in a single policy must be unique'],
  ['identity policy naming a principal', doc(stmt({ Resource: '*' })), 'PrincipalNotAllowed', 'Policy document should not specify a principal.', 'identity'],
  ['identity policy with a bad resource', doc(stmt({ Principal: undefined, Resource: 'bucket/*' })), 'InvalidResource', 'Resource bucket/* must be in ARN format or "*".', 'identity'],
  [
    'identity policy with a non-alphanumeric Sid',
    doc(stmt({ Principal: undefined, Sid: 'my sid' })),
    'InvalidSid',
    'Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*',
    'identity',
  ],
  ['identity policy with an unknown S3 action', doc(stmt({ Principal: undefined, Action: 's3:Nope' })), 'InvalidAction', 'Policy has invalid action', 'identity'],
];

describe('parsePolicy rejects what AWS rejects, naming the statement', () => {
  for (const [name, text, problem, reason, kind] of ROWS) {
    it(name, () => {
      const e = failure(text, kind);
      assert.equal(e.problem, problem);
      assert.equal(e.reason, reason);
    });
  }

  it('names the statement by index and Sid in the error and its message', () => {
    const e = failure(doc({ ...stmt({}), Sid: 'First' }, { ...stmt({ Action: 's3:Bogus' }), Sid: 'Second' }));
    assert.equal(e.statementIndex, 1);
    assert.equal(e.sid, 'Second');
    assert.equal(e.value, 's3:Bogus');
    assert.equal(e.message, 'Statement 1 (Sid "Second"): Policy has invalid action: s3:Bogus');
  });

  it('statements without a Sid are named by index alone', () => {
    const e = failure(doc({ ...stmt({}), Sid: undefined }, { ...stmt({ Effect: 'Maybe' }), Sid: undefined }));
    assert.equal(e.statementIndex, 1);
    assert.equal(e.sid, undefined);
    assert.equal(e.message, 'Statement 1: Invalid effect: Maybe');
  });

  it('document-level errors have no statement', () => {
    const e = failure('nope');
    assert.equal(e.statementIndex, undefined);
    assert.equal(e.message, "Policies must be valid JSON and the first byte must be '{'");
  });
});

describe('parsePolicy accepts what AWS accepts', () => {
  const accepted: readonly [string, string, PolicyKind?][] = [
    ['Statement as a single object, Version 2008-10-17', JSON.stringify({ Version: '2008-10-17', Id: 'P1', Statement: stmt({}) })],
    ['no Version', JSON.stringify({ Statement: [stmt({})] })],
    ['all principal forms', doc(stmt({ Principal: { AWS: ['*', '111122223333', 'arn:aws:iam::111122223333:root', 'arn:aws:iam::111122223333:user/path/alice', 'arn:aws:iam::111122223333:role/r', 'arn:aws:sts::111122223333:assumed-role/r/s'], CanonicalUser: 'a'.repeat(64), Service: 'cloudfront.amazonaws.com', Federated: 'cognito-identity.amazonaws.com' } }))],
    ['NotPrincipal with Deny', doc(stmt({ Effect: 'Deny', Principal: undefined, NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' } }))],
    ['actions in any case and with wildcards', doc(stmt({ Action: ['S3:getobject', 's3:Get*', 's3:*Object', '*'], Resource: [OBJECTS, BUCKET_ARN] }))],
    ['s3:* on objects only', doc(stmt({ Action: 's3:*' }))],
    ['NotAction and NotResource', doc(stmt({ Action: undefined, NotAction: 's3:DeleteObject', Resource: undefined, NotResource: `${BUCKET_ARN}/keep/*` }))],
    ['resource with a wildcard bucket covering this bucket', doc(stmt({ Resource: 'arn:aws:s3:::awsexample*/*' }))],
    ['resource with variables in the key', doc(stmt({ Resource: `${BUCKET_ARN}/home/\${aws:username}/*` }))],
    ['every operator form', doc(stmt({ Condition: { 'ForAnyValue:StringLikeIfExists': { 'aws:UserAgent': ['a*'] }, Null: { 's3:ExistingObjectTag/x': 'false' }, NumericGreaterThanEquals: { 's3:signatureAge': 10 }, Bool: { 'aws:SecureTransport': true }, NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '2001:db8::/32'] }, DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } } }))],
    ['recognised keys Tessera does not fill in', doc(stmt({ Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1', 'aws:PrincipalOrgID': 'o-1' } } }))],
    ['existing-tag condition with a wildcard covering a valid action', doc(stmt({ Action: 's3:Put*', Condition: { StringEquals: { 's3:ExistingObjectTag/x': 'y' } } }))],
    ['existing-tag condition on GetObjectAttributes (accepted, not evaluated)', doc(stmt({ Action: 's3:GetObjectAttributes', Condition: { StringEquals: { 's3:ExistingObjectTag/x': 'y' } } }))],
    ['request tags on PutObject', doc(stmt({ Action: 's3:PutObject', Condition: { 'ForAllValues:StringEquals': { 's3:RequestObjectTagKeys': ['a'] } } }))],
    ['s3:prefix on ListBucket', doc(stmt({ Action: 's3:ListBucket', Resource: BUCKET_ARN, Condition: { StringLike: { 's3:prefix': ['', 'home/'] } } }))],
    ['a bucket policy Sid with spaces', doc(stmt({ Sid: 'Allow public read' }))],
    ['identity policy with other services and any resource', doc({ Effect: 'Allow', Action: ['iam:CreateUser', 's3:GetObject'], Resource: ['*', 'arn:aws:iam::111122223333:user/*'], Condition: { StringEquals: { 'iam:PassedToService': 'x' } } }), 'identity'],
  ];
  for (const [name, text, kind] of accepted) {
    it(name, () => {
      assert.doesNotThrow(() => parse(text, kind));
    });
  }

  it('compiles once: the same text gives the same Policy object', () => {
    const text = doc(stmt({ Sid: 'Cached', Resource: 'arn:aws:s3:::awsexample*/*' }));
    assert.equal(parse(text), parse(text));
    assert.notEqual(parsePolicy(text, 'resource', { bucket: BUCKET }), parsePolicy(text, 'resource', { bucket: 'awsexample-other' }));
  });

  it('exposes the parsed shape', () => {
    const policy = parsePolicy(JSON.stringify({ Version: '2012-10-17', Id: 'Doc', Statement: [stmt({ Sid: 'One' }), stmt({ Sid: '', Effect: 'Deny' })] }), 'resource', { bucket: BUCKET });
    assert.equal(policy.version, '2012-10-17');
    assert.equal(policy.id, 'Doc');
    assert.deepEqual(policy.statements.map((s) => [s.index, s.sid, s.effect]), [[0, 'One', 'Allow'], [1, undefined, 'Deny']]);
  });
});
