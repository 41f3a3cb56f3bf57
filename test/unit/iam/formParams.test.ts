import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IamError } from '../../../src/errors/IamError.js';
import { FormParams } from '../../../src/iam/wire/FormParams.js';

void describe('FormParams (AWS query protocol bodies)', () => {
  void it('decodes percent escapes and + as space; first repeated value wins', () => {
    const p = FormParams.parse('Action=CreateUser&UserName=b%C3%B6b&Path=%2Fa+b%2F&Version=2010-05-08&UserName=other&Flag');
    assert.equal(p.get('Action'), 'CreateUser');
    assert.equal(p.get('UserName'), 'böb');
    assert.equal(p.get('Path'), '/a b/');
    assert.equal(p.get('Flag'), '');
    assert.equal(p.get('Missing'), undefined);
  });

  void it('keeps a URL-encoded JSON policy document intact', () => {
    const doc = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}';
    const p = FormParams.parse(`Action=PutUserPolicy&PolicyDocument=${encodeURIComponent(doc)}`);
    assert.equal(p.get('PolicyDocument'), doc);
  });

  void it('reads member lists until the first gap', () => {
    const p = FormParams.parse(
      'Tags.member.1.Key=a&Tags.member.1.Value=1&Tags.member.2.Key=b&Tags.member.2.Value=&Tags.member.4.Key=skipped',
    );
    assert.deepEqual(p.members('Tags', ['Key', 'Value']), [
      { Key: 'a', Value: '1' },
      { Key: 'b', Value: '' },
    ]);
  });

  void it('required parameters and integer bounds fail with ValidationError', () => {
    const p = FormParams.parse('DurationSeconds=899&MaxItems=10');
    assert.throws(() => p.required('UserName'), (e: unknown) => e instanceof IamError && e.code === 'ValidationError' && /userName/.test(e.message));
    assert.throws(() => p.integer('DurationSeconds', 900, 43200), (e: unknown) => e instanceof IamError && e.code === 'ValidationError');
    assert.equal(p.integer('MaxItems', 1, 1000), 10);
    assert.equal(p.integer('Other', 1, 1000), undefined);
  });

  void it('malformed percent escapes are InvalidInput', () => {
    assert.throws(() => FormParams.parse('UserName=%E0%A4%A'), (e: unknown) => e instanceof IamError && e.code === 'InvalidInput');
  });

  void it('body parameters win over query parameters', () => {
    const merged = FormParams.parse('Action=GetUser').withFallback(FormParams.of({ Action: 'ListUsers', Version: '2010-05-08' }));
    assert.equal(merged.get('Action'), 'GetUser');
    assert.equal(merged.get('Version'), '2010-05-08');
  });
});
