import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextStepFor, unreachableMessage } from '../../../src/cli/cliErrors.js';
import { describeJobJson, describeJobSummary, wireToCli, JOB_FIELD_KINDS, type WireNode } from '../../../src/cli/jobOutput.js';

describe('describe-job output as the AWS CLI prints it', () => {
  const cases: [string, WireNode | WireNode[] | undefined, string, unknown][] = [
    ['boolean', 'false', 'ConfirmationRequired', false],
    ['boolean true', 'true', 'Report.Enabled', true],
    ['integer', '10', 'Priority', 10],
    ['long', '200000', 'ProgressSummary.TotalNumberOfTasks', 200000],
    ['list of strings', { member: ['Bucket', 'Key'] }, 'Manifest.Spec.Fields', ['Bucket', 'Key']],
    ['list of one (parser without array paths)', { member: 'Bucket' }, 'Manifest.Spec.Fields', ['Bucket']],
    ['empty list', '', 'Operation.S3PutObjectTagging.TagSet', []],
    ['list of structures', { member: [{ Key: 'k', Value: 'v' }] }, 'Operation.S3PutObjectTagging.TagSet', [{ Key: 'k', Value: 'v' }]],
    ['empty structure', '', 'Operation.S3DeleteObjectTagging', {}],
    ['string stays a string', '2026-12-04T07:00:00.000Z', 'CreationTime', '2026-12-04T07:00:00.000Z'],
    ['numeric-looking string stays a string', '0123', 'Description', '0123'],
  ];
  for (const [name, wire, path, expected] of cases) {
    it(name, () => assert.deepEqual(wireToCli(wire, path, JOB_FIELD_KINDS), expected));
  }

  const result: WireNode = {
    Job: {
      JobId: 'j-1',
      ConfirmationRequired: 'true',
      Status: 'Suspended',
      Priority: '7',
      Operation: { S3DeleteObjectTagging: '' },
      Manifest: { Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: { member: ['Bucket', 'Key'] } }, Location: { ObjectArn: 'arn:aws:s3:::b/m.csv', ETag: '"e"' } },
      ProgressSummary: { TotalNumberOfTasks: '3', NumberOfTasksSucceeded: '0', NumberOfTasksFailed: '0', Timers: { ElapsedTimeInActiveSeconds: '0' } },
      Report: { Enabled: 'false' },
      RoleArn: 'arn:aws:iam::000000000000:role/r',
      CreationTime: '2026-12-04T07:00:00.000Z',
    },
  };

  it('a whole job', () => {
    assert.deepEqual(describeJobJson(result), {
      Job: {
        JobId: 'j-1',
        ConfirmationRequired: true,
        Status: 'Suspended',
        Priority: 7,
        Operation: { S3DeleteObjectTagging: {} },
        Manifest: { Spec: { Format: 'S3BatchOperations_CSV_20180820', Fields: ['Bucket', 'Key'] }, Location: { ObjectArn: 'arn:aws:s3:::b/m.csv', ETag: '"e"' } },
        ProgressSummary: { TotalNumberOfTasks: 3, NumberOfTasksSucceeded: 0, NumberOfTasksFailed: 0, Timers: { ElapsedTimeInActiveSeconds: 0 } },
        Report: { Enabled: false },
        RoleArn: 'arn:aws:iam::000000000000:role/r',
        CreationTime: '2026-12-04T07:00:00.000Z',
      },
    });
  });

  it('the human summary', () => {
    assert.equal(
      describeJobSummary(describeJobJson(result)),
      [
        'Job:         j-1  Suspended  priority 7  confirmation required',
        'Operation:   S3DeleteObjectTagging',
        'Manifest:    s3://b/m.csv (S3BatchOperations_CSV_20180820: Bucket, Key)',
        'Progress:    0 of 3 succeeded, 0 failed, 0s active',
        'Report:      none',
        'Role:        arn:aws:iam::000000000000:role/r',
        'Created:     2026-12-04T07:00:00.000Z',
        '',
      ].join('\n'),
    );
  });
});

describe('CLI errors name the next step', () => {
  const cases: [string, string, RegExp | undefined][] = [
    ['InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', /check AWS_ACCESS_KEY_ID/],
    ['SignatureDoesNotMatch', 'The request signature we calculated does not match', /check AWS_SECRET_ACCESS_KEY/],
    ['BadRequestException', 'The role arn:aws:iam::1:role/x does not exist in account 1', /--create-role/],
    ['BadRequestException', 'The role arn:aws:iam::1:role/x does not trust batchoperations.s3.amazonaws.com', /update-assume-role-policy/],
    ['BadRequestException', 'The report bucket r does not exist', /create the bucket first/],
    ['AccessDenied', 'Access Denied', /ask for it/],
    ['NotFoundException', 'Job j not found', undefined],
  ];
  for (const [code, message, next] of cases) {
    it(`${code}: ${message}`, () => {
      const step = nextStepFor(code, message);
      if (next === undefined) assert.equal(step, undefined);
      else assert.match(step ?? '', next);
    });
  }
  it('an unreachable endpoint', () => {
    assert.equal(
      unreachableMessage('http://127.0.0.1:9000', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
      'cannot reach http://127.0.0.1:9000 (ECONNREFUSED): is `tessera server` running? set --endpoint or TESSERA_ENDPOINT',
    );
  });
});
