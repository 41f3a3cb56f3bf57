import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OPERATORS } from '../../../src/policy/engine/index.js';
import { cond } from './helpers.js';

type Row = readonly [operator: string, key: string, policy: string | number | boolean | (string | number | boolean)[], request: readonly string[] | undefined, expected: boolean];

function table(name: string, rows: readonly Row[]): void {
  describe(name, () => {
    for (const [operator, key, policy, request, expected] of rows) {
      it(`${operator} ${key}=${JSON.stringify(policy)} vs ${JSON.stringify(request)} → ${expected}`, () => {
        assert.equal(cond(operator, key, policy, request), expected);
      });
    }
  });
}

table('String operators (case-sensitive values, multiple values ORed, absent keys)', [
  ['StringEquals', 's3:prefix', 'home/', ['home/'], true],
  ['StringEquals', 's3:prefix', 'home/', ['Home/'], false],
  ['StringEquals', 's3:prefix', ['a/', 'home/'], ['home/'], true],
  ['StringEquals', 's3:prefix', ['a/', 'b/'], ['home/'], false],
  ['StringEquals', 's3:prefix', 'home/*', ['home/x'], false],
  ['StringEquals', 's3:prefix', 'home/', undefined, false],
  ['StringEquals', 's3:max-keys', 10, ['10'], true],
  ['StringNotEquals', 's3:prefix', 'home/', ['home/'], false],
  ['StringNotEquals', 's3:prefix', 'home/', ['other/'], true],
  ['StringNotEquals', 's3:prefix', ['a/', 'home/'], ['home/'], false],
  ['StringNotEquals', 's3:prefix', 'home/', undefined, true],
  ['StringEqualsIgnoreCase', 's3:x-amz-acl', 'PUBLIC-READ', ['public-read'], true],
  ['StringEqualsIgnoreCase', 's3:x-amz-acl', 'private', ['public-read'], false],
  ['StringEqualsIgnoreCase', 's3:x-amz-acl', 'private', undefined, false],
  ['StringNotEqualsIgnoreCase', 's3:x-amz-acl', 'PUBLIC-READ', ['public-read'], false],
  ['StringNotEqualsIgnoreCase', 's3:x-amz-acl', 'private', ['public-read'], true],
  ['StringNotEqualsIgnoreCase', 's3:x-amz-acl', 'private', undefined, true],
  ['StringLike', 's3:prefix', 'home/*', ['home/a/b'], true],
  ['StringLike', 's3:prefix', 'home/*', ['home/'], true],
  ['StringLike', 's3:prefix', 'home/*', ['HOME/a'], false],
  ['StringLike', 's3:prefix', 'home/?', ['home/a'], true],
  ['StringLike', 's3:prefix', 'home/?', ['home/ab'], false],
  ['StringLike', 's3:prefix', 'home/?', ['home/'], false],
  ['StringLike', 's3:prefix', 'a.b', ['aXb'], false],
  ['StringLike', 's3:prefix', ['x/*', 'home/*'], ['home/1'], true],
  ['StringLike', 's3:prefix', 'home/*', undefined, false],
  ['StringNotLike', 's3:prefix', 'home/*', ['home/a'], false],
  ['StringNotLike', 's3:prefix', 'home/*', ['other/a'], true],
  ['StringNotLike', 's3:prefix', ['x/*', 'home/*'], ['home/a'], false],
  ['StringNotLike', 's3:prefix', 'home/*', undefined, true],
]);

table('Numeric operators', [
  ['NumericEquals', 's3:max-keys', '10', ['10'], true],
  ['NumericEquals', 's3:max-keys', 10, ['10.0'], true],
  ['NumericEquals', 's3:max-keys', '10', ['11'], false],
  ['NumericEquals', 's3:max-keys', '10', ['ten'], false],
  ['NumericEquals', 's3:max-keys', '10', undefined, false],
  ['NumericNotEquals', 's3:max-keys', '10', ['10'], false],
  ['NumericNotEquals', 's3:max-keys', '10', ['11'], true],
  ['NumericNotEquals', 's3:max-keys', ['10', '11'], ['11'], false],
  ['NumericNotEquals', 's3:max-keys', '10', undefined, true],
  ['NumericLessThan', 's3:max-keys', '10', ['9'], true],
  ['NumericLessThan', 's3:max-keys', '10', ['10'], false],
  ['NumericLessThanEquals', 's3:max-keys', '10', ['10'], true],
  ['NumericLessThanEquals', 's3:max-keys', '10', ['11'], false],
  ['NumericGreaterThan', 's3:max-keys', '10', ['11'], true],
  ['NumericGreaterThan', 's3:max-keys', '10', ['10'], false],
  ['NumericGreaterThanEquals', 's3:max-keys', '10', ['10'], true],
  ['NumericGreaterThanEquals', 's3:max-keys', '10', ['9'], false],
  ['NumericGreaterThanEquals', 's3:max-keys', '10', undefined, false],
  ['NumericLessThan', 's3:max-keys', ['5', '100'], ['50'], true],
  ['NumericLessThan', 's3:max-keys', '-1.5', ['-2'], true],
]);

table('Date operators (ISO 8601 and epoch seconds)', [
  ['DateEquals', 'aws:CurrentTime', '2024-05-01T12:00:00Z', ['2024-05-01T12:00:00Z'], true],
  ['DateEquals', 'aws:CurrentTime', '1714564800', ['2024-05-01T12:00:00Z'], true],
  ['DateEquals', 'aws:EpochTime', '2024-05-01T12:00:00Z', ['1714564800'], true],
  ['DateEquals', 'aws:CurrentTime', '2024-05-01T14:00:00+02:00', ['2024-05-01T12:00:00Z'], true],
  ['DateEquals', 'aws:CurrentTime', '2024-05-01', ['2024-05-01T00:00:00Z'], true],
  ['DateEquals', 'aws:CurrentTime', '2024-05-01T12:00:00Z', ['2024-05-01T12:00:01Z'], false],
  ['DateEquals', 'aws:CurrentTime', '2024-05-01T12:00:00Z', ['not a date'], false],
  ['DateNotEquals', 'aws:CurrentTime', '2024-05-01T12:00:00Z', ['2024-05-01T12:00:01Z'], true],
  ['DateNotEquals', 'aws:CurrentTime', '2024-05-01T12:00:00Z', ['2024-05-01T12:00:00Z'], false],
  ['DateNotEquals', 'aws:TokenIssueTime', '2024-05-01T12:00:00Z', undefined, true],
  ['DateLessThan', 'aws:CurrentTime', '2024-06-01T00:00:00Z', ['2024-05-01T12:00:00Z'], true],
  ['DateLessThan', 'aws:CurrentTime', '2024-05-01T12:00:00Z', ['2024-05-01T12:00:00Z'], false],
  ['DateLessThanEquals', 'aws:CurrentTime', '2024-05-01T12:00:00Z', ['2024-05-01T12:00:00Z'], true],
  ['DateLessThanEquals', 'aws:CurrentTime', '2024-05-01T11:59:59Z', ['2024-05-01T12:00:00Z'], false],
  ['DateGreaterThan', 'aws:CurrentTime', '2024-01-01T00:00:00Z', ['2024-05-01T12:00:00Z'], true],
  ['DateGreaterThan', 'aws:CurrentTime', '2024-05-01T12:00:00Z', ['2024-05-01T12:00:00Z'], false],
  ['DateGreaterThanEquals', 'aws:CurrentTime', '2024-05-01T12:00:00Z', ['2024-05-01T12:00:00Z'], true],
  ['DateGreaterThanEquals', 'aws:CurrentTime', '2024-05-02', ['2024-05-01T12:00:00Z'], false],
  ['DateGreaterThan', 'aws:CurrentTime', '2024-01-01T00:00:00Z', undefined, false],
]);

table('Bool', [
  ['Bool', 'aws:SecureTransport', 'true', ['true'], true],
  ['Bool', 'aws:SecureTransport', true, ['true'], true],
  ['Bool', 'aws:SecureTransport', 'false', ['true'], false],
  ['Bool', 'aws:SecureTransport', 'TRUE', ['true'], true],
  ['Bool', 'aws:SecureTransport', 'false', ['false'], true],
  ['Bool', 'aws:SecureTransport', 'false', undefined, false],
]);

table('BinaryEquals (base64)', [
  ['BinaryEquals', 's3:x-amz-content-sha256', 'QmluYXJ5VmFsdWU=', ['QmluYXJ5VmFsdWU='], true],
  ['BinaryEquals', 's3:x-amz-content-sha256', 'QmluYXJ5VmFsdWU=', ['T3RoZXI='], false],
  ['BinaryEquals', 's3:x-amz-content-sha256', 'QmluYXJ5VmFsdWU=', ['not base64!'], false],
  ['BinaryEquals', 's3:x-amz-content-sha256', 'QmluYXJ5VmFsdWU=', undefined, false],
]);

table('IpAddress / NotIpAddress (IPv4 and IPv6 CIDR)', [
  ['IpAddress', 'aws:SourceIp', '203.0.113.0/24', ['203.0.113.7'], true],
  ['IpAddress', 'aws:SourceIp', '203.0.113.0/24', ['203.0.114.7'], false],
  ['IpAddress', 'aws:SourceIp', '203.0.113.7', ['203.0.113.7'], true],
  ['IpAddress', 'aws:SourceIp', '203.0.113.7/32', ['203.0.113.8'], false],
  ['IpAddress', 'aws:SourceIp', '0.0.0.0/0', ['198.51.100.1'], true],
  ['IpAddress', 'aws:SourceIp', '10.0.0.0/8', ['::ffff:10.1.2.3'], true],
  ['IpAddress', 'aws:SourceIp', '2001:db8::/32', ['2001:db8:1234::1'], true],
  ['IpAddress', 'aws:SourceIp', '2001:db8::/32', ['2001:db9::1'], false],
  ['IpAddress', 'aws:SourceIp', '2001:DB8:0:0:0:0:0:1/128', ['2001:db8::1'], true],
  ['IpAddress', 'aws:SourceIp', '::/0', ['203.0.113.7'], false],
  ['IpAddress', 'aws:SourceIp', '203.0.113.0/24', ['2001:db8::1'], false],
  ['IpAddress', 'aws:SourceIp', ['192.0.2.0/24', '203.0.113.0/24'], ['203.0.113.200'], true],
  ['IpAddress', 'aws:SourceIp', '203.0.113.0/24', ['garbage'], false],
  ['IpAddress', 'aws:SourceIp', '203.0.113.0/24', undefined, false],
  ['NotIpAddress', 'aws:SourceIp', '203.0.113.0/24', ['203.0.113.7'], false],
  ['NotIpAddress', 'aws:SourceIp', '203.0.113.0/24', ['198.51.100.1'], true],
  ['NotIpAddress', 'aws:SourceIp', '2001:db8::/32', ['2001:db8::1'], false],
  ['NotIpAddress', 'aws:SourceIp', '203.0.113.0/24', undefined, true],
]);

table('ARN operators (case-sensitive, wildcards per ARN component)', [
  ['ArnEquals', 'aws:PrincipalArn', 'arn:aws:iam::111122223333:user/alice', ['arn:aws:iam::111122223333:user/alice'], true],
  ['ArnEquals', 'aws:PrincipalArn', 'arn:aws:iam::111122223333:user/alice', ['arn:aws:iam::111122223333:user/Alice'], false],
  ['ArnEquals', 'aws:PrincipalArn', 'arn:aws:iam::111122223333:user/*', ['arn:aws:iam::111122223333:user/alice'], true],
  ['ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::*:user/alice', ['arn:aws:iam::111122223333:user/alice'], true],
  ['ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::1111222233?3:root', ['arn:aws:iam::111122223333:root'], true],
  ['ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::*', ['arn:aws:iam::111122223333:user/alice'], false],
  ['StringLike', 'aws:PrincipalArn', 'arn:aws:iam::*', ['arn:aws:iam::111122223333:user/alice'], true],
  ['ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::111122223333:*', ['arn:aws:iam::111122223333:user/a:b'], true],
  ['ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::111122223333:user/*', undefined, false],
  ['ArnNotEquals', 'aws:PrincipalArn', 'arn:aws:iam::111122223333:user/alice', ['arn:aws:iam::111122223333:user/bob'], true],
  ['ArnNotEquals', 'aws:PrincipalArn', 'arn:aws:iam::111122223333:user/alice', ['arn:aws:iam::111122223333:user/alice'], false],
  ['ArnNotLike', 'aws:PrincipalArn', 'arn:aws:iam::111122223333:user/*', ['arn:aws:iam::111122223333:user/bob'], false],
  ['ArnNotLike', 'aws:PrincipalArn', 'arn:aws:iam::111122223333:user/*', ['arn:aws:iam::111122223333:root'], true],
  ['ArnNotLike', 'aws:PrincipalArn', 'arn:aws:iam::111122223333:user/*', undefined, true],
]);

table('Null (true: the key is absent)', [
  ['Null', 's3:x-amz-acl', 'true', undefined, true],
  ['Null', 's3:x-amz-acl', 'true', ['private'], false],
  ['Null', 's3:x-amz-acl', 'false', ['private'], true],
  ['Null', 's3:x-amz-acl', 'false', undefined, false],
  ['Null', 's3:x-amz-acl', true, undefined, true],
  ['Null', 's3:RequestObjectTagKeys', 'true', [], true],
  ['Null', 's3:RequestObjectTagKeys', 'false', ['Owner'], true],
]);

describe('…IfExists: absent keys pass, present keys are evaluated as the base operator', () => {
  const samples: Record<string, readonly [string, string, string, string]> = {
    String: ['s3:prefix', 'home/x', 'home/x', 'other/x'],
    Numeric: ['s3:max-keys', '10', '10', '11'],
    Date: ['aws:CurrentTime', '2024-05-01T12:00:00Z', '2024-05-01T12:00:00Z', '2024-05-01T12:00:01Z'],
    Bool: ['aws:SecureTransport', 'true', 'true', 'false'],
    Binary: ['s3:x-amz-content-sha256', 'QmluYXJ5VmFsdWU=', 'QmluYXJ5VmFsdWU=', 'T3RoZXI='],
    IpAddress: ['aws:SourceIp', '203.0.113.0/24', '203.0.113.1', '198.51.100.1'],
    Arn: ['aws:PrincipalArn', 'arn:aws:iam::*:user/alice', 'arn:aws:iam::111122223333:user/alice', 'arn:aws:iam::111122223333:user/bob'],
  };
  const inRange: Record<string, [boolean, boolean]> = {
    // [result on the "match" sample, result on the "other" sample] for operators that do not just test equality
    NumericLessThan: [false, false],
    NumericLessThanEquals: [true, false],
    NumericGreaterThan: [false, true],
    NumericGreaterThanEquals: [true, true],
    DateLessThan: [false, false],
    DateLessThanEquals: [true, false],
    DateGreaterThan: [false, true],
    DateGreaterThanEquals: [true, true],
  };
  for (const op of OPERATORS) {
    if (op.family === 'Null') continue;
    const [key, policy, match, other] = samples[op.family] ?? ['', '', '', ''];
    const isEqualsLike = !(op.name in inRange);
    const [onMatch, onOther] = inRange[op.name] ?? [!op.negated, op.negated];
    it(`${op.name}IfExists`, () => {
      const name = `${op.name}IfExists`;
      assert.equal(cond(name, key, policy, undefined), true, 'absent key');
      assert.equal(cond(name, key, policy, [match]), isEqualsLike ? !op.negated : onMatch, 'matching value');
      assert.equal(cond(name, key, policy, [other]), isEqualsLike ? op.negated : onOther, 'other value');
      assert.equal(cond(name, key, policy, [match]), cond(op.name, key, policy, [match]), 'same as the base operator');
    });
  }
});

describe('operator catalogue', () => {
  it('has every documented operator', () => {
    const names = OPERATORS.map((o) => o.name).sort();
    assert.deepEqual(names, [
      'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'BinaryEquals', 'Bool',
      'DateEquals', 'DateGreaterThan', 'DateGreaterThanEquals', 'DateLessThan', 'DateLessThanEquals', 'DateNotEquals',
      'IpAddress', 'NotIpAddress', 'Null',
      'NumericEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericNotEquals',
      'StringEquals', 'StringEqualsIgnoreCase', 'StringLike', 'StringNotEquals', 'StringNotEqualsIgnoreCase', 'StringNotLike',
    ]);
  });

  it('condition key names are case-insensitive, values are case-sensitive', () => {
    assert.equal(cond('StringEquals', 'S3:PREFIX', 'home/', ['home/']), true);
    assert.equal(cond('StringEquals', 'AWS:currenttime', '2024-05-01T12:00:00Z', ['2024-05-01T12:00:00Z']), true);
    assert.equal(cond('StringEquals', 's3:Prefix', 'Home/', ['home/']), false);
  });

  it('rejects malformed operators and values', () => {
    for (const [operator, key, value] of [
      ['StringEqual', 's3:prefix', 'x'],
      ['NullIfExists', 's3:prefix', 'true'],
      ['ForAnyValue:Null', 's3:prefix', 'true'],
      ['Null', 's3:prefix', 'maybe'],
      ['NumericEquals', 's3:max-keys', 'ten'],
      ['DateEquals', 'aws:CurrentTime', 'yesterday'],
      ['DateEquals', 'aws:CurrentTime', '2024-02-30'],
      ['Bool', 'aws:SecureTransport', 'yes'],
      ['IpAddress', 'aws:SourceIp', '300.1.1.1/8'],
      ['IpAddress', 'aws:SourceIp', '10.0.0.0/33'],
      ['IpAddress', 'aws:SourceIp', '2001:db8::/129'],
      ['BinaryEquals', 's3:x-amz-content-sha256', '***'],
      ['StringEquals', 's3:NoSuchKey', 'x'],
      ['StringEquals', 'aws:NoSuchKey', 'x'],
    ] as const) {
      assert.throws(() => cond(operator, key, value, ['x']), Error, `${operator} ${key} ${value}`);
    }
  });
});
