import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePolicy } from '../../../src/policy/engine/index.js';
import { statementsFor } from '../../../src/policy/engine/evaluate.js';
import { isoSeconds } from '../../../src/policy/engine/RequestContext.js';

/** The per-policy and per-second results the evaluator computes once and reuses. */
describe('statementsFor: the statements whose Action / NotAction applies', () => {
  const policy = parsePolicy(
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Get', Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
        { Sid: 'AllTagging', Effect: 'Allow', Action: 's3:*Tagging', Resource: '*' },
        { Sid: 'NotDelete', Effect: 'Deny', NotAction: ['s3:Delete*'], Resource: '*' },
        { Sid: 'Everything', Effect: 'Allow', Action: '*', Resource: '*' },
        { Sid: 'Case', Effect: 'Allow', Action: 'S3:GETOBJECT', Resource: '*' },
      ],
    }),
    'identity',
  );
  const rows: ReadonlyArray<readonly [string, readonly string[]]> = [
    ['s3:getobject', ['Get', 'NotDelete', 'Everything', 'Case']],
    ['s3:putobjecttagging', ['AllTagging', 'NotDelete', 'Everything']],
    ['s3:deleteobject', ['Everything']],
    ['iam:getuser', ['NotDelete', 'Everything']],
  ];
  for (const [action, sids] of rows) {
    it(action, () => {
      assert.deepEqual(statementsFor(policy, action).map((s) => s.sid), sids);
      // asked again: the same list, in statement order
      assert.equal(statementsFor(policy, action), statementsFor(policy, action));
    });
  }
});

describe('isoSeconds: aws:CurrentTime to the second', () => {
  const rows: ReadonlyArray<readonly [string, string]> = [
    ['2024-05-01T12:00:00.000Z', '2024-05-01T12:00:00Z'],
    ['2024-05-01T12:00:00.999Z', '2024-05-01T12:00:00Z'],
    ['2024-05-01T12:00:01.000Z', '2024-05-01T12:00:01Z'],
    ['2024-05-01T12:00:00.500Z', '2024-05-01T12:00:00Z'],
    ['1969-12-31T23:59:59.500Z', '1969-12-31T23:59:59Z'],
    ['1970-01-01T00:00:00.000Z', '1970-01-01T00:00:00Z'],
  ];
  for (const [at, expected] of rows) {
    it(at, () => assert.equal(isoSeconds(new Date(at)), expected));
  }
  it('an invalid date still throws', () => assert.throws(() => isoSeconds(new Date(NaN)), RangeError));
});
